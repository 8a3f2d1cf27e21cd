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

__all__ = ["Change", "apply_modifications", "FIELDS"]

#: The fields of a line a modification can change, in the order they are reported.
FIELDS = ("kind", "start", "end", "days", "hours", "days_per_week", "full_time_hours")


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
        """One line in ``lang``: the line, what happened, the figures, the modification."""
        from ..i18n import text

        figs = ", ".join(f"{f} {_fmt(a)} -> {_fmt(b)}" for f, a, b in self.fields)
        return text("import.change.line", lang, ref=self.ref, action=text(f"import.change.{self.action}", lang),
                    figures=f" ({figs})" if figs else "", modification=self.modification)


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
    return _base(ref).split(" service ", 1)[1] if " service " in ref else ref


def _occupation_prefix(employer: str, quarter: str, code: int) -> str:
    return f"DmfA {quarter} employer {employer} worker {code:03d}"


def _record_of(ref: str) -> str:
    """``DmfA 2024Q3 employer E worker 495`` of a line (record number dropped)."""
    head = _base(ref).split(" occupation ", 1)[0]
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
        where = f"line {m.line}: WorkerRecordUpdate"
        if m.action == 9:
            if not in_record:
                warns.append(Problem(m.file, where, f"{label} cancels {quarter} employer {employer} worker code "
                                     f"{old_code:03d}, whose original was not read: nothing to cancel", "warning"))
                continue
            for l in in_record:
                mine.remove(l)
                changes.append(Change(label, m.file, _base(l["source_ref"]), "cancelled",
                                      tuple((f, l.get(f), None) for f in FIELDS if l.get(f) is not None)))
            warns.append(Problem(m.file, where, f"{label} cancels {quarter} employer {employer} worker code "
                                 f"{old_code:03d}: {len(in_record)} line(s) removed", "warning"))
            continue
        if not in_record:
            warns.append(Problem(m.file, where, f"{label}: the original declaration of {quarter} employer "
                                 f"{employer} (worker code {old_code:03d}) was not read; imported as stated",
                                 "warning"))
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
            warns.append(Problem(m.file, where, f"{label} adds {quarter} employer {employer} worker code "
                                 f"{old_code:03d}, which the original already declares: read as a replacement",
                                 "warning"))
        for seq, new in m.occupations:
            occ = f" occupation {seq}"
            old = [l for l in in_record if _base(l["source_ref"]).split(" service ", 1)[0].endswith(occ)]
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
