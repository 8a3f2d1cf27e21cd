"""Admissibility at a request date: which condition holds, or how many days are missing.

``check(case, D)`` takes the rule set in force at ``D`` (the benefit request date, the
day after the contract's last day), the person's age category at ``D``, and tries every
condition open to that category (a younger person may use an older category's
condition: ONEM leaflet T31's age table). For each condition it builds the (extended) window and counts
the days credited in it: past career and contract days up to ``D - 1``.

Conditions with a professional past (AR art. 32, before 1 March 2026) look at the 10
years before the window: ``(c)`` needs ``past_days`` there; ``(d)`` (8-for-1) is
equivalent to ``recent >= max(days, target - floor(past / ratio))``, which is how its
effective requirement is reported. When the person's working life began inside the
10 years, ``(c)`` needs a share of the working days from its start to the end of the 10
years instead (the condition's ``past.career_began_inside``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from .credit import UNIT, counted_days
from .dates import add_years, age_on
from .derived_lines import derive
from .errors import InputError, Problem
from .model import Case, Options
from .rules import Condition, RuleBook, RuleSet, default_rulebook
from .window import Window


@dataclass(frozen=True)
class ConditionResult:
    condition: Condition
    window: Window
    count_from: int  # first day counted (window start, or later under the new-days rule)
    units: int  # credit in the window, units of 1/10,000 day
    counted: int  # whole days counted (ONEM: rounded up)
    required: int  # days this condition demands now (8-for-1: effective figure)
    min_required: int  # the least it can ever demand (for the planner's lower bound)
    satisfied: bool
    past_start: Optional[int] = None
    past_end: Optional[int] = None
    past_units: int = 0
    past_counted: int = 0
    reachable: bool = True  # False when a past-work part fails and only time can fix it
    #: days the past period must hold (the condition's past_days, or less for a career
    #: that began inside it: then ``career_start`` and the ``working_days`` counted)
    past_required: Optional[int] = None
    career_start: Optional[int] = None
    working_days: Optional[int] = None

    @property
    def past_reduced(self) -> bool:
        """The past requirement is the one of a career that began inside the period."""
        return self.working_days is not None

    @property
    def missing(self) -> int:
        return 0 if self.satisfied else max(0, self.required - self.counted)

    def as_dict(self) -> dict:
        d = dict(self.condition.as_dict())
        d.update({"required": self.required, "counted": self.counted,
                  "units": self.units / UNIT, "satisfied": self.satisfied, "missing": self.missing,
                  "window": self.window.as_dict()})
        if self.past_start is not None:
            d["past_window"] = {"start": date.fromordinal(self.past_start).isoformat(),
                                "end": date.fromordinal(self.past_end).isoformat()}
            d["past_counted"] = self.past_counted
        if self.past_required is not None:
            d["past_required"] = self.past_required
        if self.past_reduced:
            d["career_start"] = date.fromordinal(self.career_start).isoformat()
            d["past_working_days"] = self.working_days
        return d


@dataclass(frozen=True)
class Verdict:
    case: Case
    request_date: date
    rules: RuleSet
    age: int
    category: Optional[str]
    results: tuple[ConditionResult, ...]
    options: Options
    warnings: tuple[str, ...] = ()
    ledger: object = field(default=None, repr=False, compare=False)

    @property
    def holds(self) -> Optional[ConditionResult]:
        for r in self.results:
            if r.satisfied:
                return r
        return None

    @property
    def admissible(self) -> bool:
        return self.holds is not None

    @property
    def closest(self) -> ConditionResult:
        """The condition that holds, or the one with the fewest days missing (a
        condition whose past-work part fails comes last)."""
        if self.holds:
            return self.holds
        return min(self.results, key=lambda r: (not r.reachable, r.missing))

    @property
    def days_missing(self) -> int:
        return self.closest.missing


def abroad_ok(case: Case, ledger, request: int, crediting: str, rounding: str) -> frozenset:
    """Foreign work lines whose follow-up condition (enough Belgian work after them,
    before the request) holds at ``request``: their occupations in ``ledger``."""
    return ledger.abroad_ok(request, rounding)


def case_ledger(case: Case, rs: RuleSet, crediting: str):
    """The case seen through ``rs`` under crediting reading ``crediting``: built by the
    compiled kernel (:func:`art60kit.ledger.build_ledger`), or, for a case whose figures
    do not fit its exact integers, counted day by day with exact fractions
    (:class:`art60kit.ledger.DayByDayLedger`, as the planner plans such a case)."""
    from .ledger import DayByDayLedger, build_ledger

    led = build_ledger(case, rs, crediting)
    return led if led is not None else DayByDayLedger(case, rs, crediting)


def evaluate(case: Case, request: date, book: RuleBook, options: Options) -> Verdict:
    """The verdict at ``request`` (no validation of the case; see :func:`check`): the
    compiled kernel's verdict (:meth:`art60kit.ledger.Ledger.conditions`), its windows
    and credits, as the explanation states them."""
    rs = book.for_date(request)
    # the contract as the crediting reading reads it (the verdict keeps the case as given)
    ledger = case_ledger(case, rs, options.crediting)
    D = request.toordinal()
    age = age_on(case.person.birth_date, request)
    cat = rs.category(age) if rs.age_categories else None
    cstart = ledger.career_start  # the first day of the working life under rs
    p = case.person
    verdict = ledger.conditions(D, p.birth_date.toordinal(), p.prior_admission.toordinal() if p.prior_admission else -1,
                                options.rounding, options.month_end, options.extension_shift) \
        if hasattr(ledger, "conditions") else None
    if verdict is not None:
        from .batch import kernel as K

        rows = verdict[1]
        tried = [(rs.conditions[int(r[K.CR_CI])], (int(r[K.CR_UNITS]), int(r[K.CR_COUNTED]), int(r[K.CR_PUNITS]),
                                                     int(r[K.CR_PCOUNTED]), bool(r[K.CR_SAT]), bool(r[K.CR_REACH]),
                                                     int(r[K.CR_REQ]), int(r[K.CR_PREQ]), int(r[K.CR_WDAYS])))
                 for r in rows]
    else:
        tried = [(c, None) for c in rs.conditions_for(cat)]
        ab = ledger.abroad_ok(D, options.rounding)
    results = []
    windows: dict[int, Window] = {}
    for c, fig in tried:
        w = windows.get(c.months)
        if w is None:
            w = windows[c.months] = ledger.window(D, c.months, options.month_end, options.extension_shift)
        count_from = w.start
        if rs.new_days_rule and case.person.prior_admission:
            count_from = max(count_from, case.person.prior_admission.toordinal())
        past_start = past_end = None
        past_required = working_days = None
        if c.uses_past:
            past_end = w.start - 1
            past_start = add_years(date.fromordinal(w.start), -c.past_years).toordinal()
            past_required = c.past_days
        if fig is None:
            # beyond the kernel's integers: the registered behaviours, on the credits
            # counted day by day
            if c.uses_past and c.late_start is not None:
                late = c.late_start.required(c.past_days, cstart, past_start, past_end)
                if late is not None:
                    past_required, working_days = late
            units = ledger.credit(count_from, w.end, options.rounding, abroad_ok=ab, edges=True).units
            past_units = ledger.credit(past_start, past_end, options.rounding, abroad_ok=ab).units \
                if c.uses_past else 0
            counted = counted_days(units, options.rounding)
            past_counted = counted_days(past_units, options.rounding) if c.uses_past else 0
            required, satisfied, reachable = c.decide(counted, past_counted, past_required)
        else:
            # the kernel's figures: the requirement in force (8-for-1: the effective one),
            # the professional past's, the working days of a career that began inside it
            units, counted, past_units, past_counted, satisfied, reachable, required, preq, wdays = fig
            if c.past_days is not None:
                past_required = preq
            if wdays >= 0:
                working_days = wdays
        results.append(ConditionResult(c, w, count_from, units, counted, required, c.days,
                                       satisfied, past_start, past_end, past_units, past_counted, reachable,
                                       past_required, cstart if working_days is not None else None,
                                       working_days))
    return Verdict(case, request, rs, age, cat, tuple(results), options, ledger=ledger)


def check(case: Case, request: date, book: Optional[RuleBook] = None,
          options: Optional[Options] = None, contract_end: Optional[date] = None) -> Verdict:
    """Is the person admissible on request date ``request``?

    Contract days count from the contract start up to ``request - 1`` (or up to
    ``contract_end`` if given: a contract that stopped earlier).
    """
    book = book or default_rulebook()
    options = options or case.options
    case = derive(case, book, options)  # career lines the law adds (art60kit.derived_lines)
    if request < case.person.birth_date:
        raise InputError([Problem(case.source, "request_date", "before the birth date")])
    if contract_end is not None:
        from dataclasses import replace
        from .model import Event
        stop = contract_end + timedelta(days=1)
        if stop < request:
            evs = tuple(e for e in case.contract.events if e.start <= contract_end)
            evs = evs + (Event("unmapped", stop, request - timedelta(days=1), "after the contract end"),)
            case = replace(case, contract=replace(case.contract, events=evs))
    return evaluate(case, request, book, options)
