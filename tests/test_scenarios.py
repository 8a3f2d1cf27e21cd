"""Scenarios an ONEM expert checks by hand: each asserts the behaviour the rules
require, and the day-by-day reference engine agrees with the planner on each."""
from datetime import date, timedelta

import pytest

from art60kit import case_from_dict, check, plan
from art60kit.reference import reference_plan
from art60kit.rules import default_rulebook


def make(birth, start, career=(), events=(), **contract):
    return case_from_dict({"case_id": "scenario", "person": {"birth_date": birth},
                           "contract": {"start": start, "events": list(events), **contract},
                           "career": list(career)})


def old_rules_only():
    """The pre-2026 rules as if they had stayed in force (for comparisons)."""
    return default_rulebook().with_changes({"ar1991": {"valid_until": None}}).__class__(
        (default_rulebook().with_changes({"ar1991": {"valid_until": None}}).get("ar1991"),))


def agrees_with_reference(case, p):
    r = reference_plan(case)
    assert (r.end_date, r.days_to_work, r.already_admissible) == (p.end_date, p.days_to_work, p.already_admissible)


@pytest.mark.slow
def test_sliding_window_past_work_leaves_during_contract():
    # 7 months of full-time work in 2020; the contract starts in February 2022 (old rules,
    # under 36, 21-month window from May 2020): the 2020 work slides out while the contract runs.
    case = make("1996-04-10", "2022-02-01",
                [{"kind": "work", "start": "2020-06-01", "end": "2020-12-31", "employer": "Interim A", "days_per_week": 5}])
    p = plan(case)
    start = p.start_verdict.closest
    assert start.condition.id == "d312_m21" and start.counted > 150
    assert p.naive_end_date < p.end_date, "old days leaving the window must push the end date later"
    at_end = {r.condition.id: r for r in p.verdict.results}["d312_m21"]
    assert at_end.units - p.contract_units < start.units  # fewer past days at the end than at the start
    assert any(s.id == "naive" for s in p.steps)
    agrees_with_reference(case, p)


@pytest.mark.slow
def test_age_threshold_50_crossed_during_contract():
    # 49 at the start: 468 days in 33 months; turns 50 on 1 March 2024: 624 days in 42 months.
    case = make("1974-03-01", "2023-01-02")
    p = plan(case)
    assert p.start_verdict.category == "36_49"
    assert p.age_category == "50_plus" and p.days_required == 624
    assert p.days_to_work == 624
    agrees_with_reference(case, p)


@pytest.mark.slow
def test_contract_across_reform_date():
    # 40 years old, no career: under the old rules 468 days (18 months) from June 2025;
    # from 1 March 2026 a request needs 312 days in 36 months whatever the age.
    case = make("1985-05-10", "2025-06-02")
    p = plan(case)
    assert p.rules == "reform2026" and p.age_category is None and p.days_required == 312
    assert p.request_date >= date(2026, 3, 1)
    old = plan(case, book=old_rules_only(), sensitivity=False)
    assert old.days_required == 468 and old.end_date > p.end_date
    agrees_with_reference(case, p)


@pytest.mark.slow
def test_contract_ending_just_before_reform_keeps_old_rules():
    case = make("1995-01-01", "2025-02-03")
    p = plan(case)
    assert p.rules == "ar1991" and p.request_date <= date(2026, 2, 28)
    agrees_with_reference(case, p)


@pytest.mark.slow
def test_self_employment_extends_the_window():
    career = [{"kind": "work", "start": "2016-01-04", "end": "2017-06-30", "employer": "Garage", "days_per_week": 5},
              {"kind": "self_employed_main", "start": "2017-07-01", "end": "2022-05-31"}]
    case = make("1992-02-02", "2022-09-05", career)
    p = plan(case)
    without = plan(make("1992-02-02", "2022-09-05", career[:1]), sensitivity=False)
    assert p.window.extended_by_days == (date(2022, 5, 31) - date(2017, 7, 1)).days + 1
    assert p.already_admissible or p.end_date < without.end_date
    agrees_with_reference(case, p)


def test_self_employment_shorter_than_minimum_does_not_extend():
    career = [{"kind": "self_employed_main", "start": "2022-01-01", "end": "2022-05-31"}]  # 5 months < 6
    v = check(make("1992-02-02", "2022-09-05", career), date(2022, 9, 5))
    assert v.closest.window.extended_by_days == 0


@pytest.mark.slow
def test_hours_based_part_time_lines():
    career = [{"kind": "work", "start": "2023-01-02", "end": "2023-03-31", "hours": 247, "full_time_hours": 38},
              {"kind": "work", "start": "2023-04-03", "end": "2023-06-30", "hours": 304, "full_time_hours": 38}]
    case = make("1998-07-07", "2023-09-04", career)
    v = check(case, date(2023, 9, 4))
    # 247 x 6/38 = 39.0000 and 304 x 6/38 = 48.0000
    assert v.closest.units == 87 * 10000
    p = plan(case)
    assert p.days_to_work == 312 - 87 or p.days_to_work == 312 - 87 + 1
    agrees_with_reference(case, p)


def test_younger_person_uses_higher_category_condition():
    # Under 36 with 400 days 25-30 months before the request: 312/21 fails, 468/33 holds.
    career = [{"kind": "work", "start": "2019-01-01", "end": "2020-08-31", "employer": "Usine", "days_per_week": 6}]
    case = make("1995-01-01", "2022-03-01", career)
    v = check(case, date(2022, 9, 1), contract_end=date(2022, 8, 31))
    res = {r.condition.id: r for r in v.results}
    assert v.category == "under_36"
    assert not res["d312_m21"].satisfied
    assert v.admissible and v.holds.condition.id in ("d468_m33", "d624_m42")


def test_older_person_cannot_use_younger_condition():
    v = check(make("1980-01-01", "2023-01-02"), date(2024, 1, 1))
    assert "d312_m21" not in {r.condition.id for r in v.results}


@pytest.mark.slow
def test_unpaid_leave_during_contract_old_and_new_rules():
    base = make("1995-01-01", "2024-01-08")
    leave = [{"kind": "unpaid_leave", "start": "2024-03-04", "end": "2024-03-29"}]  # 4 weeks, 20 weekdays
    with_leave = make("1995-01-01", "2024-01-08", events=leave)
    p0, p1 = plan(base, sensitivity=False), plan(with_leave)
    assert p1.rules == "ar1991"
    # 20 weekdays x 6/5 = 24 six-day-regime days; 12 are assimilated (old art. 38, 12 a year):
    # the contract is longer by about 12 days' worth of work.
    assert p1.end_date > p0.end_date
    shift = (p1.end_date - p0.end_date).days
    assert 12 <= shift <= 17
    agrees_with_reference(with_leave, p1)
    # The same leave under the 2026 rules: nothing is assimilated, the whole leave is caught up.
    b2 = make("1995-01-01", "2026-03-02")
    l2 = make("1995-01-01", "2026-03-02", events=[{"kind": "unpaid_leave", "start": "2026-04-06", "end": "2026-05-01"}])
    q0, q1 = plan(b2, sensitivity=False), plan(l2, sensitivity=False)
    assert q1.rules == "reform2026"
    assert (q1.end_date - q0.end_date).days >= 25


def test_assimilated_sickness_does_not_lengthen_old_contract():
    base = make("1995-01-01", "2024-01-08")
    sick = make("1995-01-01", "2024-01-08",
                events=[{"kind": "sickness_guaranteed_wage", "start": "2024-05-06", "end": "2024-05-17"}])
    assert plan(base, sensitivity=False).end_date == plan(sick, sensitivity=False).end_date


@pytest.mark.slow
def test_indemnified_sickness_extends_the_window_after_reform():
    # From 1 March 2026 indemnified sickness extends the window (art. 30 al. 3, 1°): old
    # work outside 36 months comes back in, and the sick days themselves count nothing.
    career = [{"kind": "work", "start": "2022-06-01", "end": "2023-05-31", "employer": "X", "days_per_week": 5}]
    case = make("1990-01-01", "2026-03-02", career,
                events=[{"kind": "sickness_indemnified", "start": "2026-06-01", "end": "2026-07-31"}])
    p = plan(case)
    assert p.rules == "reform2026"
    agrees_with_reference(case, p)


def test_already_admissible_before_contract():
    career = [{"kind": "work", "start": "2023-01-02", "end": "2024-12-31", "employer": "Ville", "days_per_week": 5}]
    p = plan(make("1995-01-01", "2025-01-06", career))
    assert p.already_admissible and p.end_date is None and p.days_to_work == 0
    assert any(s.id == "already_admissible" for s in p.steps)
    assert p.to_dict()["already_admissible"] is True


def test_no_career_under_36_before_2026_needs_312_days():
    p = plan(make("2000-05-05", "2024-02-05"), sensitivity=False)
    assert (p.days_required, p.days_to_work, p.rules) == (312, 312, "ar1991")


def test_part_time_contract_takes_longer_and_warns():
    full = plan(make("2000-05-05", "2024-02-05"), sensitivity=False)
    part = plan(make("2000-05-05", "2024-02-05", weekly_hours=30.4, full_time_hours=38), sensitivity=False)
    assert part.end_date > full.end_date
    from art60kit.explain import plan_warnings
    assert any("Q/S" in w for w in plan_warnings(part))


def test_work_abroad_counts_only_after_three_months_in_belgium():
    career = [{"kind": "work_abroad", "start": "2022-01-03", "end": "2022-12-30", "days_per_week": 5}]
    case = make("1995-01-01", "2023-02-06", career)
    v0 = check(case, date(2023, 2, 6))
    assert v0.closest.counted == 0  # no Belgian work after it yet
    p = plan(case)
    # after 78 days of the contract the foreign year counts: far less than 312 contract days
    assert p.days_to_work < 312 - 200


def test_options_that_matter_are_reported():
    # E18 under the default (days): the 'ymd' reading gives another window start
    case = make("1988-05-01", "2022-10-21",
                [{"kind": "work", "start": "2015-11-02", "end": "2016-02-26", "employer": "Atelier", "days_per_week": 5},
                 {"kind": "child_care", "start": "2017-03-08", "end": "2022-03-07", "child_birth_date": "2016-03-08"}])
    p = plan(case)
    opts = {s.option for s in p.sensitivity}
    assert p.to_dict()["options_that_mattered"] == [
        {"option": s.option, "value": s.value, "end_date": s.end_date.isoformat() if s.end_date else None,
         "days_to_work": s.days_to_work} for s in p.sensitivity]
    for s in p.sensitivity:
        assert any(st.id == f"option.{s.option}" for st in p.steps)
    assert isinstance(opts, set)


def test_contract_starting_after_easter_monday_counts_the_full_quarter():
    # 1 April 2024 is Easter Monday: a contract from 2 April covers Q2 2024 completely
    p = plan(make("1995-01-01", "2024-04-02"), sensitivity=False)
    r = p.verdict.closest
    assert p.past_units == 0 and r.units == p.contract_units  # days to work = days counted
    assert p.days_to_work == 312


def test_child_raising_entered_from_the_end_of_the_job_extends_from_the_birth():
    # the union training's figure: job ended 24.04.2015, birth 05.07.2015, request
    # 21.10.2022 -> inactivity 05.07.2015-04.07.2021 -> 21-month period from 21.01.2015;
    # entered from the day after the job, the line is cut at the birth and the
    # explanation says so in the reader's language
    from art60kit.explain import plan_warnings, plan_steps
    from art60kit.reference import reference_check

    case = make("1990-01-01", "2022-10-21", [
        {"kind": "work", "start": "2014-01-06", "end": "2015-04-24", "employer": "Atelier"},
        {"kind": "child_care", "start": "2015-04-25", "end": "2021-07-04", "child_birth_date": "2015-07-05"},
        {"kind": "work", "start": "2021-07-05", "end": "2022-10-20", "employer": "CPAS"}]).with_options(
        extension_shift="ymd")
    D = date(2022, 10, 21)
    v = check(case, D)
    w = next(r for r in v.results if r.condition.months == 21).window
    assert date.fromordinal(w.start) == date(2015, 1, 21)
    (e,) = w.used
    assert (date.fromordinal(e.a0), date.fromordinal(e.a), date.fromordinal(e.b)) == \
        (date(2015, 4, 25), date(2015, 7, 5), date(2021, 7, 4))
    assert reference_check(case, D).window_start == date(2015, 1, 21)
    p = plan(case, sensitivity=False)
    said = {"fr": "naissance de l'enfant le 05/07/2015", "nl": "geboorte van het kind op 05/07/2015",
            "de": "Geburt des Kindes am 05/07/2015", "en": "child's birth on 05/07/2015"}
    for lang, words in said.items():
        warnings = plan_warnings(p, lang)
        assert any(words in x for x in warnings), (lang, warnings)
        line = next(s for s in plan_steps(p, lang) if s.id == "line.2")
        assert line.values["extension_days"] == (date(2021, 7, 4) - date(2015, 7, 5)).days + 1
    agrees_with_reference(case, p)


def test_child_raising_that_ends_before_the_birth_does_not_extend():
    from art60kit.explain import plan_steps

    case = make("1990-01-01", "2022-10-21", [
        {"kind": "work", "start": "2019-01-07", "end": "2019-12-31", "employer": "Atelier"},
        {"kind": "child_care", "start": "2020-01-01", "end": "2021-12-31", "child_birth_date": "2022-02-01"}])
    v = check(case, date(2022, 10, 21))
    assert all(r.window.extended_by_days == 0 for r in v.results)
    p = plan(case, sensitivity=False)
    line = next(s for s in plan_steps(p, "fr") if s.id == "line.2")
    assert "se termine avant la naissance de l'enfant le 01/02/2022" in line.text
    # cut at the birth, what is left is shorter than six months
    short = make("1990-01-01", "2022-10-21", [
        {"kind": "work", "start": "2019-01-07", "end": "2019-12-31", "employer": "Atelier"},
        {"kind": "child_care", "start": "2020-01-01", "end": "2021-12-31", "child_birth_date": "2021-09-01"}])
    line = next(s for s in plan_steps(plan(short, sensitivity=False), "nl") if s.id == "line.2")
    assert "geboorte van het kind op 01/09/2021" in line.text and "korter dan 6 maanden" in line.text


def test_a_day_of_extending_period_extends_once_in_years_months_and_days():
    # the same one-day work accident entered twice, or a sickness overlapping it: the
    # window moves back by the merged span's years, months and days, once
    from art60kit.reference import reference_check

    D = date(2026, 3, 2)
    work = {"kind": "work", "start": "2024-01-01", "end": "2024-12-31"}
    acc = {"kind": "work_accident", "start": "2025-06-10", "end": "2025-06-10"}

    def window(*lines):
        case = make("1990-01-01", "2026-03-02", [work, *lines]).with_options(extension_shift="ymd")
        w = check(case, D).closest.window
        assert reference_check(case, D).window_start.toordinal() == w.start
        return date.fromordinal(w.start), date.fromordinal(w.base_start)

    once, base = window(acc)
    assert once == base - timedelta(days=1)
    assert window(acc, acc) == (once, base)
    # 02.05.2025-30.07.2025 overlapping 10.06.2025-09.09.2025: one span 02.05.2025-09.09.2025,
    # 4 months and 8 days
    sick = {"kind": "sickness_indemnified", "start": "2025-05-02", "end": "2025-07-30"}
    start, base = window(sick, dict(acc, end="2025-09-09"))
    y, m = (base.year, base.month - 4) if base.month > 4 else (base.year - 1, base.month + 8)
    assert start == date(y, m, base.day) - timedelta(days=8)
