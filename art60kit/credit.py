"""Credits of days in the six-day regime: what they mean, and the values that state them.

The ledger of a case under one rule set (which kinds count, which are assimilated,
which extend the window) and the days credited in any window ``[a, b]`` are computed
by the compiled kernel alone (:mod:`art60kit.batch.kernel`; :mod:`art60kit.ledger` gives
its figures to the explanation); :mod:`art60kit.reference` is the independent
day-by-day oracle. This module holds the values the explanation states
(:class:`WindowCredit`, :class:`Extension`) and the registered behaviours' entry points the encoders call (:func:`extension_start`,
:func:`extension_holds`).

Counting semantics (AM 26/11/1991 art. 7; ONEM schémas 1-2E, its commentary on that article):

1. **Rate.** A line in a regime of R days a week with Q/S hours credits ``6/R x Q/S`` per
   worked day; worked days are the first ``ceil(R)`` weekdays from Monday (the
   *pattern*). A fractional R (R days a week on average) credits ``6/ceil(R) x Q/S``
   per pattern day, so that a week counts ``6 x Q/S`` like any regime (A/R x 6). A line measured in total ``hours`` credits ``hours x 6/S``, a line
   measured in ``days`` credits ``days x 6/R``; both are spread evenly over the
   pattern days of the line, so that a window cutting the line takes its share.
   R unknown = 5, S unknown = 38 (ONEM schémas 1 and 2D). Paid public holidays inside a
   period are pattern days like the others (art. 38 § 1, 2°; the VVSG and Smart examples, E1 and E3).
2. **Full quarters.** Uninterrupted full-time work over a whole calendar quarter inside
   the window counts the rule set's ``full_quarter_days`` (AM art. 7 al. 1) whatever the
   number of weekdays. Lines of the
   same employer and regime are one occupation (schéma 2B step 1); a quarter is
   uninterrupted when every pattern day of it that is not a public holiday is covered.
   Option ``crediting=month26``: the same with whole calendar months and
   ``full_month_days``; option ``crediting=mon_sat``: whole quarters as by default, and
   the contract's days read Monday to Saturday (:func:`art60kit.batch.run.read_contract_arrays`). The readings
   are named behaviours, :mod:`art60kit.rules.behaviours`.
3. **Rounding.** Each occupation's result is kept to 4 decimals, rounded half up
   (schéma 2B step 2); the total is rounded up to a whole day (schéma 2E). Option
   ``rounding=exact``: occupation results are truncated to 4 decimals and the total is
   not rounded up.
4. **Caps.** At most the rule set's ``quarter_cap`` days a quarter for all occupations
   together (AM art. 7; schéma 2E for simultaneous occupations). Kinds in a cap group
   (unpaid absences under the rules before the reform) count at most the group's
   ``days_per_calendar_year``, all occupations together (schéma 2A); that allowance is
   part of the quarter's total for the quarter cap, allocated to quarters in date order.

5. **Quarter edges.** In a reference period, work known only by its total (``hours`` or
   ``days``) over a period holding the period's first day and the day before (or its
   last day and the day after) counts all of its days of that quarter; the start
   quarter counts at most its days Monday to Saturday from the period's start for such
   work (AR art. 37, § 1, al. 2; AM art. 7; rule data ``quarter_edges``).

Credits are integers in units of 1/10,000 day (``UNIT``), so that every path computes
exactly the same figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Optional

from .model import Case
from .rules import KindRule, RuleSet

UNIT = 10_000  # credit units per day: 4 decimals
HORIZON_DAYS = 366 * 12  # how far after the contract start a plan is searched


@dataclass(frozen=True)
class Extension:
    """An extending period as the window sees it: ``[a, b]`` after the cap, or
    ``qualifies`` False with the reason (too short, ends before the cap...)."""

    kind: str
    a: int
    b: int
    a0: int  # as entered
    b0: int
    line: int  # career index, or -(event index + 1) for a contract event
    rule: KindRule
    qualifies: bool
    reason: str = ""
    #: the kind's extension condition (``rule.only_if``) could not be decided from the
    #: case: planned as not extending, and the planner also plans the other reading
    undetermined: bool = False

    @property
    def days(self) -> int:
        return self.b - self.a + 1


#: reasons (message keys) why an extending period does not extend: its kind's
#: extension condition fails, or the case cannot tell
REASON_CONDITION_FAILS = "condition_fails"
REASON_SITUATION_UNKNOWN = "situation_unknown"


def extension_start(rule: KindRule, a: int, child_birth: Optional[int]) -> int:
    """The first day (ordinal) from which an extending period entered from day ``a``
    can extend. Inactivity to raise a child (a kind limited by the child's age,
    ``until_child_age``) runs from the child's birth ``child_birth`` (an ordinal, None
    when the case does not give it): a line entered from an earlier day, as from the
    end of the last job, extends only from the birth; the days before the birth do
    not extend (AR 25/11/1991 art. 30, old wording; the union training's figures). A
    line entered from the birth or later, and every other period, extends from its
    first day. The population engine's encoder calls this same function.

    >>> from art60kit.rules import default_rulebook
    >>> rule = default_rulebook().for_date(date(2022, 10, 21)).kind("child_care")
    >>> a, birth = date(2015, 4, 25).toordinal(), date(2015, 7, 5).toordinal()
    >>> date.fromordinal(extension_start(rule, a, birth)), extension_start(rule, a, None) == a
    (datetime.date(2015, 7, 5), True)
    """
    if rule.until_child_age and child_birth is not None and child_birth > a:
        return child_birth
    return a


def extension_holds(case: Case, rs: RuleSet, line: int) -> Optional[bool]:
    """Whether the extending period of career line ``line`` (or contract event
    ``-(line + 1)``) meets its kind's extension condition under ``rs`` (True when the
    kind has none; None when the case cannot tell). The condition is the registered
    behaviour the rule set names (``only_if``); it sees the case's career lines with
    their treatment, and for a contract event the contract itself (the person is then
    employed)."""
    if line >= 0:
        ln = case.career[line]
        kind, a, b, situation = ln.kind, ln.start.toordinal(), ln.end.toordinal(), ln.situation
        others = tuple((l.start.toordinal(), l.end.toordinal(), rs.kind(l.kind).treatment)
                       for j, l in enumerate(case.career) if j != line)
    else:
        ev = case.contract.events[-line - 1]
        kind, a, b, situation = ev.kind, ev.start.toordinal(), ev.end.toordinal(), None
        others = ((case.contract.start.toordinal(), a + HORIZON_DAYS, "counted"),)
    rule = rs.kind(kind)
    if rule.only_if is None:
        return True
    from .rules import behaviours

    return behaviours.get("extension_condition", rule.only_if).fn(a, b, situation, others)


# ---------------------------------------------------------------------------- credits

def counted_days(units: int, rounding: str) -> int:
    """Whole days counted from a total in units: rounded up (ONEM) or down (exact)."""
    return -(-units // UNIT) if rounding == "onem" else units // UNIT


@dataclass(frozen=True)
class OccupationCredit:
    key: str
    units: int  # rounded to 4 decimals
    pattern_days: int  # pattern days credited at the daily rate
    full_periods: int  # whole quarters (or months) credited as a full period
    exact: Fraction


@dataclass(frozen=True)
class WindowCredit:
    units: int
    occupations: tuple[OccupationCredit, ...] = ()
    capped_units: int = 0
    quarter_excess_units: int = 0
    contract_units: int = 0
    #: what the quarter-edge rule's start-quarter cap removes from work known only by its
    #: total (units)
    edge_cut_units: int = 0


CONTRACT_LEAD_DAYS = 400
