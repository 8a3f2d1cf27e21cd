"""Merge career lines of one person from several sources (DmfA, CSV, manual).

The same job often reaches a case twice: once from the DmfA (authentic source, per
quarter) and once typed by hand from MyCareer or a work certificate (per period). Counted
twice, it would shorten the contract wrongly. :func:`merge` combines the lines so that

- a period declared by two sources **counts once** (duplicates recognised);
- **never more than one full-time day per day** is credited: where lines overlap, the
  later-processed line is clipped or reduced (per day: a third-party platform's practice,
  dockers.io FAQ 13 and 134, uncertain; ONEM schéma 2E, commentary on AM 26/11/1991 art. 7, caps
  simultaneous occupations per quarter, confirmed);
- the **source** of every line is kept (``source``, ``source_ref``; a merge changes
  ``note`` to say what it did), so the explanation can show it;
- a line of a period the DmfA does not cover yet (the last quarter) is simply kept;
- **nothing is silently discarded**: every duplicate, conflict, overlap and clip is an
  entry of the :class:`MergeReport`, with both values, and the expert can choose which
  source wins (``choices``).

Semantics
---------
*Order.* Lines are processed by source priority (default ``dmfa``, ``csv``, ``manual``:
"the authentic sources are the most complete": UVCW webinar on the CPAS/ONEM collaboration
for art. 60, § 7, questions and answers, 2023), then by start.
A line is compared with the lines already accepted.

*Groups.* The lines of one DmfA occupation-quarter (work, holidays, sickness, ... of the
same occupation) describe one period together; they are never compared with each other
(:func:`art60kit.imports.dmfa.group_key`). Any other line is its own group.

*Intensity.* To compare lines whatever their measure, each gets a *rate*: its estimated
six-day-regime credit divided by the number of six-day-regime days (Monday-Saturday) of
its period. Credit: ``days x 6/R``, ``hours x 6/S``, or, for a regime, one day per
six-day-regime day x Q/S (AM 26/11/1991 art. 7; defaults R = 5, S = 38). The rate
spreads quarterly totals evenly over the period, because the DmfA does not say which
days they fall on. It is used only to decide overlaps: the credit itself is computed
by the core from the merged lines.

*Same job.* Two overlapping day lines from **different sources** are presumed to
describe the same job when their employers match, or when one employer is missing or
cannot be compared (a company number against a name). On the overlap the line processed
later gets nothing: it is a ``duplicate`` when it credits the same as the accepted
lines there (within 0.05 day a quarter) and their kinds are treated alike by every rule
set (:func:`treated_alike`), a ``conflict`` otherwise (both values are reported).

*Different jobs.* Otherwise (different employers, or the same source) both lines stay
as long as together they do not exceed one full-time day per day (``concurrent``, for
information); above that the later line is reduced to what is left (``overlap``).

*Status lines* (self-employment, career break, detention, ... which extend the window
rather than credit days) are only compared with lines of the same kind, so that one
event is not counted twice; ``unmapped`` lines are passed through untouched (and listed).

*Uncertain lines* ("Dimona only" lines, whose working time is ``unknown`` or an
interval ``{min, max}``) are compared last with the day lines of the same job (the
employers match or cannot be compared): where declared figures cover them, the
declared figures stand and the uncertain line is clipped (``covered``); the rest is
kept as it is, its doubt with it. They are never compared by credit.

*Choices.* ``choices`` maps an entry id to a source name (that source's lines of the
entry win: they are processed first) or to ``"both"`` (keep both lines as different
jobs, still never above one full-time day per day). Entry ids are stable: they derive
from the lines involved.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Iterable, Mapping, Optional, Sequence

from .dmfa import SOURCE as DMFA, group_key

__all__ = ["merge", "MergeResult", "MergeReport", "MergeEntry", "LineInfo", "DEFAULT_PRIORITY",
           "STATUS_KINDS", "r6_days", "line_credit", "daily_rates", "LABELS"]

DEFAULT_PRIORITY: tuple[str, ...] = (DMFA, "csv", "manual")
DEFAULT_R, DEFAULT_S = 5.0, 38.0
EPS = 1e-6
_PART = " [part "
# Two credits are "the same" within 0.05 day a quarter or 1 %: a full-time quarter
# typed as a regime (79 Monday-Saturday days) and declared as 66 days in R5 (79.2) are
# one fact; 152 h against 160 h (5 %) are not.
SAME_CREDIT = 0.05
SAME_SHARE = 0.01

#: Kinds that describe a status (they extend the reference window or are neutral),
#: not days of a job: compared only with lines of the same kind.
STATUS_KINDS = frozenset({
    "self_employed_main", "not_covered_work", "career_break", "detention", "force_majeure",
    "child_care", "full_time_studies", "training",
})

_LABEL_KEYS = ("duplicate", "conflict", "overlap", "concurrent", "not_yet_declared", "unmapped", "dropped",
               "clipped", "reduced", "kept", "winner", "presumed", "expert", "days_r6", "title", "covered",
               "nothing")


def _label(key: str, lang: str) -> str:
    """A word of the merge report in ``lang`` (the one text catalog, ``import.merge.*``)."""
    from ..i18n import text

    return text(f"import.merge.{key}", lang)


#: The merge report's labels by key and language (a view of the text catalog).
LABELS: dict[str, dict[str, str]] = {k: {lang: _label(k, lang) for lang in ("fr", "nl", "de", "en")}
                                     for k in _LABEL_KEYS}


# -- six-day-regime arithmetic -------------------------------------------------------

def r6_days(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` inclusive, Sundays excluded (the six-day regime).

    >>> r6_days(date(2024, 4, 1), date(2024, 6, 30))
    78
    >>> r6_days(date(2024, 3, 31), date(2024, 3, 31))
    0
    """
    if end < start:
        return 0
    n = (end - start).days + 1
    weeks, rest = divmod(n, 7)
    sundays = weeks + sum(1 for i in range(rest) if (start.weekday() + i) % 7 == 6)
    return n - sundays


def _f(v) -> Optional[float]:
    return None if v is None else float(v)


_MEASURES = ("days_per_week", "weekly_hours", "full_time_hours", "hours", "days")


def is_uncertain(line: Mapping) -> bool:
    """Whether a line has an uncertain measure or date (``unknown`` or an interval).

    >>> is_uncertain({"weekly_hours": "unknown"}), is_uncertain({"days": 3})
    (True, False)
    """
    return any(isinstance(line.get(k), (str, Mapping)) for k in (*_MEASURES, "start", "end")
               if not (k in ("start", "end") and isinstance(line.get(k), (str, date))
                       and _is_iso(line.get(k))))


def _is_iso(v) -> bool:
    if isinstance(v, date):
        return True
    try:
        date.fromisoformat(str(v))
        return True
    except ValueError:
        return False


def line_credit(line: Mapping) -> float:
    """Estimated six-day-regime credit of a line (before any cap or rounding).

    >>> line_credit({"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "days": 60, "days_per_week": 5})
    72.0
    >>> line_credit({"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "hours": 152, "full_time_hours": 38})
    24.0
    >>> line_credit({"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "weekly_hours": 19, "full_time_hours": 38})
    39.0
    """
    if is_uncertain(line):
        return 0.0  # unknown: never compared by credit (see "Uncertain lines")
    hours, days = _f(line.get("hours")), _f(line.get("days"))
    s = _f(line.get("full_time_hours")) or DEFAULT_S
    r = _f(line.get("days_per_week")) or DEFAULT_R
    if hours is not None:
        return hours * 6 / s
    if days is not None:
        return days * 6 / r
    q = _f(line.get("weekly_hours"))
    share = min(1.0, q / s) if q is not None else 1.0
    return r6_days(_date(line["start"]), _date(line["end"])) * share


def _date(v) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def daily_rates(lines: Iterable[Mapping]) -> dict[date, float]:
    """Estimated credit per six-day-regime day, summed over day lines (status and
    unmapped lines excluded): the quantity the merge keeps at most 1. Used by tests
    and notebooks to show that no week gets more than 6 days."""
    out: dict[date, float] = {}
    for l in lines:
        if l["kind"] in STATUS_KINDS or l["kind"] == "unmapped" or is_uncertain(l):
            continue
        s, e = _date(l["start"]), _date(l["end"])
        n = r6_days(s, e)
        if n == 0:
            continue
        rate = line_credit(l) / n
        d = s
        while d <= e:
            if d.weekday() != 6:
                out[d] = out.get(d, 0.0) + rate
            d += timedelta(days=1)
    return out


# -- report --------------------------------------------------------------------------

@dataclass(frozen=True)
class LineInfo:
    """A line as shown in the report: where it comes from and what it says."""

    source: str
    source_ref: str
    kind: str
    start: date
    end: date
    employer: Optional[str]
    measure: str
    credit: float  # estimated six-day-regime credit of the whole line
    figures: tuple[tuple[str, object], ...] = ()  # the line's measure fields, for :meth:`short` in any language

    def short(self, lang: str = "en") -> str:
        """The line in one phrase in ``lang``: source, reference, kind, period, employer, measure."""
        from ..i18n import has, text
        from .texts import ref_text

        emp = f", {self.employer}" if self.employer else ""
        kind = text(f"kind.{self.kind}", lang) if has(f"kind.{self.kind}") else self.kind
        return text("import.merge.line", lang, source=self.source, ref=ref_text(self.source_ref, lang), kind=kind,
                    start=_d(self.start, lang), end=_d(self.end, lang), employer=emp,
                    measure=_measure_text(dict(self.figures, kind=self.kind), lang) if self.figures else self.measure)


@dataclass(frozen=True)
class MergeEntry:
    """One finding of the merge, for the expert.

    ``line`` is the line that was changed (or only reported); ``against`` the accepted
    lines it met. ``period`` is where they meet; ``line_credit`` and ``against_credit``
    the estimated six-day-regime credits of each side **on that period** (both values,
    so that a conflict can be judged); ``action`` is what happened to ``line``
    (``dropped``, ``clipped``, ``reduced``, ``kept``); ``credit_removed`` how much
    credit the merge took from it. ``choice`` is the expert's choice applied, if any.
    """

    id: str
    type: str
    line: LineInfo
    against: tuple[LineInfo, ...]
    period: tuple[date, date]
    line_credit: float
    against_credit: float
    action: str
    credit_removed: float = 0.0
    presumed: bool = False
    choice: Optional[str] = None
    remaining: tuple[tuple[date, date], ...] = ()

    @property
    def needs_review(self) -> bool:
        """Conflicts, overlaps and presumed same-job matches need an expert's eye;
        exact duplicates and information entries do not."""
        return self.type in ("conflict", "overlap") or self.presumed

    def text(self, lang: str = "en") -> str:
        """One paragraph in ``lang`` (en, fr, nl)."""
        p0, p1 = self.period
        head = f"[{self.id}] {_label(self.type, lang)} {_period(p0, p1, lang)}"
        unit = _label("days_r6", lang)
        status = self.line.kind in STATUS_KINDS
        parts = [head, f"  {self.line.short(lang)}" + ("" if status else f": {_n(self.line_credit, lang)} {unit}")]
        for a in self.against:
            parts.append(f"  {a.short(lang)}")
        if self.against and not status:
            parts.append(f"  = {_n(self.against_credit, lang)} {unit}")
        act = f"  → {self.line.source}: {_label(self.action, lang)}"
        if self.credit_removed > EPS:
            act += f" (−{_n(self.credit_removed, lang)})"
        if self.remaining and self.action == "clipped":
            act += ": " + ", ".join(_period(a, b, lang) for a, b in self.remaining)
        if self.against and self.action != "kept":
            winners = sorted({a.source for a in self.against})
            act += f"; {'/'.join(winners)} {_label('winner', lang)}"
        if self.presumed:
            act += f"; {_label('presumed', lang)}"
        if self.choice:
            act += f"; {_label('expert', lang)}: {self.choice}"
        parts.append(act)
        return "\n".join(parts)

    def to_record(self) -> dict:
        """A flat mapping (one row of a DataFrame)."""
        return {
            "id": self.id, "type": self.type, "period_start": self.period[0], "period_end": self.period[1],
            "source": self.line.source, "source_ref": self.line.source_ref, "kind": self.line.kind,
            "measure": self.line.measure, "credit": round(self.line_credit, 4),
            "against_sources": ", ".join(sorted({a.source for a in self.against})),
            "against_refs": "; ".join(a.source_ref for a in self.against),
            "against_kinds": ", ".join(sorted({a.kind for a in self.against})),
            "against_credit": round(self.against_credit, 4),
            "action": self.action, "credit_removed": round(self.credit_removed, 4),
            "needs_review": self.needs_review, "choice": self.choice,
        }


@dataclass(frozen=True)
class MergeReport:
    """Every finding of a merge, in processing order."""

    entries: tuple[MergeEntry, ...]
    priority: tuple[str, ...]
    choices: tuple[tuple[str, str], ...] = ()

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def of_type(self, *types: str) -> tuple[MergeEntry, ...]:
        return tuple(e for e in self.entries if e.type in types)

    @property
    def needs_review(self) -> tuple[MergeEntry, ...]:
        return tuple(e for e in self.entries if e.needs_review)

    def __getitem__(self, entry_id: str) -> MergeEntry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)

    def to_text(self, lang: str = "en") -> str:
        lines = [f"{_label('title', lang)} ({' > '.join(self.priority)})"]
        if not self.entries:
            lines.append("  " + _label("nothing", lang))
        lines.extend(e.text(lang) for e in self.entries)
        return "\n".join(lines)

    def to_records(self) -> list[dict]:
        return [e.to_record() for e in self.entries]

    def to_dataframe(self):
        """The report as a pandas DataFrame (pandas imported only here)."""
        import pandas as pd

        cols = list(MergeEntry.__dataclass_fields__)  # noqa: F841 (documentation of order)
        return pd.DataFrame(self.to_records())


@dataclass(frozen=True)
class MergeResult:
    """The merged career lines (case-format mappings, ISO dates) and the report."""

    lines: tuple[dict, ...]
    report: MergeReport

    def career(self) -> list[dict]:
        """Fresh copies of the merged lines, ready for a case's ``career``."""
        return [dict(l) for l in self.lines]


# -- merge ---------------------------------------------------------------------------

@dataclass
class _Line:
    index: int
    d: dict
    source: str
    ref: str
    group: str
    start: date
    end: date
    rate: float
    rank: int
    key: str
    uncertain: bool = False

    def info(self) -> LineInfo:
        return LineInfo(self.source, self.ref, self.d["kind"], self.start, self.end, self.d.get("employer"),
                        _measure_text(self.d), round(line_credit(self.d), 4),
                        tuple((k, self.d[k]) for k in _MEASURE_FIELDS if self.d.get(k) is not None))

    def credit_on(self, s: date, e: date, rate: Optional[float] = None) -> float:
        return (self.rate if rate is None else rate) * r6_days(max(s, self.start), min(e, self.end))


_MEASURE_FIELDS = ("days", "hours", "days_per_week", "full_time_hours", "weekly_hours")


def _n(x: float, lang: str) -> str:
    from ..formats import format_number

    return format_number(x, lang, 4)


def _d(d: date, lang: str) -> str:
    from ..formats import format_date

    return format_date(d, lang)


def _period(a: date, b: date, lang: str) -> str:
    from ..i18n import text

    return text("import.merge.period", lang, start=_d(a, lang), end=_d(b, lang))


def _measure_text(d: Mapping, lang: str = "en") -> str:
    """The measure of a line in ``lang`` (Belgian number formats)."""
    from ..i18n import text

    if is_uncertain(d):
        return text("import.merge.measure_unknown", lang)
    if d.get("hours") is not None:
        return text("import.merge.measure_hours", lang, hours=_n(float(d["hours"]), lang),
                    s=_n(float(d.get("full_time_hours") or DEFAULT_S), lang))
    if d.get("days") is not None:
        return text("import.merge.measure_days", lang, days=_n(float(d["days"]), lang),
                    r=_n(float(d.get("days_per_week") or DEFAULT_R), lang))
    if d.get("weekly_hours") is not None:
        return text("import.merge.measure_weekly", lang, q=_n(float(d["weekly_hours"]), lang),
                    s=_n(float(d.get("full_time_hours") or DEFAULT_S), lang))
    return text("import.merge.measure_full" if d["kind"] not in STATUS_KINDS else "import.merge.measure_period", lang)


def _norm_text(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def _company_number(s: str) -> Optional[str]:
    digits = re.sub(r"\D", "", s)
    return digits.zfill(10) if 9 <= len(digits) <= 10 and len(digits) * 2 >= len(re.sub(r"\s", "", s)) else None


def employer_match(a: Optional[str], b: Optional[str]) -> Optional[bool]:
    """True (same employer), False (different) or None (cannot tell: one is missing,
    or a company number is compared with a name).

    >>> employer_match("0200.000.191", "0200000191"), employer_match("CPAS Namur", "cpas  namur")
    (True, True)
    >>> employer_match("0200000191", "CPAS Namur"), employer_match("A", None), employer_match("A sprl", "B sa")
    (None, None, False)
    """
    if not a or not b:
        return None
    na, nb = _company_number(a), _company_number(b)
    if na and nb:
        return na == nb
    if na or nb:
        return None
    ta, tb = _norm_text(a), _norm_text(b)
    return ta == tb or (len(ta) >= 4 and ta in tb) or (len(tb) >= 4 and tb in ta)


@lru_cache(maxsize=None)
def treated_alike(a: str, b: str) -> bool:
    """Whether kinds ``a`` and ``b`` get the same treatment in every shipped rule set
    (then the same credit under two names is a duplicate; otherwise, e.g. work
    against indemnified sickness, which extends from 1 March 2026, it is a conflict).

    >>> treated_alike("work", "paid_holiday"), treated_alike("work", "sickness_indemnified")
    (True, False)
    """
    if a == b:
        return True
    from ..rules import default_rulebook

    def effect(rule) -> tuple:
        # Counted and assimilated days credit the same way (art. 38 closing rule).
        t = "credits" if rule.treatment in ("counted", "assimilated") else rule.treatment
        return t, rule.cap_group

    return all(effect(rs.kind(a)) == effect(rs.kind(b)) for rs in default_rulebook().rule_sets)


def _entry_id(line: _Line, against: Sequence[_Line]) -> str:
    h = hashlib.sha1("|".join([line.key, *sorted(a.key for a in against)]).encode()).hexdigest()
    return "M" + h[:6]


def _down4(x: float) -> float:
    """``x`` to 4 decimals, rounded down: a scaled part must never credit more than
    the room left (ONEM keeps 4 decimals; rounding up here could exceed full time)."""
    return math.floor(x * 10_000 + 1e-7) / 10_000


def _prorate(line: _Line, s: date, e: date, rate: float) -> Optional[dict]:
    """The part ``[s, e]`` of ``line`` at ``rate``, with its measure scaled."""
    n = r6_days(s, e)
    d = dict(line.d)
    d["start"], d["end"] = s, e
    if n == 0:
        return None
    if d.get("hours") is not None:
        sv = float(d.get("full_time_hours") or DEFAULT_S)
        d["hours"] = _down4(rate * n * sv / 6)
    elif d.get("days") is not None:
        rv = float(d.get("days_per_week") or DEFAULT_R)
        d["days"] = _down4(rate * n * rv / 6)
    elif abs(rate - line.rate) > EPS:
        sv = float(d.get("full_time_hours") or DEFAULT_S)
        d["full_time_hours"] = sv
        if rate >= 1 - EPS:
            d.pop("weekly_hours", None)
        else:
            d["weekly_hours"] = _down4(rate * sv)
    if (d.get("hours") == 0 or d.get("days") == 0) and line.d["kind"] not in STATUS_KINDS:
        return None
    return d


def _segments(line: _Line, others: Sequence[_Line]) -> list[tuple[date, date, list[_Line]]]:
    cuts = {line.start, line.end + timedelta(days=1)}
    for o in others:
        if line.start < o.start <= line.end:
            cuts.add(o.start)
        if line.start <= o.end < line.end:
            cuts.add(o.end + timedelta(days=1))
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        e = b - timedelta(days=1)
        out.append((a, e, [o for o in others if o.start <= e and o.end >= a]))
    return out


def _normalise(lines: Iterable, offset: int, priority: Sequence[str]) -> list[_Line]:
    out = []
    counts: dict[str, int] = {}
    for i, raw in enumerate(lines):
        d = dict(raw) if isinstance(raw, Mapping) else {
            k: getattr(raw, k) for k in ("kind", "start", "end", "employer", "days_per_week", "weekly_hours",
                                         "full_time_hours", "hours", "days", "child_birth_date", "source",
                                         "source_ref", "note") if getattr(raw, k, None) is not None}
        d = {k: v for k, v in d.items() if v is not None}
        d["start"], d["end"] = _date(d["start"]), _date(d["end"])
        if d.get("child_birth_date") is not None:
            d["child_birth_date"] = _date(d["child_birth_date"])
        src = d.setdefault("source", "manual")
        counts[src] = counts.get(src, 0) + 1
        ref = d.get("source_ref") or f"{src} line {counts[src]}"
        d["source_ref"] = ref
        n = r6_days(d["start"], d["end"])
        rate = line_credit(d) / n if n else 0.0
        key = f"{src}|{ref}|{d['kind']}|{d['start']}|{d['end']}"
        grp = group_key(d) or f"{src}|{ref}|{offset + i}"
        rank = priority.index(src) if src in priority else len(priority)
        out.append(_Line(offset + i, d, src, ref, grp, d["start"], d["end"], rate, rank, key, is_uncertain(d)))
    return out


def _iso(d: dict) -> dict:
    out = dict(d)
    for k in ("start", "end", "child_birth_date"):
        if isinstance(out.get(k), date):
            out[k] = out[k].isoformat()
    return out


def merge(*line_sets: Iterable, priority: Sequence[str] = DEFAULT_PRIORITY,
          choices: Optional[Mapping[str, str]] = None) -> MergeResult:
    """Merge the career lines of one person from one or more sources.

    ``line_sets``: iterables of career lines (mappings as in a case file, or
    :class:`~art60kit.model.CareerLine`); a line without ``source`` is ``manual``.
    ``priority``: sources in the order they win (unknown sources come last).
    ``choices``: ``{entry id: source name or "both"}`` from an earlier report.

    Returns the merged lines (ISO dates, ready for a case) and the report. The result
    never has more than one full-time day per six-day-regime day across day lines
    (:func:`daily_rates` <= 1), except where a single line alone declares more.
    """
    priority = tuple(priority)
    raw: list = [l for s in line_sets for l in s]
    choices = dict(choices or {})
    lines = _normalise(raw, 0, priority)
    # An expert's choice is applied by moving the winning lines of that entry to the
    # front (rank -1) or by marking the pair as different jobs ("both"). The entry ids
    # come from a first pass without the choices, so they are the ones the expert saw.
    applied: list[tuple[str, str]] = []
    chosen: list[tuple[str, str, set]] = []
    both_pairs: set[frozenset] = set()
    if choices:
        first = _run(lines, priority, set())
        by_id = {e.id: e for e in first[1]}
        unknown = [k for k in choices if k not in by_id]
        if unknown:
            raise KeyError("unknown merge entry id(s): " + ", ".join(sorted(unknown)))
        for eid, winner in choices.items():
            e = by_id[eid]
            keys = {_key_of(e.line)} | {_key_of(a) for a in e.against}
            if winner == "both":
                both_pairs |= {frozenset((_key_of(e.line), _key_of(a))) for a in e.against}
            else:
                srcs = {e.line.source} | {a.source for a in e.against}
                if winner not in srcs:
                    raise ValueError(f"{eid}: {winner!r} is not one of the sources involved ({', '.join(sorted(srcs))})")
                for l in lines:
                    if l.key in keys and l.source == winner:
                        l.rank = -1
            applied.append((eid, winner))
            chosen.append((eid, winner, keys))
    merged, entries = _run(lines, priority, both_pairs, chosen)
    return MergeResult(tuple(_iso(d) for d in merged), MergeReport(tuple(entries), priority, tuple(applied)))


def _key_of(info: LineInfo) -> str:
    return f"{info.source}|{info.source_ref}|{info.kind}|{info.start}|{info.end}"


def _run(lines: list[_Line], priority, both_pairs: set, chosen: Sequence[tuple[str, str, set]] = ()):
    """One merge pass over ``lines`` (already ranked). Returns (merged dicts, entries).

    ``chosen``: (entry id, winner, keys of the entry's lines) of the expert's choices,
    to mark the entries they produced in this pass (their ids may differ, since the
    roles of the lines changed)."""

    def choice_for(L: _Line, against: Sequence[_Line]) -> Optional[str]:
        for eid, winner, keys in chosen:
            if any(k.startswith(L.key) or L.key.startswith(k) for k in keys) and \
                    any(any(a.key.startswith(k) for k in keys) for a in against):
                return f"{winner} ({eid})"
        return None
    order = sorted(lines, key=lambda l: (l.uncertain, l.rank, l.start, l.group, l.index))
    accepted: list[_Line] = []
    out: list[tuple[_Line, dict]] = []
    entries: list[MergeEntry] = []
    also: dict[str, list[str]] = {}  # accepted line key -> "also declared by ..." notes
    last_dmfa = max((l.end for l in lines if l.source == DMFA), default=None)
    for L in order:
        kind = L.d["kind"]
        if kind == "unmapped":
            out.append((L, L.d))
            entries.append(MergeEntry(_entry_id(L, []), "unmapped", L.info(), (), (L.start, L.end),
                                      round(L.credit_on(L.start, L.end), 4), 0.0, "kept"))
            continue
        if last_dmfa is not None and L.source != DMFA and L.end > last_dmfa:
            s0 = max(L.start, last_dmfa + timedelta(days=1))
            entries.append(MergeEntry(_entry_id(L, []), "not_yet_declared", L.info(), (), (s0, L.end),
                                      round(L.credit_on(s0, L.end), 4), 0.0, "kept"))
        if L.uncertain:
            _uncertain(L, accepted, out, entries)
            continue
        status = kind in STATUS_KINDS
        relevant = [A for A in accepted if A.group != L.group and A.start <= L.end and A.end >= L.start
                    and not A.uncertain
                    and ((A.d["kind"] == kind) if status else (A.d["kind"] not in STATUS_KINDS))]
        if not relevant:
            accepted.append(L)
            out.append((L, L.d))
            continue
        if status:
            # One event, counted once: the accepted line's dates stand (splitting an
            # event would change its qualification: minimum length, cap from its first
            # day). Different dates are a conflict the expert can decide.
            t = "duplicate" if all((A.start, A.end) == (L.start, L.end) for A in relevant) else "conflict"
            eid = _entry_id(L, relevant)
            p0 = max(L.start, min(A.start for A in relevant))
            p1 = min(L.end, max(A.end for A in relevant))
            entries.append(MergeEntry(eid, t, L.info(), tuple(A.info() for A in relevant), (p0, p1),
                                      0.0, 0.0, "dropped", 0.0, False, choice_for(L, relevant), ()))
            what = "also declared by" if t == "duplicate" else f"merge {eid}: other dates from"
            for A in relevant:
                also.setdefault(A.key, []).append(f"{what} {L.source} ({L.ref}, {L.start}..{L.end})")
            continue
        pieces: list[tuple[date, date, float]] = []
        # Findings by type, aggregated over the segments where L meets accepted lines.
        met: dict[str, dict] = {}

        def meet(t, s, e, against, lc, ac, removed, presumed=False):
            m = met.setdefault(t, {"with": {}, "start": s, "end": e, "lc": 0.0, "ac": 0.0, "rm": 0.0,
                                   "presumed": False})
            for a in against:
                m["with"][a.key] = a
            m["start"], m["end"] = min(m["start"], s), max(m["end"], e)
            m["lc"] += lc
            m["ac"] += ac
            m["rm"] += removed
            m["presumed"] |= presumed

        for s, e, covering in _segments(L, relevant):
            lc = L.credit_on(s, e)
            same = [A for A in covering if _same_job(L, A, both_pairs, status)]
            if same:
                presumed = not status and any(
                    employer_match(L.d.get("employer"), A.d.get("employer")) is None for A in same)
                meet("same", s, e, same, lc, sum(A.credit_on(s, e) for A in same), lc, presumed)
                pieces.append((s, e, 0.0))
                continue
            rate = min(L.rate, max(0.0, 1.0 - sum(A.rate for A in covering)))
            if covering:
                ac = sum(A.credit_on(s, e) for A in covering)
                if rate < L.rate - EPS:
                    meet("overlap", s, e, covering, lc, ac, lc - L.credit_on(s, e, rate))
                else:
                    meet("concurrent", s, e, covering, lc, ac, 0.0)
            pieces.append((s, e, rate))
        if "same" in met:
            # Duplicate or conflict is judged on the whole overlap, not per segment:
            # quarterly totals are spread evenly, so only the sums are comparable.
            m = met.pop("same")
            kinds = {a.d["kind"] for a in m["with"].values()}
            quarters = max(1.0, ((m["end"] - m["start"]).days + 1) / 91)
            tolerance = max(SAME_CREDIT * quarters, SAME_SHARE * max(m["lc"], m["ac"]))
            dup = all(treated_alike(kind, k) for k in kinds) and abs(m["lc"] - m["ac"]) <= tolerance
            met["duplicate" if dup else "conflict"] = m
        joined: list[list] = []
        for s, e, r in pieces:
            if joined and abs(joined[-1][2] - r) <= EPS and joined[-1][1] + timedelta(days=1) == s:
                joined[-1][1] = e
            else:
                joined.append([s, e, r])
        kept = [(s, e, r) for s, e, r in joined if r > EPS]
        unchanged = (len(kept) == 1 and kept[0][0] == L.start and kept[0][1] == L.end
                     and abs(kept[0][2] - L.rate) <= EPS)
        if not kept:
            action = "dropped"
        elif unchanged:
            action = "kept"
        elif any(abs(r - L.rate) > EPS for _, _, r in kept):
            action = "reduced"
        else:
            action = "clipped"
        remaining = tuple((s, e) for s, e, _ in kept)
        eids = []
        for t, m in met.items():
            against = list(m["with"].values())
            eid = _entry_id(L, against)
            eids.append(eid)
            entries.append(MergeEntry(
                eid, t, L.info(), tuple(a.info() for a in against), (m["start"], m["end"]),
                round(m["lc"], 4), round(m["ac"], 4), action, round(m["rm"], 4), m["presumed"],
                choice_for(L, against), remaining))
            if t in ("duplicate", "conflict"):
                what = "also declared by" if t == "duplicate" else f"merge {eid}: other values from"
                for a in against:
                    also.setdefault(a.key, []).append(f"{what} {L.source} ({L.ref})")
        if unchanged:
            accepted.append(L)
            out.append((L, L.d))
            continue
        why = f"merge {', '.join(eids)}: {_label(action, 'en')}"
        for s, e, r in kept:
            part = _prorate(L, s, e, r)
            if part is None:
                continue
            if (s, e) != (L.start, L.end):
                part["source_ref"] = f"{L.ref}{_PART}{s.isoformat()}..{e.isoformat()}]"
            part["note"] = "; ".join(x for x in (L.d.get("note"), why) if x)
            piece = _Line(L.index, part, L.source, part["source_ref"], L.group, s, e, r, L.rank,
                          f"{L.key}|{s}|{e}")
            accepted.append(piece)
            out.append((piece, part))
    result = []
    for l, d in out:
        if l.key in also:
            d = dict(d)
            d["note"] = "; ".join(x for x in (d.get("note"), *also[l.key]) if x)
        result.append((l, d))
    result.sort(key=lambda x: (x[1]["start"], x[0].rank, x[1]["end"], x[0].index))
    return [d for _, d in result], entries


def _uncertain(L: _Line, accepted: list, out: list, entries: list) -> None:
    """An uncertain line: declared figures of the same job stand where they cover it;
    the rest of the line is kept unchanged (its measure stays uncertain)."""
    cover = [A for A in accepted if not A.uncertain and A.start <= L.end and A.end >= L.start
             and A.d["kind"] not in STATUS_KINDS and A.d["kind"] != "unmapped"
             and employer_match(L.d.get("employer"), A.d.get("employer")) is not False]
    if not cover:
        accepted.append(L)
        out.append((L, L.d))
        return
    kept = [(s, e) for s, e, covering in _segments(L, cover) if not covering]
    action = "dropped" if not kept else "clipped"
    eid = _entry_id(L, cover)
    p0, p1 = max(L.start, min(A.start for A in cover)), min(L.end, max(A.end for A in cover))
    entries.append(MergeEntry(eid, "covered", L.info(), tuple(A.info() for A in cover), (p0, p1),
                              0.0, round(sum(A.credit_on(p0, p1) for A in cover), 4), action, 0.0, False,
                              None, tuple(kept)))
    for s, e in kept:
        d = dict(L.d)
        d["start"], d["end"] = s, e
        if (s, e) != (L.start, L.end):
            d["source_ref"] = f"{L.ref}{_PART}{s.isoformat()}..{e.isoformat()}]"
        d["note"] = "; ".join(x for x in (L.d.get("note"), f"merge {eid}: {_label(action, 'en')}") if x)
        piece = _Line(L.index, d, L.source, d["source_ref"], L.group, s, e, 0.0, L.rank, f"{L.key}|{s}|{e}", True)
        accepted.append(piece)
        out.append((piece, d))


def _same_job(L: _Line, A: _Line, both_pairs: set, status: bool) -> bool:
    if status:
        return True  # only same-kind status lines are compared: one event, counted once
    if frozenset((L.key, A.key)) in both_pairs:
        return False
    if L.source == A.source:
        # Within one source, overlapping lines are different jobs, unless identical
        # (a row pasted twice). Parts made by an earlier merge are not compared: the
        # merge itself can make two parts equal, and a second merge must not undo it.
        if _PART in L.ref or _PART in A.ref:
            return False
        same_fields = ("kind", "start", "end", "employer", "days_per_week", "weekly_hours",
                       "full_time_hours", "hours", "days")
        return all(L.d.get(k) == A.d.get(k) for k in same_fields)
    return employer_match(L.d.get("employer"), A.d.get("employer")) is not False
