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
from art60kit.derived_lines import derive
from art60kit.planner import plan
from art60kit.reference import reference_check, reference_plan
from art60kit.rules import default_rulebook

from strategies import assert_planner_equals_reference, cases, late_career_cases, overlapping_extension_cases

BOOK = default_rulebook()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def linear_scan(case):
    s = case.contract.start
    for k in range(HORIZON_DAYS + 1):
        d = s + timedelta(days=k)
        if evaluate(derive(case, BOOK), d, BOOK, case.options).admissible:
            return d
    return None


@FAST
@given(cases())
def test_skipping_search_equals_linear_scan(case):
    p = plan(case, sensitivity=False)
    d = linear_scan(case)
    assert p.request_date == d


def _check_equals_reference_check(case, offset):
    """The Python verdict ``offset`` days after the contract start equals the reference's."""
    d = case.contract.start + timedelta(days=offset)
    v = evaluate(derive(case, BOOK), d, BOOK, case.options)
    r = reference_check(case, d)
    assert v.admissible == r.admissible
    assert v.rules.id == r.rules and v.category == r.category
    c = v.closest
    assert (c.condition.id, c.counted, c.required, c.window.start) == (r.condition, r.counted, r.required, r.window_start.toordinal())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(0, 900))
def test_check_equals_reference_check(case, offset):
    _check_equals_reference_check(case, offset)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(late_career_cases(), st.integers(0, 700))
def test_late_career_check_equals_reference_check(case, offset):
    """People of 36 or more under the old rules whose working life began inside the 10
    years (old art. 32): the Python verdict and the day-by-day reference agree, the past
    requirement included (the reference counts the working days one by one)."""
    _check_equals_reference_check(case, offset)


@FAST
@given(late_career_cases())
def test_late_career_skipping_search_equals_linear_scan(case):
    p = plan(case, sensitivity=False)
    assert p.request_date == linear_scan(case)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(late_career_cases())
def test_late_career_planner_equals_reference_engine(case):
    p = plan(case, sensitivity=False)
    assume(p.request_date is None or p.request_date <= case.contract.start + timedelta(days=366 * 5))
    r = reference_plan(case)
    assert (p.end_date, p.request_date, p.days_to_work, p.already_admissible) == \
           (r.end_date, r.request_date, r.days_to_work, r.already_admissible)


def test_late_career_cases_reach_the_half_rule():
    """The strategy above generates careers for which the half rule decides: a request
    admissible by the professional-past alternative only because the working life began
    inside the 10 years."""
    from hypothesis import find

    def decided_by_half_rule(case):
        v = evaluate(derive(case, BOOK), case.contract.start + timedelta(days=200), BOOK, case.options)
        h = v.holds
        return h is not None and h.past_reduced and h.past_counted < h.condition.past_days

    case = find(late_career_cases(), decided_by_half_rule, settings=settings(max_examples=3000, deadline=None))
    h = evaluate(derive(case, BOOK), case.contract.start + timedelta(days=200), BOOK, case.options).holds
    assert h.past_required < 1560 and h.working_days > 0 and h.past_counted >= h.past_required


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_lines=4))
def test_planner_equals_reference_engine(case):
    assert_planner_equals_reference(case)


@FAST
@given(cases(), st.integers(0, 10**6))
def test_adding_a_worked_day_never_moves_end_date_later(case, pick):
    """A worked weekday added in the 3,000 days before the contract, on no other line,
    after the person's 16th year and after the working life's start, never moves the
    end date later. The day is picked among the days that qualify (rather than drawn
    and then filtered), so that hypothesis does not give up on cases with few of them.

    art. 32's half rule (requests before 1 March 2026): a working day earlier than the
    first counted one moves the working life's start back, and with it the past
    requirement up (half of the working days from that start), so the end date may move
    later; hence the property is for days added after the working life's start."""
    old_rules = default_rulebook().get("ar1991")
    counted = [l.start for l in case.career
               if old_rules.kind(l.kind).treatment in ("counted", "assimilated", "assimilated_capped")]
    assume(counted)
    lo = max(min(counted), case.person.birth_date + timedelta(days=16 * 366),
             case.contract.start - timedelta(days=3000))
    hi = case.contract.start - timedelta(days=1)
    free = [d for d in (lo + timedelta(days=i) for i in range((hi - lo).days + 1))
            if d.weekday() < 5 and not any(l.start <= d <= l.end for l in case.career)]
    assume(free)
    day = free[pick % len(free)]
    p = plan(case, sensitivity=False)
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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_lines=8, min_start=date(2022, 6, 1), max_start=date(2025, 12, 31), events=True)
       .filter(lambda c: c.person.birth_date < date(1988, 1, 1)))
def test_skipping_search_equals_linear_scan_older_people(case):
    """36 and over before 2026: the professional-past conditions (art. 32) grow as days
    slide from the recent window into the 10 years before it."""
    p = plan(case, sensitivity=False)
    assert p.request_date == linear_scan(case)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([1, 2, 3]), st.dates(date(2023, 1, 2), date(2025, 3, 1)))
def test_skipping_search_with_few_days_a_week(dpw, start):
    """A 1-day-a-week full-time regime gains up to 6 days when a quarter completes (78 vs.
    12 Mondays x 6): the skip must allow for it."""
    case = case_from_dict({"person": {"birth_date": "1990-01-01"},
                           "contract": {"start": start.isoformat(), "days_per_week": dpw}})
    assert plan(case, sensitivity=False).request_date == linear_scan(case)


@pytest.mark.parametrize("work_end,years", [("2020-06-30", 7), ("2019-12-31", 6), ("2021-03-31", 5), ("2018-06-30", 8)])
def test_professional_past_conditions_against_linear_scan(work_end, years):
    """art. 32 (c) and (d): a long career before the 33-month window, partly sliding in."""
    end = date.fromisoformat(work_end)
    start = date(end.year - years, end.month, 1)
    for birth in ("1980-05-05", "1972-09-09"):
        case = case_from_dict({"person": {"birth_date": birth}, "contract": {"start": "2023-03-06"},
                               "career": [{"kind": "work", "start": start.isoformat(), "end": work_end,
                                           "employer": "Fabrique", "days_per_week": 5}]})
        p = plan(case, sensitivity=False)
        assert p.request_date == linear_scan(case)


@FAST
@given(cases(events=False), st.integers(0, 250), st.integers(0, 40),
       st.sampled_from(["unpaid_leave", "unpaid_absence", "unjustified_absence", "sickness_indemnified"]))
def test_an_absence_never_shortens_the_contract(case, offset, length, kind):
    p = plan(case, sensitivity=False)
    a = case.contract.start + timedelta(days=offset)
    d = case_to_dict(case)
    d["contract"]["events"] = [{"kind": kind, "start": a.isoformat(), "end": (a + timedelta(days=length)).isoformat()}]
    q = plan(case_from_dict(d), sensitivity=False)
    if p.end_date is not None and q.end_date is not None:
        assert q.end_date >= p.end_date or kind == "sickness_indemnified"  # an extension may bring old work back


@st.composite
def detention_cases(draw):
    """Requests from 1 March 2026 with detention lines, stated or not, near work lines
    that may hold their first day (or the day before)."""
    start = draw(st.dates(date(2026, 3, 2), date(2027, 6, 30)))
    work_end = start - timedelta(days=draw(st.integers(200, 1500)))
    work_start = work_end - timedelta(days=draw(st.integers(60, 1200)))
    gap = draw(st.sampled_from([-30, 0, 1, 2, 40]))  # detention start - (work end + 1)
    d_start = work_end + timedelta(days=1 + gap)
    d_end = min(d_start + timedelta(days=draw(st.integers(30, 1200))), start - timedelta(days=1))
    det = {"kind": "detention", "start": d_start.isoformat(), "end": d_end.isoformat()}
    situation = draw(st.sampled_from([None, None, "employment", "full_unemployment", "neither"]))
    if situation:
        det["situation"] = situation
    career = [{"kind": "work", "start": work_start.isoformat(), "end": work_end.isoformat(), "employer": "A"}, det]
    extra = draw(st.lists(st.sampled_from(["work", "paid_holiday", "sickness_indemnified"]), max_size=2))
    for k in extra:
        a = start - timedelta(days=draw(st.integers(10, 900)))
        career.append({"kind": k, "start": a.isoformat(),
                       "end": min(a + timedelta(days=draw(st.integers(5, 200))), start - timedelta(days=1)).isoformat()})
    data = {"case_id": "det", "person": {"birth_date": "1990-05-01"}, "contract": {"start": start.isoformat()},
            "career": career}
    return case_from_dict(data, source="generated")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(detention_cases())
def test_detention_from_2026_equals_reference_engine(case):
    """Detention extends from 1 March 2026 only during employment or full unemployment:
    the planner reads it from the rule data's named condition, the reference engine its
    own plain way; both plan the 'does not extend' reading when the case cannot tell."""
    p = plan(case, sensitivity=False)
    assume(p.request_date is None or p.request_date <= case.contract.start + timedelta(days=366 * 5))
    r = reference_plan(case)
    assert (p.end_date, p.days_to_work, p.already_admissible) == (r.end_date, r.days_to_work, r.already_admissible)
    if p.alternatives:
        # the other reading is the plan of the case that states employment
        alt = p.alternatives[0]
        career = list(case.career)
        for path, value in alt.assuming:
            i = int(path.split("[")[1].split("]")[0])
            career[i] = replace(career[i], situation=value)
        r2 = reference_plan(replace(case, career=tuple(career)))
        assert (alt.end_date, alt.already_admissible) == (r2.end_date, r2.already_admissible)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overlapping_extension_cases(), st.integers(0, 900))
def test_overlapping_extensions_equal_reference_check(case, offset):
    """A day of extending period extends the window once, in both readings of the
    shift: duplicate, overlapping and touching periods give the planner's window the
    reference engine computes day by day."""
    d = case.contract.start + timedelta(days=offset)
    v = evaluate(case, d, BOOK, case.options)
    r = reference_check(case, d)
    c = v.closest
    assert (v.admissible, c.condition.id, c.counted, c.window.start) == \
           (r.admissible, r.condition, r.counted, r.window_start.toordinal())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overlapping_extension_cases(), st.integers(0, 900))
def test_a_repeated_extending_line_changes_nothing(case, offset):
    """Entering an extending period twice moves the window no further than once."""
    d = case.contract.start + timedelta(days=offset)
    twice = replace(case, career=case.career + (case.career[0],))
    assert evaluate(twice, d, BOOK, case.options).closest.window.start == \
        evaluate(case, d, BOOK, case.options).closest.window.start
