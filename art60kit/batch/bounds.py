"""The figures the compiled search's skip bounds rest on, read from the rule book.

The search (:func:`art60kit.batch.kernel.plan_block`) only skips request days it can
prove are not admissible. Its bounds need the most credit a stretch of days can bring,
and that comes from the rule data, never from literals: a rule set with a larger
quarter cap or larger yearly caps widens the bounds instead of letting the search skip
its true end date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..dates import count_pattern_ordinals, months_ordinals, quarters_ordinals

#: credit units per day (4 decimals), as in the kernel
UNIT = 10_000

#: how far back the search looks for days sliding into a professional-past period (days):
#: beyond the longest past period a rule set can name
SLIDE_SEARCH_DAYS = 366 * 40


@dataclass(frozen=True)
class Limits:
    """The rule book's figures the search's bounds rest on, read from its rule sets:
    the most a calendar quarter can credit (the largest quarter cap) and the most capped
    absences can add in a calendar year (the largest sum of the caps)."""

    quarter_units: int
    year_units: int


@lru_cache(maxsize=64)
def limits(book) -> Limits:
    return Limits(max(rs.counting.quarter_cap for rs in book.rule_sets) * UNIT,
                  int(max(sum(v for v, _ in rs.caps.values()) for rs in book.rule_sets) * UNIT))


def past_gain_bound(slide_days: int, lim: Limits) -> int:
    """Most credit (units) that ``slide_days`` days entering a period can bring: at most
    the quarter cap (AM art. 7) for each calendar quarter such a stretch can meet, plus
    the yearly allowance of capped absences for each calendar year it can meet.

    >>> past_gain_bound(0, Limits(780_000, 120_000)), past_gain_bound(90, Limits(780_000, 120_000))
    (0, 2580000)
    """
    if slide_days <= 0:
        return 0
    return lim.quarter_units * (slide_days // 90 + 2) + lim.year_units * (slide_days // 365 + 2)


def min_pattern_days(mask: int, period: str) -> int:
    """Fewest pattern days (weekdays of ``mask``, bit 0 = Monday) a whole calendar
    ``period`` (``"quarter"`` or ``"month"``) can hold, over 2000-2040.

    >>> min_pattern_days(31, "quarter"), min_pattern_days(31, "month")
    (64, 20)
    """
    return int(_min_pattern_days(period)[mask])


@lru_cache(maxsize=2)
def _min_pattern_days(period: str):
    """:func:`min_pattern_days` of every mask 0..127 at once: each period's count of
    each weekday, then per mask the sum over its weekdays (one matrix product)."""
    import numpy as np

    first, last = date(2000, 1, 1).toordinal(), date(2040, 12, 31).toordinal()
    periods = (quarters_ordinals if period == "quarter" else months_ordinals)(first, last)
    per_day = np.array([[count_pattern_ordinals(a, b, 1 << w) for w in range(7)] for a, b in periods], np.int64)
    bits = (np.arange(128)[:, None] >> np.arange(7)[None, :]) & 1
    return (bits @ per_day.T).min(axis=1)
