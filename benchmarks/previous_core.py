"""The verdict at one request day as the previous design computed it, in Python with
exact fractions over :mod:`art60kit.credit`'s ledger: kept only for the benchmark
baseline (``previous_planner.py``), so that the baseline's speed stays the previous
design's. Nothing in the package imports it.
"""
from __future__ import annotations

from datetime import date

from art60kit.admissibility import ConditionResult, Verdict, career_start
from art60kit.credit import build_ledger, counted_days, read_contract, window_credit
from art60kit.dates import add_years, age_on
from art60kit.model import Case, Options
from art60kit.rules import RuleBook
from art60kit.window import Window, reference_window


def abroad_ok(case: Case, ledger, request: int, crediting: str, rounding: str) -> frozenset:
    """Foreign work lines whose follow-up condition (enough Belgian work after them,
    before the request) holds at ``request``."""
    if not ledger.abroad:
        return frozenset()
    ok = set()
    for ab in ledger.abroad:
        wc = window_credit(ledger, ab.end + 1, request - 1, crediting, rounding, abroad_ok=frozenset())
        if wc.units >= ab.needed_units:
            ok.add(ab.occupation)
    return frozenset(ok)


def evaluate(case: Case, request: date, book: RuleBook, options: Options) -> Verdict:
    """The verdict at ``request`` (no validation of the case; see :func:`check`)."""
    rs = book.for_date(request)
    # the contract as the crediting reading reads it (the verdict keeps the case as given)
    ledger = build_ledger(read_contract(case, rs, options.crediting), rs)
    D = request.toordinal()
    age = age_on(case.person.birth_date, request)
    cat = rs.category(age) if rs.age_categories else None
    conds = rs.conditions_for(cat)
    ab = abroad_ok(case, ledger, D, options.crediting, options.rounding)
    cstart = career_start(case, rs)
    results = []
    windows: dict[int, Window] = {}
    credits: dict[tuple[int, int], int] = {}  # conditions of the same length share a window
    for c in conds:
        w = windows.get(c.months)
        if w is None:
            w = windows[c.months] = reference_window(D, c.months, ledger.extensions,
                                                     options.month_end, options.extension_shift)
        count_from = w.start
        if rs.new_days_rule and case.person.prior_admission:
            count_from = max(count_from, case.person.prior_admission.toordinal())
        units = credits.get((count_from, w.end))
        if units is None:
            units = credits[(count_from, w.end)] = window_credit(
                ledger, count_from, w.end, options.crediting, options.rounding, abroad_ok=ab).units
        counted = counted_days(units, options.rounding)
        min_required = c.days
        past_start = past_end = None
        past_units = past_counted = 0
        past_required = working_days = None
        if c.uses_past:
            past_end = w.start - 1
            past_start = add_years(date.fromordinal(w.start), -c.past_years).toordinal()
            pc = window_credit(ledger, past_start, past_end, options.crediting, options.rounding, abroad_ok=ab)
            past_units, past_counted = pc.units, counted_days(pc.units, options.rounding)
            past_required = c.past_days
            if c.late_start is not None:
                late = c.late_start.required(c.past_days, cstart, past_start, past_end)
                if late is not None:
                    past_required, working_days = late
        # the condition's registered kind decides (rules.behaviours, family "condition")
        required, satisfied, reachable = c.decide(counted, past_counted, past_required)
        results.append(ConditionResult(c, w, count_from, units, counted, required, min_required,
                                       satisfied, past_start, past_end, past_units, past_counted, reachable,
                                       past_required, cstart if working_days is not None else None,
                                       working_days))
    return Verdict(case, request, rs, age, cat, tuple(results), options, ledger=ledger)

