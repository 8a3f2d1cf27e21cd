"""The per-case search of the previous design, kept only as a benchmark baseline.

Before the search was written once (compiled, :func:`art60kit.batch.kernel.plan_block`,
used for one case by :mod:`art60kit.planner` and for populations by
:mod:`art60kit.batch.engine`), the per-case planner had its own search in Python over
the per-case credit functions. ``benchmarks/bench_batch.py`` times it on a sample of
the population, in the same run, to report the population engine's speed against the
previous per-case planner. Nothing in the package imports it.
"""
from __future__ import annotations

import bisect
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

import numpy as np

from art60kit.admissibility import Verdict
from previous_core import evaluate
from art60kit.batch.bounds import Limits, SLIDE_SEARCH_DAYS, limits, past_gain_bound as _past_gain_bound
from art60kit.credit import HORIZON_DAYS, UNIT
from previous_core import build_ledger, contract_credit, contract_daily_units, window_credit
from art60kit.dates import birthday, count_pattern_ordinals, months_ordinals, quarters_ordinals
from art60kit.model import Case, Options
from art60kit.rules import RuleBook


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


def plan_previous(case: Case, book: RuleBook, options: Optional[Options] = None) -> tuple[Optional[date], int]:
    """(end date, days to work) by the previous design's search."""
    options = options or case.options
    v, first, _, _ = _search(case, book, options)
    if first.admissible or v is None:
        return None, 0
    end = v.request_date - timedelta(days=1)
    return end, _contract_days(case, book, options, end)[0]
