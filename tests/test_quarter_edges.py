"""Work known only by a quarter's total in the quarters where a reference period starts
or ends (royal decree of 25 November 1991, art. 37, § 1, al. 2; ministerial decree of
26 November 1991, art. 7): the published example, the end quarter, the lines the rule
does not concern, and the compiled engines against the day-by-day reference engine on
careers declared quarter by quarter."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from art60kit.admissibility import evaluate
from art60kit.caseio import case_from_dict
from art60kit.credit import UNIT
from art60kit.derived_lines import derive
from art60kit.errors import InputError
from art60kit.planner import plan
from art60kit.reference import reference_check, reference_plan
from art60kit.rules import default_rulebook

from strategies import assert_planner_equals_reference, quarter_edge_cases

BOOK = default_rulebook()
#: a request on 10 September 2022 under 36: the 21 months run from 10 December 2020
REQUEST = date(2022, 9, 10)
#: part time 19/38 over the 4th quarter of 2020, declared as its 247 hours
Q4_2020 = {"kind": "work", "start": "2020-10-01", "end": "2020-12-31", "hours": 247, "full_time_hours": 38,
           "employer": "Atelier"}


def _case(*lines, start=REQUEST):
    return case_from_dict({"person": {"birth_date": "1995-03-03"}, "contract": {"start": start.isoformat()},
                           "career": list(lines)}, "<case>")


def _window_result(case, months=21):
    v = evaluate(derive(case, BOOK), REQUEST, BOOK, case.options)
    return next(r for r in v.results if r.condition.months == months)


def test_published_example_start_quarter_capped_at_its_days_monday_to_saturday():
    """247 hours at S = 38 in the 4th quarter of 2020, a reference period from 10
    December 2020: 247 x 6/38 = 39 days deemed inside it, at most the 19 days Monday to
    Saturday from 10 to 31 December 2020 (spread over the quarter's working days, the
    window alone would hold 39 x 16/66 = 9.45)."""
    case = _case(Q4_2020)
    r = _window_result(case)
    assert date.fromordinal(r.window.start) == date(2020, 12, 10)
    assert r.units == 19 * UNIT and r.counted == 19
    ref = reference_check(case, REQUEST)
    assert (ref.condition, ref.counted, ref.window_start) == ("d312_m21", 19, date(2020, 12, 10))


def test_end_quarter_counts_the_whole_quarter_without_cap():
    """A window ending on 9 September 2022 inside a line declared for the 3rd quarter of
    2022 counts the line's whole 39 days."""
    line = dict(Q4_2020, start="2022-07-01", end="2022-09-30", employer="Ville")
    case = _case(Q4_2020, line, start=date(2022, 9, 12))
    r = _window_result(case)
    assert r.units == (19 + 39) * UNIT
    assert reference_check(case, REQUEST).counted == 19 + 39


def test_total_under_the_cap_counts_whole():
    """10 days declared for the start quarter stay 10 (under the 19-day cap)."""
    case = _case(dict(Q4_2020, hours=None, days=10, days_per_week=5))
    assert _window_result(case).units == 12 * UNIT  # 10 days in a 5-day regime: 10 x 6/5


def test_start_quarter_cap_holds_for_every_line_given_by_its_total():
    """200 hours at S = 38 from 14 to 31 December 2020 (overtime: 31.58 days) count at
    most the 19 days Monday to Saturday from 10 December 2020 to the quarter's end."""
    case = _case(dict(Q4_2020, start="2020-12-14", hours=200))
    assert _window_result(case).units == 19 * UNIT
    assert reference_check(case, REQUEST).counted == 19


@pytest.mark.parametrize("line", [
    # a weekly pattern places the work in time: only its days in the window count
    {"kind": "work", "start": "2020-10-01", "end": "2020-12-31", "days_per_week": 5, "weekly_hours": 19,
     "full_time_hours": 38},
    # known to have ended before the reference period: its work lies before it
    dict(Q4_2020, end="2020-12-09", hours=200),
    # assimilated days keep their spread over the line's days (the rule is about work)
    dict(Q4_2020, kind="paid_holiday"),
])
def test_lines_the_rule_does_not_concern(line):
    case = _case(line)
    plain = BOOK.with_changes({"ar1991": {"quarter_edges": None}})
    v = evaluate(derive(case, plain), REQUEST, plain, case.options)
    without = next(r for r in v.results if r.condition.months == 21).units
    assert _window_result(case).units == without


def test_rule_data_names_only_work_or_assimilated_kinds():
    with pytest.raises(InputError) as e:
        BOOK.with_changes({"reform2026": {"quarter_edges": {"kinds": ["detention"]}}})
    assert "quarter_edges.kinds[0]" in str(e.value)


def test_plan_equals_reference_engine_on_the_published_example():
    case = _case(Q4_2020, start=date(2022, 5, 2))
    p = plan(case, sensitivity=False)
    r = reference_plan(case)
    assert (p.end_date, p.request_date, p.days_to_work) == (r.end_date, r.request_date, r.days_to_work)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_edge_cases(), st.integers(0, 800))
def test_verdict_equals_reference_engine(case, offset):
    """At any request day, the kernel's verdict (windows credited under the rule) equals
    the reference engine's day-by-day one."""
    d = case.contract.start + timedelta(days=offset)
    v = evaluate(derive(case, BOOK), d, BOOK, case.options)
    r = reference_check(case, d)
    c = v.closest
    assert (v.admissible, c.condition.id, c.counted, c.required, c.window.start) == \
        (r.admissible, r.condition, r.counted, r.required, r.window_start.toordinal())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_edge_cases())
def test_skipping_search_equals_linear_scan(case):
    """The search's skip bounds allow for work a window counts to its last quarter's
    end: it never skips a request day at which a condition holds."""
    p = plan(case, sensitivity=False)
    s = case.contract.start
    first = None
    for k in range(3 * 366):
        d = s + timedelta(days=k)
        if evaluate(derive(case, BOOK), d, BOOK, case.options).admissible:
            first = d
            break
    assume(first is not None or p.request_date is None or p.request_date > s + timedelta(days=3 * 366))
    assert p.request_date == first or (first is None and p.request_date is not None)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_edge_cases(max_lines=3))
def test_planner_equals_reference_engine(case):
    assert_planner_equals_reference(case)
