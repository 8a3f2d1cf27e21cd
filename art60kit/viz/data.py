"""What the figures draw, read from the core's results (no matplotlib here).

Every figure of :mod:`art60kit.viz` is drawn from one of these plain values, so that
tests (and other views, e.g. dashboards) can check *what* is drawn against the plan
without looking at pixels. Nothing here re-implements a rule: treatments come from the
plan's ledger, credits from :meth:`art60kit.ledger.Ledger.credit`, verdicts from
:func:`art60kit.admissibility.check`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Optional

from ..admissibility import Verdict, case_ledger, check
from ..credit import UNIT
from ..dates import birthday
from ..rules import default_rulebook

#: the four lanes of career lines, in drawing order (top to bottom)
LANES = ("work", "assimilated", "extension", "excluded")

#: treatment of a kind (rule set at the request date) -> lane
TREATMENT_LANE = {"counted": "work", "assimilated": "assimilated", "assimilated_capped": "assimilated",
                  "extends": "extension", "excluded": "excluded", "neutral": "excluded"}

#: breakdown parts counted in the window, in stacking order
COUNTED_PARTS = ("work", "converted", "assimilated", "contract")
#: parts that do not count, shown apart
NOT_COUNTED_PARTS = ("slid_out", "excluded", "absences")


def _d(o: int) -> date:
    return date.fromordinal(o)


# ---------------------------------------------------------------------------- timeline

@dataclass(frozen=True)
class LineBar:
    """One career line as drawn: ``lane`` from its treatment under the rule set applied
    at the request date; ``used`` True for an extending period that moved the window."""

    index: int
    kind: str
    treatment: str
    lane: str
    start: date
    end: date
    employer: Optional[str]
    used: bool = False
    qualifies: Optional[bool] = None
    #: credited line that is not full time (Q < S, or measured in hours or days): converted
    converted: bool = False


@dataclass(frozen=True)
class EventBar:
    index: int
    kind: str
    treatment: str
    start: date
    end: date


@dataclass(frozen=True)
class TimelineData:
    case_id: str
    rules: str
    lines: tuple[LineBar, ...]
    events: tuple[EventBar, ...]
    contract_start: date
    end_date: Optional[date]  # None when already admissible or unreachable
    request_date: Optional[date]
    naive_end_date: Optional[date]
    window_start: date  # extended start (first day of the window)
    window_base_start: date  # before extensions
    window_end: date  # the day before the request date
    window_months: int
    count_from: date
    age_marks: tuple[tuple[int, date], ...]  # (age, birthday) for each age threshold
    rule_changes: tuple[date, ...]
    already_admissible: bool
    reachable: bool


def timeline_data(plan) -> TimelineData:
    """The career timeline of a :class:`~art60kit.planner.Plan`.

    Window and treatments are those at the plan's request date (at the contract start
    when the person is already admissible). Age marks are the birthdays of every age
    threshold of every rule set in the rule book (36, 50).
    """
    case, v = plan.case, plan.verdict
    led = v.ledger
    r = v.closest
    w = r.window
    used = {e.line for e in w.used}
    ext_by_line = {e.line: e for e in led.extensions}
    part_time = {i for occ in led.occupations if not occ.full_time for i in occ.lines if i >= 0}
    lines = []
    for i, line in enumerate(case.career):
        tr = led.line_treatment[i]
        e = ext_by_line.get(i)
        lines.append(LineBar(i, line.kind, tr, TREATMENT_LANE[tr], line.start, line.end, line.employer,
                             i in used, None if e is None else e.qualifies,
                             tr == "counted" and i in part_time))
    events = tuple(EventBar(j, ev.kind, led.event_treatment[j], ev.start, ev.end)
                   for j, ev in enumerate(case.contract.events))
    book = default_rulebook()
    ages = sorted({a for rs in book.rule_sets for a in rs.age_thresholds()})
    marks = tuple((a, birthday(case.person.birth_date, a)) for a in ages)
    return TimelineData(
        case_id=case.case_id, rules=v.rules.id, lines=tuple(lines), events=events,
        contract_start=case.contract.start, end_date=plan.end_date, request_date=plan.request_date or v.request_date,
        naive_end_date=plan.naive_end_date, window_start=_d(w.start), window_base_start=_d(w.base_start),
        window_end=_d(w.end), window_months=w.months, count_from=_d(r.count_from), age_marks=marks,
        rule_changes=tuple(book.boundaries()), already_admissible=plan.already_admissible,
        reachable=plan.reachable)


# ---------------------------------------------------------------------------- breakdown

@dataclass(frozen=True)
class Breakdown:
    """Where the days come from, in days (4 decimals, the core's units / 10,000).

    ``at_end``: the credit in the window at the request date by origin (``contract`` is
    the contract's credit *inside the window*, which can exceed ``plan.contract_units``
    by the full-quarter rule when a whole calendar quarter of the window is covered);
    ``quarter_cap``
    (<= 0) is what the cap of 78 days a quarter removed; the parts add up to the
    condition's exact credit ``units_end``. ``at_start``: the same at the contract start
    (past career only). ``not_counted``: days that counted at the contract start but are
    before the window at the request date (``slid_out``), days of excluded lines inside
    the window as if they were work (``excluded``), and contract days lost to events
    during the contract (``absences``).
    """

    case_id: str
    required_end: int
    counted_end: int
    units_end: float
    at_end: dict
    required_start: int
    counted_start: int
    units_start: float
    at_start: dict
    not_counted: dict
    request_date: date
    contract_start: date


def _credit_parts(v: Verdict, only_past_before: Optional[int] = None) -> tuple[dict, float]:
    case, led, r = v.case, v.ledger, v.closest
    o = v.options
    D = v.request_date.toordinal()
    ab = led.abroad_ok(D, o.rounding)
    wc = led.credit(r.count_from, r.window.end, o.rounding, detail=True, abroad_ok=ab, edges=True)
    parts = {k: 0 for k in COUNTED_PARTS}
    parts["quarter_cap"] = 0
    occ_by_key = {occ.key: occ for occ in led.occupations}
    for oc in wc.occupations:
        occ = occ_by_key[oc.key]
        if oc.key == "contract":
            parts["contract"] += oc.units
            continue
        tr = led.line_treatment[occ.lines[0]]
        if tr == "counted":
            parts["work" if occ.full_time else "converted"] += oc.units
        else:
            parts["assimilated"] += oc.units
    # capped pieces: those of contract events (unpaid leave before 1 March 2026) go with
    # the contract, those of past lines with the assimilated days
    cc = led.credit(r.count_from, r.window.end, o.rounding, detail=True, only_contract=True).capped_units \
        if wc.capped_units else 0
    parts["contract"] += cc
    parts["assimilated"] += wc.capped_units - cc
    # the quarter caps: 78 days a quarter, and the start quarter's cap of work known by its total
    parts["quarter_cap"] = -wc.quarter_excess_units - wc.edge_cut_units
    return {k: u / UNIT for k, u in parts.items()}, wc.units / UNIT


def day_breakdown_data(plan) -> Breakdown:
    """The day breakdown of a plan (see :class:`Breakdown`)."""
    case = plan.case
    o = plan.options
    v, sv = plan.verdict, plan.start_verdict
    at_end, units_end = _credit_parts(v)
    at_start, units_start = _credit_parts(sv)
    r, sr = v.closest, sv.closest
    s0 = case.contract.start.toordinal()
    # slid out: counted at the contract start, before the window at the request date
    slid = 0
    a, b = sr.count_from, min(r.count_from - 1, s0 - 1, sr.window.end)
    if b >= a:
        ab = sv.ledger.abroad_ok(sv.request_date.toordinal(), o.rounding)
        slid = sv.ledger.credit(a, b, o.rounding, abroad_ok=ab).units
    # excluded lines inside the window, credited as if they were work (same kernel)
    rs = v.rules
    excluded = 0
    wa, wb = r.count_from, min(r.window.end, s0 - 1)
    for i, line in enumerate(case.career):
        if v.ledger.line_treatment[i] != "excluded" or line.end.toordinal() < wa or line.start.toordinal() > wb:
            continue
        alt = replace(case, career=(replace(line, kind="work", employer=None),), warnings=())
        excluded += case_ledger(alt, rs, o.crediting).credit(wa, wb, o.rounding).units
    # contract days lost to events during the contract
    absences = 0
    if case.contract.events and plan.end_date is not None:
        bare = replace(case, contract=replace(case.contract, events=()), warnings=())
        e = plan.end_date.toordinal()
        full = case_ledger(bare, rs, o.crediting).credit(s0, e, o.rounding, only_contract=True).units
        absences = max(0, full - v.ledger.credit(s0, e, o.rounding, only_contract=True).units)
    return Breakdown(
        case_id=case.case_id, required_end=r.required, counted_end=r.counted, units_end=units_end, at_end=at_end,
        required_start=sr.required, counted_start=sr.counted, units_start=units_start, at_start=at_start,
        not_counted={"slid_out": slid / UNIT, "excluded": excluded / UNIT, "absences": absences / UNIT},
        request_date=v.request_date, contract_start=case.contract.start)


# ---------------------------------------------------------------------------- windows

@dataclass(frozen=True)
class WindowSnapshot:
    """The window of the closest condition at one request date.

    ``which``: ``start`` (request on the contract start: the past alone), ``naive`` (the
    day after the naive end date) or ``end`` (the day after the true end date)."""

    which: str
    request_date: date
    rules: str
    category: Optional[str]
    window_start: date
    window_base_start: date
    window_end: date
    count_from: date
    months: int
    counted: int
    required: int
    admissible: bool
    missing: int


def _snapshot(which: str, v: Verdict) -> WindowSnapshot:
    r = v.closest
    w = r.window
    return WindowSnapshot(which, v.request_date, v.rules.id, v.category, _d(w.start), _d(w.base_start), _d(w.end),
                          _d(r.count_from), w.months, r.counted, r.required, v.admissible, r.missing)


def window_snapshots(plan, book=None) -> tuple[WindowSnapshot, ...]:
    """Snapshots at the contract start, the day after the naive end date (if any and
    different from the true one) and the day after the true end date (if any).
    ``book``: the rule book the plan was made with (default: the shipped one)."""
    out = [_snapshot("start", plan.start_verdict)]
    if plan.naive_end_date is not None and plan.naive_end_date != plan.end_date:
        v = check(plan.case, plan.naive_end_date + timedelta(days=1), book=book, options=plan.options)
        out.append(_snapshot("naive", v))
    if plan.end_date is not None:
        out.append(_snapshot("end", plan.verdict))
    return tuple(out)


@dataclass(frozen=True)
class ProgressPoint:
    request_date: date
    counted: int
    required: int
    admissible: bool


def progress_series(plan, step_days: int = 7, after_days: int = 28, book=None) -> tuple[ProgressPoint, ...]:
    """Days counted and required (closest condition) for request dates from the
    contract start to ``after_days`` past the request date, every ``step_days``, plus
    the request date itself and the day before it. Each point is a core
    :func:`~art60kit.admissibility.check` (contract running up to the day before)."""
    start = plan.case.contract.start
    stop = (plan.request_date or start) + timedelta(days=after_days)
    days = set()
    d = start
    while d <= stop:
        days.add(d)
        d += timedelta(days=step_days)
    if plan.request_date:
        days |= {plan.request_date, plan.request_date - timedelta(days=1)}
    if plan.naive_end_date:
        days.add(plan.naive_end_date + timedelta(days=1))
    out = []
    for d in sorted(x for x in days if x >= start):
        v = check(plan.case, d, book=book, options=plan.options)
        r = v.closest
        out.append(ProgressPoint(d, r.counted, r.required, v.admissible))
    return tuple(out)
