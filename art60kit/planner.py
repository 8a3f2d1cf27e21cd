"""The earliest contract end date.

The contract's last day ``E`` is the earliest day such that the person is admissible at
request date ``D = E + 1`` (read from the rules, not published by ONEM; docs/design.md).
While the contract runs, old days slide out of the window, the age category can change (36, 50), the rule set changes on
1 March 2026, and events during the contract add nothing (non-assimilated absences),
count (assimilated ones) or extend the window. A person already admissible at the
contract start needs no contract (``already_admissible``).

Search. Admissibility is not monotone in ``D`` (a category change or the reform can make
a later date easier *or* harder), so the planner walks forward from the contract start
and only skips days it can prove are not admissible: between two *boundaries* (a rule
change, a birthday at an age threshold, a day inside an extending period during the
contract, the day foreign work starts to count), past days can only leave the window,
so a condition missing ``m`` days cannot hold before the days from ``D`` on can credit
``m`` more. That lower bound comes from a cumulative upper bound of what every day from
the contract start can credit (:func:`art60kit.credit.contract_daily_units`). The
day-by-day oracle :mod:`art60kit.reference` checks this on generated cases.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

import numpy as np

from .admissibility import Verdict, evaluate
from .credit import HORIZON_DAYS, UNIT, build_ledger, contract_credit, contract_daily_units, window_credit

from .derived_lines import OPTIONS as DERIVED_OPTIONS, could_change, derive
from .dates import birthday, count_pattern_ordinals, months_ordinals, quarters_ordinals
from .errors import AmbiguityError, InputError, Problem
from .model import Case, Options
from .rules import RuleBook, default_rulebook



@dataclass(frozen=True)
class Sensitivity:
    option: str
    value: str
    end_date: Optional[date]
    days_to_work: Optional[int]


@dataclass(frozen=True)
class Alternative:
    """The plan under another reading of facts the case does not state: ``assuming``
    maps a field path (``career[2].situation``) to the value assumed."""

    assuming: tuple[tuple[str, str], ...]
    end_date: Optional[date]
    days_to_work: int
    already_admissible: bool

    def as_dict(self) -> dict:
        return {"assuming": dict(self.assuming),
                "end_date": self.end_date.isoformat() if self.end_date else None,
                "days_to_work": self.days_to_work, "already_admissible": self.already_admissible}


@dataclass(frozen=True)
class Plan:
    case: Case
    options: Options
    verdict: Verdict  # at the request date (or at the contract start if already admissible)
    start_verdict: Verdict  # at the contract start, before any contract day
    end_date: Optional[date]
    request_date: Optional[date]
    days_to_work: int
    contract_units: int
    already_admissible: bool
    reachable: bool
    naive_end_date: Optional[date]
    evaluations: int
    sensitivity: tuple[Sensitivity, ...] = ()
    warnings: tuple[str, ...] = ()
    steps: tuple = field(default=(), compare=False)
    #: the rule book the plan was made with (views re-check with the same rules)
    book: Optional[RuleBook] = field(default=None, compare=False, repr=False)
    #: what the search met: a window whose month-end day had to be adjusted, an extension
    seen: dict = field(default_factory=dict, compare=False, repr=False)
    #: the right the request opens, the dispense, the subsidy limit (art60kit.right)
    beside: Optional[object] = field(default=None, compare=False, repr=False)
    #: the plan under the other reading of facts the case does not state (an extending
    #: period whose condition it cannot decide), when that changes the end date
    alternatives: tuple[Alternative, ...] = ()

    @property
    def dispense_de_stage(self) -> bool:
        """The contract start falls inside a right opened earlier (art. 42): no
        contract is needed to open a right (``end_date`` is None)."""
        return self.beside is not None and self.beside.dispense is not None

    @property
    def rules(self) -> str:
        return self.verdict.rules.id

    @property
    def days_required(self) -> int:
        return self.verdict.closest.required

    @property
    def age_category(self) -> Optional[str]:
        return self.verdict.category

    @property
    def window(self):
        return self.verdict.closest.window

    @property
    def past_units(self) -> int:
        r = self.verdict.closest
        return max(0, r.units - (self.contract_units if self.request_date else 0))

    def to_dict(self, lang: str = "en") -> dict:
        """The ``plan --json`` result (case-format.md)."""
        from .explain import plan_steps, plan_warnings

        r = self.verdict.closest
        steps = self.steps or plan_steps(self, lang)
        d = {
            "case_id": self.case.case_id,
            "rules": self.rules,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "request_date": self.request_date.isoformat() if self.request_date else None,
            "days_required": r.required,
            "days_to_work": self.days_to_work,
            "past_days_in_window": round(self.past_units / UNIT, 4),
            "age_category": self.age_category,
            "window": r.window.as_dict(),
            "condition": r.as_dict(),
            "already_admissible": self.already_admissible,
            "reachable": self.reachable,
            "naive_end_date": self.naive_end_date.isoformat() if self.naive_end_date else None,
            "options": self.options.as_dict(),
            "options_that_mattered": [
                {"option": s.option, "value": s.value,
                 "end_date": s.end_date.isoformat() if s.end_date else None,
                 "days_to_work": s.days_to_work} for s in self.sensitivity],
            "alternatives": [a.as_dict() for a in self.alternatives],
            "steps": [s.as_dict() for s in steps],
            "warnings": plan_warnings(self, lang),
        }
        if self.beside is not None:
            d.update(self.beside.as_dict())
        return d


def _boundaries(case: Case, book: RuleBook, start: int, end: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Days where the skip must stop, and day ranges that must be walked one by one."""
    stops = {b.toordinal() for b in book.boundaries()}
    ages = {a for rs in book.rule_sets for a in rs.age_thresholds()}
    for a in ages:
        stops.add(birthday(case.person.birth_date, a).toordinal())
    walk = []
    for rs in book.rule_sets:
        led = build_ledger(case, rs)
        for e in led.extensions:
            if e.qualifies and e.b >= start:
                walk.append((max(e.a, start) + 1, e.b + 1))
    return sorted(s for s in stops if start < s <= end), walk


def _abroad_stops(case: Case, book: RuleBook, options: Options, start: int) -> list[int]:
    """The first request day on which each foreign-work line starts to count."""
    out = []
    for rs in book.rule_sets:
        led = build_ledger(case, rs)
        for ab in led.abroad:
            lo, hi = max(start, ab.end + 1), start + HORIZON_DAYS
            if window_credit(led, ab.end + 1, hi - 1, options.crediting, options.rounding,
                             abroad_ok=frozenset()).units < ab.needed_units:
                continue
            while lo < hi:
                mid = (lo + hi) // 2
                u = window_credit(led, ab.end + 1, mid - 1, options.crediting, options.rounding,
                                  abroad_ok=frozenset()).units
                if u >= ab.needed_units:
                    hi = mid
                else:
                    lo = mid + 1
            out.append(lo)
    return out


@dataclass(frozen=True)
class Limits:
    """The rule book's figures the search's bounds rest on, read from its rule sets
    (never literals, so that a rule set with other figures cannot make the search skip
    its true end date): the most a calendar quarter can credit (the quarter cap) and
    the most capped absences can add in a calendar year (the sum of the caps)."""

    quarter_units: int
    year_units: int


@lru_cache(maxsize=64)
def limits(book: RuleBook) -> Limits:
    return Limits(max(rs.counting.quarter_cap for rs in book.rule_sets) * UNIT,
                  int(max(sum(v for v, _ in rs.caps.values()) for rs in book.rule_sets) * UNIT))


def _past_gain_bound(slide_days: int, lim: Limits) -> int:
    """Most credit (units) that ``slide_days`` days entering a period can bring: at most
    the quarter cap (AM art. 7) for each calendar quarter such a stretch can meet, plus
    the yearly allowance of capped absences for each calendar year it can meet."""
    if slide_days <= 0:
        return 0
    return lim.quarter_units * (slide_days // 90 + 2) + lim.year_units * (slide_days // 365 + 2)


#: how far back _slide_days_needed looks (days): beyond the longest past period
SLIDE_SEARCH_DAYS = 366 * 40


def _slide_days_needed(missing_units: int, lim: Limits) -> int:
    """Fewest days that must slide into a period before it can gain ``missing_units``."""
    if missing_units <= 0:
        return 0
    lo, hi = 1, SLIDE_SEARCH_DAYS
    while lo < hi:
        mid = (lo + hi) // 2
        if _past_gain_bound(mid, lim) >= missing_units:
            hi = mid
        else:
            lo = mid + 1
    return lo


@lru_cache(maxsize=256)
def _min_pattern_days(mask: int, period: str) -> int:
    """Fewest pattern days a whole calendar quarter (or month) can hold for ``mask``."""
    first, last = date(2000, 1, 1).toordinal(), date(2040, 12, 31).toordinal()
    periods = (quarters_ordinals if period == "quarter" else months_ordinals)(first, last)
    return min(count_pattern_ordinals(a, b, mask) for a, b in periods)


@lru_cache(maxsize=1024)
def _full_period_bonus(mask: int, num: int, den: int, period: str, full_units: int) -> int:
    """Most a full-time occupation can gain (units) when it completes a whole quarter
    or month (``full_units``: the rule set's full-period figure) over that period's
    day-by-day credit (five days a week: a full quarter less 64 days x 6/5). Holidays
    are pattern days in the day-by-day credit, so the fewest pattern days give the
    largest gain."""
    low = _min_pattern_days(mask, period) * num * UNIT // den
    return max(0, full_units - low) + 1


class _Bound:
    """Lower bounds on the first request day at which one condition can hold.

    Between two boundaries (see module docstring), recent credit grows only by what the
    days from ``D`` on can credit (``cum``, an upper bound per day), and a past-work
    period (art. 32) grows only by the days that slide into it from the recent window:
    at most :func:`_past_gain_bound` for the days that can slide."""

    def __init__(self, cum, s0: int, margin: int, bonus_per_period: int, period: str, lim: Limits):
        self.cum, self.s0, self.margin = cum, s0, margin
        self.bonus, self.period, self.lim = bonus_per_period, period, lim

    def by_contract(self, D: int, need: int) -> int:
        """First day D' with (credit of days D..D'-1) possibly >= need."""
        if need <= self.margin:
            return D + 1
        k0 = D - self.s0
        target = int(self.cum[k0]) + need - self.margin
        k = int(np.searchsorted(self.cum, target, side="left"))
        if k > k0 + 1:
            periods = (quarters_ordinals if self.period == "quarter" else months_ordinals)(D, self.s0 + k)
            k = int(np.searchsorted(self.cum, target - self.bonus * len(periods), side="left"))
        return self.s0 + max(k, k0 + 1)

    def by_slide(self, D: int, r, missing_units: int) -> int:
        """First day D' at which the past period can possibly have gained missing_units:
        the days that slide in lie in [window start at D, base start at D'), and the base
        start moves at most 3 days more than the request date (month ends)."""
        need_days = _slide_days_needed(missing_units, self.lim)
        already = r.window.base_start - r.window.start
        return D + max(1, need_days - already - 3)


def _earliest(v: Verdict, D: int, bound: _Bound, rounding: str) -> int:
    """A day before which no condition of ``v``'s rule set and category can hold."""
    best = None
    for r in v.results:
        c = r.condition
        if rounding == "onem":
            recent_need = (r.min_required - 1) * UNIT + 1 - r.units
        else:
            recent_need = r.min_required * UNIT - r.units
        when = bound.by_contract(D, recent_need)
        if c.past_days is not None and not r.reachable:
            past_need = c.past_days * UNIT - (UNIT - 1 if rounding == "onem" else 0) - r.past_units
            when = max(when, bound.by_slide(D, r, past_need))
        elif c.eight_for_one_target is not None and not r.satisfied and r.counted >= c.days:
            # recent + past/8 must reach the target: both can grow, the past only by sliding
            deficit = (c.eight_for_one_target - r.past_counted // c.eight_for_one_ratio - r.counted) * UNIT
            # first ignore the past's growth, then allow the most it can grow until then
            d1 = bound.by_contract(D, deficit)
            gain = _past_gain_bound(d1 - D + (r.window.base_start - r.window.start) + 3, bound.lim)
            when = max(when, bound.by_contract(D, deficit - gain // c.eight_for_one_ratio - UNIT))
        best = when if best is None else min(best, when)
    return best if best is not None else D + 1


def _search(case: Case, book: RuleBook, options: Options):
    s0 = case.contract.start.toordinal()
    horizon = s0 + HORIZON_DAYS
    stops, walk = _boundaries(case, book, s0, horizon)
    stops = sorted(set(stops) | set(_abroad_stops(case, book, options, s0)))
    lim = limits(book)
    D = s0
    evaluations = 0
    first = None
    seen = {"month_end": False, "extension": False}
    while D <= horizon:
        v = evaluate(case, date.fromordinal(D), book, options)
        evaluations += 1
        for r in v.results:
            seen["month_end"] |= r.window.month_end_adjusted
            seen["extension"] |= bool(r.window.used)
        if first is None:
            first = v
        if v.admissible:
            return v, first, evaluations, seen
        led = v.ledger
        # Each occupation that can complete a full period (quarter or month) full time
        # can gain, at that moment, up to the full-period figure minus the period's
        # day-by-day credit.
        period, full_units = led.full_period_units(options.crediting)
        per = sum(_full_period_bonus(o.mask, o.num, o.den, period, full_units)
                  for o in led.occupations if o.full_time and o.last >= s0)
        bound = _Bound(contract_daily_units(led), s0, len(led.occupations) + len(led.capped) + 2,
                       per, period, lim)
        nxt = _earliest(v, D, bound, options.rounding)
        i = bisect.bisect_right(stops, D)
        if i < len(stops):
            nxt = min(nxt, stops[i])
        for a, b in walk:
            if a <= D + 1 <= b or (D < a <= nxt):
                nxt = min(nxt, max(D + 1, a))
        D = max(D + 1, nxt)
    return None, first, evaluations, seen


def _contract_days(case: Case, book: RuleBook, options: Options, end: date) -> tuple[int, int]:
    rs = book.for_date(end + timedelta(days=1))
    led = build_ledger(case, rs)
    wc = contract_credit(led, end.toordinal(), options.crediting, options.rounding)
    units = wc.units
    days = -(-units // UNIT) if options.rounding == "onem" else units // UNIT
    return days, units


def _naive_end(case: Case, book: RuleBook, options: Options, first: Verdict) -> Optional[date]:
    """The end date if nothing changed after the contract start: same window, same
    category, same rules; the missing days worked from the start."""
    r = first.closest
    need = r.required * UNIT - (UNIT - 1 if options.rounding == "onem" else 0) - r.units
    led = first.ledger
    s0 = case.contract.start.toordinal()
    lo, hi = s0, s0 + HORIZON_DAYS
    while lo < hi:
        mid = (lo + hi) // 2
        u = contract_credit(led, mid, options.crediting, options.rounding).units
        if u >= need:
            hi = mid
        else:
            lo = mid + 1
    return date.fromordinal(lo) if lo < s0 + HORIZON_DAYS else None


def _plan_core(case: Case, book: RuleBook, options: Options, naive_end: bool = True) -> Plan:
    v, first, n, seen = _search(case, book, options)
    warnings = [str(w) for w in case.warnings]
    if first.admissible:
        return Plan(case, options, first, first, None, case.contract.start, 0, 0, True, True, None, n,
                    warnings=tuple(warnings), seen=seen)
    naive = _naive_end(case, book, options, first) if naive_end else None
    if v is None:
        return Plan(case, options, first, first, None, None, 0, 0, False, False, naive, n,
                    warnings=tuple(warnings), seen=seen)
    end = v.request_date - timedelta(days=1)
    days, units = _contract_days(case, book, options, end)
    return Plan(case, options, v, first, end, v.request_date, days, units, False, True, naive, n,
                warnings=tuple(warnings), seen=seen)


def _relevant_alternatives(result: Plan, options: Options, book: Optional[RuleBook] = None):
    """The other readings that could change the result. A month-end or extension
    reading only changes a window the search actually met: if no evaluated window was
    adjusted (or extended), the other reading evaluates the same days identically."""
    alts = []
    if options.month_end != "refuse" and result.seen.get("month_end", True):
        alts.append(("month_end", "next_day" if options.month_end == "clip" else "clip"))
    if result.seen.get("extension", True):
        alts.append(("extension_shift", "ymd" if options.extension_shift == "days" else "days"))
    alts.append(("crediting", "month26" if options.crediting == "quarter78" else "quarter78"))
    alts.append(("rounding", "exact" if options.rounding == "onem" else "onem"))
    # readings of the career lines the law adds (art60kit.derived_lines): only when the
    # case has a line the other reading treats differently
    for opt in DERIVED_OPTIONS:
        if could_change(result.case, book or default_rulebook(), opt):
            alts.append((opt, next(v for v in Options.CHOICES[opt] if v != getattr(options, opt))))
    return alts


def plan(case: Case, book: Optional[RuleBook] = None, options: Optional[Options] = None,
         sensitivity: bool = True, lang: str = "en") -> Plan:
    """Plan the contract: earliest end date, days to work, and (with ``sensitivity``)
    which interpretation options would have changed the result.

    With ``month_end="refuse"``, raises :class:`AmbiguityError` when the two month-end
    readings give different end dates.
    """
    from .explain import plan_steps
    from .right import beside_for_plan, dispense_for_case

    if case.uncertain:  # intervals are resolved by art60kit.uncertain.plan_range, never here
        raise InputError([Problem(case.source, path, "uncertain value: plan the range of end dates "
                                  "(art60kit.uncertain.plan_range) instead of one end date")
                          for path, _ in case.uncertain])
    book = book or default_rulebook()
    options = options or case.options
    case = derive(case, book, options)  # career lines the law adds (art60kit.derived_lines)
    disp = dispense_for_case(case, book)
    if disp is not None:
        # art. 42: a request at the contract start is exempt from the stage; no search
        first = evaluate(case, case.contract.start, book, options)
        result = Plan(case, options, first, first, None, case.contract.start, 0, 0, first.admissible, True, None, 1,
                      warnings=tuple(str(w) for w in case.warnings), book=book,
                      beside=beside_for_plan(case, book, options, None, None, None, disp))
        return replace(result, steps=tuple(plan_steps(result, lang)))
    if options.month_end == "refuse":
        a = _plan_core(case, book, options.with_(month_end="clip"))
        b = _plan_core(case, book, options.with_(month_end="next_day"))
        if a.end_date != b.end_date:
            raise AmbiguityError([Problem(case.source, "options.month_end",
                f"the result depends on the month-end reading of the window (clip: "
                f"{a.end_date}, next_day: {b.end_date}); choose one of clip, next_day")])
        result = replace(a, options=options)
    else:
        result = _plan_core(case, book, options)
    sens = []
    warnings = list(result.warnings)
    if sensitivity:
        for opt, value in _relevant_alternatives(result, options, book):
            o = options.with_(**{opt: value})
            alt = _plan_core(derive(case, book, o) if opt in DERIVED_OPTIONS else case, book, o, naive_end=False)
            if alt.end_date != result.end_date or alt.already_admissible != result.already_admissible:
                sens.append(Sensitivity(opt, value, alt.end_date, alt.days_to_work))
    result = replace(result, sensitivity=tuple(sens), warnings=tuple(warnings), book=book,
                     beside=beside_for_plan(case, book, options, result.request_date, result.end_date,
                                            result.days_required if result.request_date else None),
                     alternatives=_alternatives(case, book, options, result))
    return replace(result, steps=tuple(plan_steps(result, lang)))


def undetermined_lines(case: Case, book: RuleBook) -> tuple[int, ...]:
    """Career lines whose extending period meets a condition the case cannot decide
    under some rule set of ``book`` (e.g. detention without the person's situation)."""
    out = set()
    for rs in book.rule_sets:
        for e in build_ledger(case, rs).extensions:
            if e.undetermined and e.line >= 0:
                out.add(e.line)
    return tuple(sorted(out))


def _alternatives(case: Case, book: RuleBook, options: Options, result: Plan) -> tuple[Alternative, ...]:
    """Plan again assuming the person was employed when each undecided period began
    (the reading under which it extends); kept when the end date differs. The result
    itself assumes the periods do not extend, so the two end dates bound the answer."""
    lines = undetermined_lines(case, book)
    if not lines:
        return ()
    career = list(case.career)
    for i in lines:
        career[i] = replace(career[i], situation="employment")
    alt = _plan_core(replace(case, career=tuple(career)), book, options, naive_end=False)
    if alt.end_date == result.end_date and alt.already_admissible == result.already_admissible:
        return ()
    return (Alternative(tuple((f"career[{i}].situation", "employment") for i in lines), alt.end_date,
                        alt.days_to_work, alt.already_admissible),)
