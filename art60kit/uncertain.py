"""The range of end dates of a case whose career is not known exactly.

A case may give some dates and measures as an :class:`~art60kit.model.Interval`
(``{min, max}`` or ``unknown`` in the case file). :func:`plan_range` returns the earliest
and latest end dates and days to work over every value those intervals allow, which
uncertain value moves the end date most, and the comment the CPAS attaches to its
request (every uncertain period bounded, as ONEM asks). Every figure comes from the
core planner (:func:`art60kit.planner.plan`) on cases with plain values; no rule is
applied here.

Why the corners are enough. More credited work never moves the end date later: at
every request date the credit in the window can only grow, and admissibility only
needs the credit to reach the days required, so the earliest admissible request can
only come sooner (the planner's property tests check this on generated cases). Each
uncertain value is therefore classified, from the rule sets' treatment of its line's
kind (every rule set the plan can meet), by the direction in which it moves credit:

- ``up``: a larger value never credits less — the hours or days of a line that counts
  or is assimilated; the end of a period that counts or extends the window;
- ``down``: a larger value never credits more — the start of such a period (a later
  start is a shorter period); the end of an absence during the contract that counts
  less than the contract's days (excluded, neutral, capped);
- ``none``: the value cannot change any credit (the hours of a period that only extends
  the window, the dates of an excluded past line, an assimilated absence during the
  contract);
- ``try``: no direction can be proven, so every value is tried: the days a week of a
  line (they change which weekdays are worked), the dates of a line measured in total
  hours or days (the same total spread over other days), the dates of foreign work
  (it counts only once enough Belgian work follows it), the start of an extension
  capped from its first day, dates of an absence that extends the window during the
  contract, the hours of a line whose employer has other lines (equal regimes of
  one employer are one occupation), and the start of a credited line that can be the
  first day of the working life under rules whose professional past depends on that
  day (old art. 32: a working life that began inside the 10 years needs a share of its
  working days, so an earlier start credits more but can demand more), and for the
  same reason the dates of a period that extends the window when a request can fall
  under such rules (the extension moves the professional past).

The earliest end is the least, over the ``try`` values, of the plan with every ``up``
value at its maximum and every ``down`` value at its minimum; the latest the greatest
with the opposite corner. So ``2 x (product of the try values)`` plans instead of the
whole product; a ``try`` date is tried day by day, bounded by :data:`MAX_PLANS`.
Tests compare the result with the exhaustive enumeration on generated cases.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Optional

from .errors import InputError, Problem
from .model import Case, CareerLine, Event, Interval, Options
from .planner import Plan, plan
from .rules import RuleBook, default_rulebook

#: Most plans one corner may need (the product of the values tried one by one).
MAX_PLANS = 400

_CREDITS = ("counted", "assimilated", "assimilated_capped")


@dataclass(frozen=True)
class Unknown:
    """One uncertain value of a case and how it can move the credit."""

    path: str  # e.g. "career[2].weekly_hours"
    where: str  # "career" or "event"
    index: int
    field: str
    interval: Interval
    direction: str  # up, down, none, try
    candidates: tuple  # values tried ("try"), or (least credit, most credit)

    def least(self):
        return {"up": self.interval.lo, "down": self.interval.hi}.get(self.direction, self.interval.lo)

    def most(self):
        return {"up": self.interval.hi, "down": self.interval.lo}.get(self.direction, self.interval.lo)


@dataclass(frozen=True)
class Impact:
    """How far one uncertain value alone moves the end date, the others at the values
    giving the latest end: ``days`` calendar days earlier at most (0: no effect)."""

    unknown: Unknown
    days: Optional[int]  # None when the latest scenario has no reachable end date
    value: object  # the value giving the earliest end on its own


@dataclass(frozen=True)
class RangePlan:
    """Earliest and latest plan over every value the intervals allow."""

    case: Case
    earliest: Plan
    latest: Plan
    days_min: int
    days_max: int
    unknowns: tuple[Unknown, ...]
    impacts: tuple[Impact, ...]  # largest first
    plans_made: int
    earliest_values: dict = field(default_factory=dict, compare=False)  # path -> value
    latest_values: dict = field(default_factory=dict, compare=False)

    @property
    def end_min(self) -> Optional[date]:
        return self.earliest.end_date

    @property
    def end_max(self) -> Optional[date]:
        return self.latest.end_date

    @property
    def exact(self) -> bool:
        return _key(self.earliest) == _key(self.latest)

    def comment(self, lang: str = "fr") -> str:
        """The text to attach to the request (fr, nl, de, en)."""
        return range_comment(self, lang)

    def to_dict(self, lang: str = "en") -> dict:
        """The ``uncertain`` part of ``plan --json``: the ranges, each uncertain value with
        its effect on credit, the impacts, the comment, and the values of both ends."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "end_date": {"min": iso(self.end_min), "max": iso(self.end_max)},
            "days_to_work": {"min": self.days_min, "max": self.days_max},
            "reachable": {"earliest": self.earliest.reachable, "latest": self.latest.reachable},
            "values": [{"path": u.path, "min": _data(u.interval.lo), "max": _data(u.interval.hi),
                        "unknown": u.interval.unknown, "doubt": _doubt(self.case, u),
                        "effect": u.direction} for u in self.unknowns],
            "impacts": [{"path": i.unknown.path, "days": i.days, "value": _data(i.value)}
                        for i in self.impacts],
            "comment": self.comment(lang if lang in COMMENT_LANGS else "fr"),
            "plans": self.plans_made,
            "earliest_values": {k: _data(v) for k, v in self.earliest_values.items()},
            "latest_values": {k: _data(v) for k, v in self.latest_values.items()},
        }


def _data(v):
    return v.isoformat() if isinstance(v, date) else v


def _doubt(case: Case, u: Unknown) -> Optional[str]:
    obj = case.career[u.index] if u.where == "career" else case.contract.events[u.index]
    return obj.doubt


# ---------------------------------------------------------------- classification

def _line_direction(case: Case, i: int, line: CareerLine, f: str, book: RuleBook) -> str:
    from .derived_lines import law_data

    if line.kind == "student_contract" and law_data(book).student_quota is not None:
        # its hours beyond the year's quota count as work (art60kit.derived_lines): where
        # the quota is passed moves with every figure of the line, so each value is tried
        return "try"
    dirs = set()
    for rs in book.rule_sets:
        rule = rs.kind(line.kind)
        total = line.hours is not None or line.days is not None
        if rule.credits:
            if f == "days_per_week":
                d = "try"
            elif f in ("weekly_hours", "hours", "days"):
                d = "try" if _shares_employer(case, i) else "up"
            elif rule.requires_belgian_work_after or total:
                d = "try"
            elif f == "start" and _may_start_working_life(case, i, book):
                d = "try"
            else:
                d = "down" if f == "start" else "up"
        elif rule.treatment == "extends":
            if f in ("start", "end") and _half_rule_possible(case, book):
                # a longer extension moves the professional past back, and with it whether
                # (and how far) the working life began inside it: no direction is proven
                d = "try"
            elif f == "end":
                d = "up"
            elif f == "start":
                capped_from_start = rule.max_years or (rule.until_child_age and line.child_birth_date is None)
                d = "try" if capped_from_start else "down"
            else:
                d = "none"
        else:
            d = "none"
        dirs.add(d)
    return _combine(dirs)


def _half_rule_possible(case: Case, book: RuleBook) -> bool:
    """Whether a request of this contract can fall under a rule set whose professional
    past depends on the first day of the working life (a condition's
    ``past.career_began_inside``): from the contract's start to the end of the search."""
    from .credit import HORIZON_DAYS

    first, last = case.contract.start, case.contract.start + timedelta(days=HORIZON_DAYS)
    return any(c.late_start is not None and rs.valid_from <= last
               and (rs.valid_until is None or rs.valid_until >= first)
               for rs in book.rule_sets for c in rs.conditions)


def _may_start_working_life(case: Case, i: int, book: RuleBook) -> bool:
    """Whether line ``i``'s start can be the first day of the working life (no other
    credited line, nor the contract, surely starts before it) under a rule book whose
    professional past depends on that day (a condition's ``past.career_began_inside``):
    then an earlier start credits more but can also demand more."""
    if not _half_rule_possible(case, book):
        return False

    def bounds(v):
        return (v.lo, v.hi) if isinstance(v, Interval) else (v, v)

    lo = bounds(case.career[i].start)[0]
    latest_other = [case.contract.start] + [bounds(l.start)[1] for j, l in enumerate(case.career)
                                            if j != i and any(rs.kind(l.kind).credits for rs in book.rule_sets)]
    return lo <= min(latest_other)


def _event_direction(ev: Event, f: str, book: RuleBook) -> str:
    dirs = set()
    for rs in book.rule_sets:
        tr = rs.kind(ev.kind).treatment
        if tr in ("counted", "assimilated"):
            d = "none"  # the contract's own days go on
        elif tr == "extends":
            d = "try"  # fewer contract days but a longer window
        else:
            d = "up" if f == "start" else "down"  # a longer absence credits less
        dirs.add(d)
    return _combine(dirs)


def _combine(dirs: set) -> str:
    dirs = dirs - {"none"}
    if not dirs:
        return "none"
    return dirs.pop() if len(dirs) == 1 else "try"


def _shares_employer(case: Case, i: int) -> bool:
    emp = (case.career[i].employer or "").strip().lower()
    return bool(emp) and any((l.employer or "").strip().lower() == emp
                             for j, l in enumerate(case.career) if j != i)


def _candidates(case: Case, u_where: str, i: int, f: str, iv: Interval, direction: str) -> tuple:
    if direction != "try":
        return (iv.lo, iv.hi) if direction != "none" else (iv.lo,)
    if isinstance(iv.lo, date):
        n = (iv.hi - iv.lo).days
        return tuple(iv.lo + timedelta(days=k) for k in range(n + 1))
    vals = {iv.lo, iv.hi}
    if f == "days_per_week":
        vals |= {float(k) for k in range(1, 7) if iv.lo <= k <= iv.hi}
    else:
        # the values at which this line joins another line of its employer
        for j, l in enumerate(case.career):
            v = getattr(l, f)
            if j != i and isinstance(v, (int, float)) and iv.lo <= v <= iv.hi:
                vals.add(float(v))
    return tuple(sorted(vals))


def unknowns(case: Case, book: Optional[RuleBook] = None) -> tuple[Unknown, ...]:
    """The uncertain values of ``case``, classified (see the module docstring)."""
    book = book or default_rulebook()
    out = []
    for i, line in enumerate(case.career):
        for f in line.uncertain_fields:
            iv = getattr(line, f)
            d = _line_direction(case, i, line, f, book)
            out.append(Unknown(f"career[{i}].{f}", "career", i, f, iv, d, _candidates(case, "career", i, f, iv, d)))
    for j, ev in enumerate(case.contract.events):
        for f in ev.uncertain_fields:
            iv = getattr(ev, f)
            d = _event_direction(ev, f, book)
            out.append(Unknown(f"contract.events[{j}].{f}", "event", j, f, iv, d,
                               _candidates(case, "event", j, f, iv, d)))
    return tuple(out)


# ---------------------------------------------------------------- resolution

def resolve(case: Case, values: dict) -> Case:
    """The case with plain values: ``values`` maps a path of :attr:`Case.uncertain`
    to a value; a missing path takes its interval's lower bound. Days worked are at
    most the calendar days of the period as resolved."""
    chosen = {p: values.get(p, iv.lo) for p, iv in case.uncertain}
    career = []
    for i, line in enumerate(case.career):
        ch = {f: chosen[f"career[{i}].{f}"] for f in line.uncertain_fields}
        if ch:
            line = replace(line, **ch)
            if line.days is not None:
                line = replace(line, days=min(float(line.days), float((line.end - line.start).days + 1)))
        career.append(line)
    events = []
    for j, ev in enumerate(case.contract.events):
        ch = {f: chosen[f"contract.events[{j}].{f}"] for f in ev.uncertain_fields}
        events.append(replace(ev, **ch) if ch else ev)
    return replace(case, career=tuple(career), contract=replace(case.contract, events=tuple(events)))


def with_interval(case: Case, path: str, lo, hi, doubt: Optional[str] = None) -> Case:
    """The case with the value at ``path`` (e.g. ``"career[1].weekly_hours"``) made
    uncertain between ``lo`` and ``hi`` (validated like a case file)."""
    from .caseio import case_from_dict, case_to_dict, value_to_data

    d = case_to_dict(case)
    where, _, name = path.rpartition(".")
    target = d
    for part in where.split("."):
        key, _, idx = part.partition("[")
        target = target[key][int(idx[:-1])] if idx else target[key]
    target[name] = {"min": value_to_data(lo), "max": value_to_data(hi)}
    if doubt:
        target["doubt"] = doubt
    return case_from_dict(d, source=case.source)


def _key(p: Plan):
    """Order of plans by end: no contract needed < an end date < no end date reachable."""
    if p.already_admissible:
        return (0, 0)
    if p.end_date is None:
        return (2, 0)
    return (1, p.end_date.toordinal())


def plan_range(case: Case, book: Optional[RuleBook] = None, options: Optional[Options] = None) -> RangePlan:
    """Earliest and latest end dates and days to work over every value allowed by the
    case's intervals (see the module docstring); raises :class:`InputError` when the
    values to try one by one would need more than :data:`MAX_PLANS` plans."""
    book = book or default_rulebook()
    options = options or case.options
    us = unknowns(case, book)
    tried = [u for u in us if u.direction == "try"]
    n = 1
    for u in tried:
        n *= len(u.candidates)
    if n > MAX_PLANS:
        raise InputError([Problem(case.source, u.path,
                                  f"{len(u.candidates)} possible values must each be tried "
                                  f"({n} plans in all, at most {MAX_PLANS}): narrow this interval")
                          for u in tried if len(u.candidates) > 1])
    cache: dict = {}

    def run(values: dict) -> Plan:
        k = tuple(sorted((p, _data(v)) for p, v in values.items()))
        if k not in cache:
            cache[k] = plan(resolve(case, values), book, options, sensitivity=False)
        return cache[k]

    def corner(pick) -> tuple[Plan, dict, list[Plan]]:
        base = {u.path: pick(u) for u in us if u.direction != "try"}
        seen = []
        for combo in itertools.product(*(u.candidates for u in tried)):
            vals = dict(base, **{u.path: v for u, v in zip(tried, combo)})
            seen.append((run(vals), vals))
        return seen

    early = corner(Unknown.most)
    late = corner(Unknown.least)
    e_plan, e_vals = min(early, key=lambda pv: _key(pv[0]))
    l_plan, l_vals = max(late, key=lambda pv: _key(pv[0]))
    reach = [p for p, _ in early + late if p.end_date is not None or p.already_admissible]
    days = [p.days_to_work for p in reach] or [0]
    impacts = []
    for u in us:
        if u.direction == "none":
            impacts.append(Impact(u, 0, u.interval.lo))
            continue
        best = min(((run(dict(l_vals, **{u.path: v})), v) for v in u.candidates),
                   key=lambda pv: _key(pv[0]))
        impacts.append(Impact(u, _shift(l_plan, best[0], case), best[1]))
    impacts.sort(key=lambda i: -(i.days or 0))
    return RangePlan(case, e_plan, l_plan, min(days), max(days), us, tuple(impacts), len(cache),
                     e_vals, l_vals)


def _shift(late: Plan, other: Plan, case: Case) -> Optional[int]:
    """Calendar days by which ``other`` ends before ``late`` (None: not comparable)."""
    if late.end_date is None and not late.already_admissible:
        return None
    def end(p):
        return case.contract.start - timedelta(days=1) if p.already_admissible else p.end_date
    if other.end_date is None and not other.already_admissible:
        return 0
    return (end(late) - end(other)).days


def plan_result(case: Case, book: Optional[RuleBook] = None, options: Optional[Options] = None,
                lang: str = "en") -> tuple[Plan, Optional[RangePlan]]:
    """The plan to show and, for a case with uncertain values, its range: the plan is
    then the one of the latest end (the contract is long enough whatever the values)."""
    if not case.uncertain:
        return plan(case, book, options, lang=lang), None
    r = plan_range(case, book, options)
    return plan(resolve(case, r.latest_values), book, options, lang=lang), r


def plan_dict(case: Case, lang: str = "en") -> dict:
    """The ``plan --json`` result; with uncertain values it also holds ``uncertain``
    (:meth:`RangePlan.to_dict`)."""
    p, r = plan_result(case, lang=lang)
    d = p.to_dict(lang)
    if r is not None:
        d["uncertain"] = r.to_dict(lang)
    return d


def enumerate_all(case: Case, grids: dict, book: Optional[RuleBook] = None,
                  options: Optional[Options] = None) -> list[Plan]:
    """Every plan of the product of ``grids`` (path -> values): the exhaustive reference
    :func:`plan_range` is tested against."""
    paths = list(grids)
    return [plan(resolve(case, dict(zip(paths, combo))), book, options, sensitivity=False)
            for combo in itertools.product(*(grids[p] for p in paths))]


# ---------------------------------------------------------------- the comment

#: The languages of the comment (the catalog's: texts under ``uncertain.``).
from .i18n import LANGS as COMMENT_LANGS  # noqa: E402


def _tx(key: str, lang: str, **values) -> str:
    from .i18n import text
    return text(f"uncertain.{key}", lang, **values)


def _fdate(d: date, lang: str) -> str:
    from .formats import format_date
    return format_date(d, lang)


def _fnum(x: float, lang: str) -> str:
    from .formats import format_number
    return format_number(x, lang, decimals=2)


def _fval(v, lang: str) -> str:
    return _fdate(v, lang) if isinstance(v, date) else _fnum(v, lang)


def _bounded(v, lang: str) -> str:
    """A date as a bounded period end: plain, or 'between ... and ...'."""
    if isinstance(v, Interval):
        return _tx("between_dates", lang, lo=_fdate(v.lo, lang), hi=_fdate(v.hi, lang))
    return _fdate(v, lang)


def _where(case: Case, where: str, index: int, lang: str) -> str:
    """The period an uncertain value belongs to, by its widest dates (and employer)."""
    from .i18n import LANGS, t
    obj = case.career[index] if where == "career" else case.contract.events[index]
    lo = obj.start.lo if isinstance(obj.start, Interval) else obj.start
    hi = obj.end.hi if isinstance(obj.end, Interval) else obj.end
    s = _tx("line" if where == "career" else "event", lang, start=_fdate(lo, lang), end=_fdate(hi, lang))
    extra = [t("kind." + obj.kind, lang)] if lang in LANGS and where == "career" else []
    if getattr(obj, "employer", None):
        extra.append(obj.employer)
    return f"{s} ({', '.join(extra)})" if extra else s


def _end_text(p: Plan, lang: str) -> str:
    if p.already_admissible:
        return _tx("none_needed", lang)
    if p.end_date is None:
        return _tx("unreachable", lang)
    return _fdate(p.end_date, lang)


def range_comment(r: RangePlan, lang: str = "fr") -> str:
    """The comment for the request: each uncertain value with its bounds, the period it
    belongs to and the source of the doubt; the range of end dates; what weighs most."""
    lines = [_tx("head", lang)]
    colon = " : " if lang == "fr" else ": "
    groups: dict = {}
    for u in r.unknowns:
        groups.setdefault((u.where, u.index), []).append(u)
    for (where, index), us in groups.items():
        parts = []
        for u in us:
            iv = u.interval
            val = _tx("between_dates" if isinstance(iv.lo, date) else "between", lang,
                      lo=_fval(iv.lo, lang), hi=_fval(iv.hi, lang))
            if iv.unknown:
                val = f"{val} ({_tx('unknown', lang)})"
            parts.append(f"{_tx('f.' + u.field, lang)} {val}")
        item = f"- {_where(r.case, where, index, lang)}{colon}{' ; '.join(parts) if lang == 'fr' else '; '.join(parts)}"
        doubt = _doubt(r.case, us[0])
        if doubt:
            item += f" ({_tx('doubt', lang, doubt=doubt)})"
        lines.append(item + ".")
    if r.exact:
        lines.append(_tx("same", lang, e=_end_text(r.latest, lang), d=r.latest.days_to_work))
    else:
        lines.append(_tx("range", lang, e1=_end_text(r.earliest, lang), e2=_end_text(r.latest, lang),
                         d1=r.days_min, d2=r.days_max))
        top = r.impacts[0] if r.impacts else None
        if top is not None and top.days:
            lines.append(_tx("most", lang, what=_tx("f." + top.unknown.field, lang),
                             line=_where(r.case, top.unknown.where, top.unknown.index, lang), n=top.days))
    lines.append(_tx("ask", lang))
    return "\n".join(lines)
