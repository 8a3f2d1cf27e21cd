"""Properties of the planner on generated cases (hypothesis).

The fast planner skips days it can prove are not admissible; the linear scan and the
day-by-day reference engine (art60kit.reference) are the oracles.
"""
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from art60kit.admissibility import evaluate
from art60kit.caseio import case_from_dict, case_to_dict
from art60kit.credit import HORIZON_DAYS
from art60kit.planner import plan
from art60kit.reference import reference_check, reference_plan
from art60kit.rules import default_rulebook

from strategies import cases

BOOK = default_rulebook()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def linear_scan(case):
    s = case.contract.start
    for k in range(HORIZON_DAYS + 1):
        d = s + timedelta(days=k)
        if evaluate(case, d, BOOK, case.options).admissible:
            return d
    return None


@FAST
@given(cases())
def test_skipping_search_equals_linear_scan(case):
    p = plan(case, sensitivity=False)
    d = linear_scan(case)
    assert p.request_date == d


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(0, 900))
def test_check_equals_reference_check(case, offset):
    d = case.contract.start + timedelta(days=offset)
    v = evaluate(case, d, BOOK, case.options)
    r = reference_check(case, d)
    assert v.admissible == r.admissible
    assert v.rules.id == r.rules and v.category == r.category
    c = v.closest
    assert (c.condition.id, c.counted, c.required, c.window.start) == (r.condition, r.counted, r.required, r.window_start.toordinal())


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_lines=4))
def test_planner_equals_reference_engine(case):
    p = plan(case, sensitivity=False)
    assume(p.request_date is None or p.request_date <= case.contract.start + timedelta(days=366 * 5))
    r = reference_plan(case)
    assert (p.end_date, p.request_date, p.days_to_work, p.already_admissible) == \
           (r.end_date, r.request_date, r.days_to_work, r.already_admissible)


@FAST
@given(cases(), st.integers(1, 3000))
def test_adding_a_worked_day_never_moves_end_date_later(case, back):
    p = plan(case, sensitivity=False)
    day = case.contract.start - timedelta(days=back)
    assume(day.weekday() < 5)
    # outside every extending period (and not overlapping other lines, so it is a new day)
    for l in case.career:
        assume(not (l.start <= day <= l.end))
    assume(day >= case.person.birth_date + timedelta(days=16 * 366))
    d = case_to_dict(case)
    d["career"].append({"kind": "work", "start": day.isoformat(), "end": day.isoformat(), "days_per_week": 5})
    q = plan(case_from_dict(d), sensitivity=False)
    if p.already_admissible:
        assert q.already_admissible
    elif p.end_date is not None:
        assert q.already_admissible or (q.end_date is not None and q.end_date <= p.end_date)


@FAST
@given(cases())
def test_end_date_never_precedes_the_start(case):
    p = plan(case, sensitivity=False)
    if p.end_date is not None:
        assert p.end_date >= case.contract.start
        assert p.request_date == p.end_date + timedelta(days=1)
        assert p.days_to_work >= 1


@FAST
@given(cases(), st.randoms(use_true_random=False))
def test_order_of_career_lines_does_not_matter(case, rnd):
    lines = list(case.career)
    rnd.shuffle(lines)
    p = plan(case, sensitivity=False)
    q = plan(replace(case, career=tuple(lines)), sensitivity=False)
    assert (p.end_date, p.days_to_work, p.days_required, p.rules) == (q.end_date, q.days_to_work, q.days_required, q.rules)


@settings(max_examples=40, deadline=None)
@given(st.dates(date(1965, 1, 1), date(2004, 1, 1)), st.dates(date(2023, 1, 2), date(2025, 1, 1)))
def test_no_career_under_36_before_2026_needs_312(birth, start):
    from art60kit.dates import age_on
    case = case_from_dict({"person": {"birth_date": birth.isoformat()}, "contract": {"start": start.isoformat()}})
    p = plan(case, sensitivity=False)
    assume(p.rules == "ar1991" and age_on(birth, p.request_date) < 36)
    assert p.days_required == 312 and p.days_to_work == 312
