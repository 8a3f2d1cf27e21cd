"""Apply DmfA modification declarations (DmfAUpdate) to the lines of their originals.

An employer corrects an accepted declaration by sending a modification: per worker
record (employer, quarter, worker, worker code before the change) an ``UpdateAction``
and the occupations as they now stand. :func:`apply_modifications` applies them, in
the order of their creation date (then the order given), to the career lines read from
the originals:

- ``UpdateAction`` 9 **cancels** the worker record: its lines are removed;
- 0, 1 and 3 give occupations: each ``OccupationUpdate`` **replaces** the original's
  occupation with the same sequence number (matched on employer, quarter, worker,
  worker code and occupation); occupations the modification does not mention stay as
  they were; a figure restated unchanged changes nothing;
- a modification whose original was not read is **imported as it states**, with a
  warning (the original may simply not have been given).

What each ``UpdateAction`` value means is in :data:`UPDATE_ACTIONS`, with its source
and the confidence of the reading. Only ``9`` is settled by the official documentation
at hand (the functional blocks of a worker record have "cardinality 0 if the worker
record is cancelled"); the meanings of ``0``, ``1`` and ``3`` are not stated by the
schema (which only lists the values) nor by the functional-block documentation found,
so each record with one of them is applied as described above **and** reported with a
warning that names the code and says why an expert should check it ("ask").

Every figure that changes is a :class:`Change` (old and new values); the corrected
line's ``source_ref`` ends with ``[corrected by DmfA modification reference N: days 66
-> 60]`` so that the career and the explanation show which figures a modification
changed, and its ``note`` says the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Optional, Sequence

from ..errors import Problem
from .texts import Quarter, msg, problem

__all__ = ["Change", "apply_modifications", "FIELDS", "UpdateAction", "UPDATE_ACTIONS"]

#: The fields of a line a modification can change, in the order they are reported.
FIELDS = ("kind", "start", "end", "days", "hours", "days_per_week", "full_time_hours")


@dataclass(frozen=True)
class UpdateAction:
    """How one value of the ``UpdateAction`` zone (00618, "code action modification" /
    "actiecode wijziging") is applied, with the source and confidence of that reading.
    ``ask``: the reading is not established, the import applies it and warns."""

    code: int
    applied_as: str
    confidence: str
    source: str
    ask: bool


_SCHEMA = "DmfAUpdate_20223.xsd, element UpdateAction (zone 00618): values 0, 1, 3, 9, no meaning given"
_FB = ("ONSS, functional blocks of the DmfA modification 2023/3 (FBDMFAUpdate20233NL.xml, as republished in "
       "BartVertongen/BelgianSocialSecurity): block 90225 'Werknemerslijn - Wijziging - Actie' holds zone 00618; "
       "its linked blocks have 'Kardinaliteit 0 als de werknemerslijn geannuleerd is'")

#: The ``UpdateAction`` values (the schema's enumeration) and how each is applied.
UPDATE_ACTIONS: dict[int, UpdateAction] = {
    9: UpdateAction(9, "cancels the worker record: its lines are removed", "medium",
                    f"{_SCHEMA}; {_FB}: a cancelled worker record carries no occupation; reading 9 as the "
                    "cancellation rests on that rule and on the value's place in the enumeration, the zone's own "
                    "definition was not found", False),
    0: UpdateAction(0, "gives the record's occupations as they now stand (correction)", "low",
                    f"{_SCHEMA}; the zone's definition was not found in the glossary material at hand", True),
    1: UpdateAction(1, "adds the worker record (read as a replacement when the original has it)", "low",
                    f"{_SCHEMA}; the zone's definition was not found in the glossary material at hand", True),
    3: UpdateAction(3, "gives the record's occupations as they now stand (correction)", "low",
                    f"{_SCHEMA}; {_FB}: anomaly 90225-173 'Actie alleen toegelaten voor de RSZ of de RSZPPO' "
                    "suggests an action reserved to ONSS; which value it is was not found", True),
}


@dataclass(frozen=True)
class Change:
    """One line changed by a modification.

    ``action``: ``corrected`` (figures changed), ``cancelled`` (worker record cancelled),
    ``removed`` (a service the corrected occupation no longer declares), ``added`` (a
    service it now declares), ``stated`` (no original read: imported as stated).
    ``fields``: ``(field, old, new)`` for each changed figure.
    """

    modification: str
    file: str
    ref: str
    action: str
    fields: tuple[tuple[str, object, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        """One line in ``lang``: the line, what happened, the figures (in the reader's
        formats), the modification."""
        from ..i18n import text
        from .texts import ref_text

        figs = ", ".join(f"{_field(f, lang)} {_value(f, a, lang)} → {_value(f, b, lang)}" for f, a, b in self.fields)
        return text("import.change.line", lang, ref=ref_text(self.ref, lang),
                    action=text(f"import.change.{self.action}", lang),
                    figures=f" ({figs})" if figs else "", modification=ref_text(self.modification, lang))


def _field(f: str, lang: str) -> str:
    from ..i18n import text

    return text(f"import.field.{f}", lang)


def _value(f: str, v, lang: str) -> str:
    from ..i18n import has, text
    from .texts import render

    if v is None:
        return "–"
    if f == "kind" and has(f"kind.{v}"):
        return text(f"kind.{v}", lang)
    return render(v, lang)


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _base(ref: str) -> str:
    """A line's reference without any annotation ``(...)`` or ``[...]``."""
    return ref.split(" (", 1)[0].split(" [", 1)[0]


def _service(ref: str) -> str:
    """The service part of a line's reference (``001``, ``001 #2``); ``student`` for a
    student block."""
    base = _base(ref)
    return base.split(" service ", 1)[1] if " service " in base else base.rsplit(" ", 1)[-1]


def _occupation_of(ref: str) -> int:
    """The occupation sequence number of a line; 0 for a student block (a worker
    record's student block stands for its occupations)."""
    head = _base(ref).split(" service ", 1)[0]
    if head.endswith(" student"):
        return 0
    return int(head.rsplit(" occupation ", 1)[1]) if " occupation " in head else -1


def _occupation_prefix(employer: str, quarter: str, code: int) -> str:
    return f"DmfA {quarter} employer {employer} worker {code:03d}"


def _record_of(ref: str) -> str:
    """``DmfA 2024Q3 employer E worker 495`` of a line (record number dropped)."""
    head = _base(ref).split(" occupation ", 1)[0].removesuffix(" student")
    return head.split(" record ", 1)[0]


def apply_modifications(by_person: Mapping[str, Sequence[dict]], mods: Sequence, person_problems: Mapping
                        ) -> tuple[tuple, tuple[Change, ...], list[Problem]]:
    """Apply ``mods`` (:class:`~art60kit.imports.dmfa.Modification`) to the lines of
    ``by_person`` (INSS -> career lines read from originals). Returns the persons
    (:class:`~art60kit.imports.dmfa.PersonCareer`), the changes, and file-level
    problems. Inputs are not modified."""
    from .dmfa import PersonCareer, _sort_key, SOURCE

    lines = {who: [dict(l) for l in ls] for who, ls in by_person.items()}
    problems = {who: list(ps) for who, ps in person_problems.items()}
    changes: list[Change] = []
    order = sorted(range(len(mods)), key=lambda i: (mods[i].created or "", i))
    for i in order:
        m = mods[i]
        employer, quarter, inss, old_code = m.key
        label = m.label
        mine = lines.setdefault(inss, [])
        warns = problems.setdefault(inss, [])
        record = _occupation_prefix(employer, quarter, old_code)
        in_record = [l for l in mine if l.get("source") == SOURCE and _record_of(l["source_ref"]) == record]
        year, q = int(quarter[:4]), int(quarter[-1])
        about = dict(label=m.label_msg, quarter=Quarter(year, q), employer=employer, code=f"{old_code:03d}")

        def warn(key: str, **values) -> None:
            warns.append(problem(m.file, m.line, "WorkerRecordUpdate", msg(key, **about, **values), "warning"))

        meaning = UPDATE_ACTIONS[m.action]
        if meaning.ask:
            # The reading of this action is not established: applied, and said so.
            warns.append(problem(m.file, m.line, "WorkerRecordUpdateAction/UpdateAction", msg(
                "update.ask_action", **about, action=str(m.action), meaning=msg(f"update.meaning.{m.action}")),
                "warning"))
        if m.action == 9:
            if not in_record:
                warn("mod.cancel_missing")
                continue
            for l in in_record:
                mine.remove(l)
                changes.append(Change(label, m.file, _base(l["source_ref"]), "cancelled",
                                      tuple((f, l.get(f), None) for f in FIELDS if l.get(f) is not None)))
            warn("mod.cancelled", n=len(in_record))
            continue
        if not in_record:
            warn("mod.original_missing")
            for _seq, new in m.occupations:
                for l in new:
                    d = dict(l)
                    d["source_ref"] = f"{l['source_ref']} [as stated by {label}, original not read]"
                    d["note"] = "; ".join(x for x in (l.get("note"), f"as stated by {label}; original not read") if x)
                    mine.append(d)
                    changes.append(Change(label, m.file, _base(l["source_ref"]), "stated",
                                          tuple((f, None, l.get(f)) for f in FIELDS if l.get(f) is not None)))
            continue
        if m.action == 1:
            warn("mod.adds_existing")
        for seq, new in m.occupations:
            old = [l for l in in_record if _occupation_of(l["source_ref"]) == seq]
            old_by = {_service(l["source_ref"]): l for l in old}
            new_by = {_service(l["source_ref"]): l for l in new}
            for svc in list(old_by) + [s for s in new_by if s not in old_by]:
                a, b = old_by.get(svc), new_by.get(svc)
                if a is not None and b is not None:
                    diff = tuple((f, a.get(f), b.get(f)) for f in FIELDS if a.get(f) != b.get(f))
                    if not diff and _record_of(a["source_ref"]) == _record_of(b["source_ref"]):
                        continue  # restated unchanged
                    mine.remove(a)
                    d = dict(b)
                    figs = ", ".join(f"{f} {_fmt(x)} -> {_fmt(y)}" for f, x, y in diff) or "restated"
                    d["source_ref"] = f"{b['source_ref']} [corrected by {label}: {figs}]"
                    d["note"] = "; ".join(x for x in (b.get("note"), f"corrected by {label}: {figs}") if x)
                    mine.append(d)
                    changes.append(Change(label, m.file, _base(b["source_ref"]), "corrected", diff))
                elif a is not None:
                    mine.remove(a)
                    changes.append(Change(label, m.file, _base(a["source_ref"]), "removed",
                                          tuple((f, a.get(f), None) for f in FIELDS if a.get(f) is not None)))
                else:
                    d = dict(b)
                    d["source_ref"] = f"{b['source_ref']} [added by {label}]"
                    d["note"] = "; ".join(x for x in (b.get("note"), f"added by {label}") if x)
                    mine.append(d)
                    changes.append(Change(label, m.file, _base(b["source_ref"]), "added",
                                          tuple((f, None, b.get(f)) for f in FIELDS if b.get(f) is not None)))
    persons = []
    for who in sorted(set(lines) | set(problems)):
        ls = sorted(lines.get(who, []), key=_sort_key)
        if not ls and not problems.get(who):
            continue
        persons.append(PersonCareer(who, tuple(ls), tuple(problems.get(who, ()))))
    return tuple(persons), tuple(changes), []
