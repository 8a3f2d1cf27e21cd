"""The professional-past alternatives of the old art. 32 (requests up to 28 February
2026): a working life that began inside the 10 years, the ½ and ⅔ limits, and no
combination with a higher age category's requirement. Each scenario is checked by
hand in its docstring, and the day-by-day reference engine agrees with the planner."""
import copy
from datetime import date

import pytest

from art60kit import case_from_dict, check, plan
from art60kit.explain import plan_steps, to_text
from art60kit.i18n import LANGS, fmt_date, fmt_num
from art60kit.reference import reference_plan
from art60kit.rules import RuleBook, default_rulebook, rule_set_from_mapping

BOOK = default_rulebook()


def explain_text(p, lang):
    return to_text(plan_steps(p, lang), lang=lang)


def without_half_rule() -> RuleBook:
    """The rule book as it was without the rule for a career that began inside the 10
    years (for the figures before and after)."""
    raw = copy.deepcopy(dict(BOOK.get("ar1991").raw))
    raw["conditions"] = [dict(c) for c in raw["conditions"]]
    for c in raw["conditions"]:
        if "past" in c:
            c["past"] = {k: v for k, v in c["past"].items() if k != "career_began_inside"}
    return RuleBook((rule_set_from_mapping(raw, "ar1991 without the half rule"), BOOK.get("reform2026")))


def recent_career(contract_start="2025-06-02"):
    """36-49 years old; the first job in May 2018, inside the 10 years."""
    return case_from_dict({
        "case_id": "art32", "person": {"birth_date": "1983-04-12"}, "contract": {"start": contract_start},
        "career": [
            {"kind": "work", "start": "2018-05-09", "end": "2018-05-22", "employer": "Interim"},
            {"kind": "work", "start": "2018-07-23", "end": "2021-12-31", "employer": "Entrepot"},
            {"kind": "work", "start": "2023-05-02", "end": "2023-09-29", "employer": "Nettoyage"},
        ]})


@pytest.mark.slow
def test_a_career_that_began_inside_the_ten_years_needs_half_its_working_days():
    """A person of 42 whose working life began on Wednesday 9 May 2018; contract from
    Monday 2 June 2025, full time, 5 days a week.

    Past work, six-day regime: 9-22 May 2018, 10 weekdays x 6/5 = 12; 23 July-30 September
    2018, 50 weekdays x 6/5 = 60; 13 full quarters (Q4 2018 to Q4 2021) x 78 = 1,014;
    together 1,086. In the 33 months: 2 May-29 September 2023, 5 months = 130.

    With the rule: the contract ends on Monday 29 September 2025 (request on 30
    September): 33 months from 30 December 2022, 10 years from 30 December 2012 to 29
    December 2022. From 9 May 2018 to 29 December 2022: 1,696 days = 242 weeks + 2 days
    (Wednesday 28 and Thursday 29 December), 242 x 6 + 2 = 1,454 working days, half =
    727 <= 1,086 found: 234 days in the 33 months suffice, 130 + 104 contract days.

    Without it, the 1,560 days are out of reach, and the 8-for-1 alternative asks 468 -
    floor(1,086 / 8) = 468 - 135 = 333 days in the 33 months: 99 more days, and the
    contract ends on 23 January 2026 (202 contract days, the 2023 work still in the
    window), almost four months later."""
    case = recent_career()
    p = plan(case)
    assert (p.end_date, p.days_to_work, p.rules, p.age_category) == (date(2025, 9, 29), 104, "ar1991", "36_49")
    r = p.verdict.holds
    assert r.condition.id == "d234_m33_past1560" and r.required == 234 and r.counted == 234
    assert (r.past_counted, r.past_required, r.working_days) == (1086, 727, 1454)
    assert date.fromordinal(r.career_start) == date(2018, 5, 9)
    assert (date.fromordinal(r.past_start), date.fromordinal(r.past_end)) == (date(2012, 12, 30), date(2022, 12, 29))
    ref = reference_plan(case)
    assert (ref.end_date, ref.days_to_work) == (p.end_date, p.days_to_work)

    old = without_half_rule()
    q = plan(case, book=old)
    assert (q.end_date, q.days_to_work) == (date(2026, 1, 23), 202)
    assert q.verdict.holds.condition.id == "d312_m33_8for1" and q.verdict.holds.required == 333
    assert q.verdict.holds.required - r.required == 99
    ref = reference_plan(case, old)
    assert (ref.end_date, ref.days_to_work) == (q.end_date, q.days_to_work)

    # the explanation states the reduced requirement and how it was computed, in every language
    d = p.to_dict()
    step = next(s for s in d["steps"] if s["id"] == "condition.d234_m33_past1560")
    assert step["values"]["past_required"] == 727 and step["values"]["past_working_days"] == 1454
    assert step["values"]["career_start"] == "2018-05-09"
    for lang in LANGS:
        text = explain_text(p, lang)
        for want in (fmt_num(727, lang), fmt_num(1454, lang), fmt_date(date(2018, 5, 9), lang),
                     fmt_date(date(2022, 12, 29), lang), fmt_num(1560, lang)):
            assert want in text, (lang, want)
        assert "d234" not in text and "share_of_working_days" not in text
    en = explain_text(p, "en")
    assert "727 in the 10 years before instead of 1" in en and "half of the 1" in en
    assert "Monday to Saturday" in en


def test_the_half_rule_only_lowers_the_past_part():
    """The same request on 30 September 2025 with the contract stopped on Friday 26
    September, one working day less (233 found in the 33 months): the past part needs 727
    and 1,086 are found, but the alternative still needs 234 in its window (half of
    468): not met, 1 day missing."""
    case = recent_career()
    v = check(case, date(2025, 9, 30), contract_end=date(2025, 9, 26))  # Saturday 27 and 29 are not worked
    r = {x.condition.id: x for x in v.results}["d234_m33_past1560"]
    assert r.past_counted == 1086 and r.past_required == 727 and r.reachable
    assert r.counted == 233 and not r.satisfied and r.missing == 1


def test_a_career_that_began_before_the_ten_years_keeps_1560():
    """The same person with one more day of work on Friday 28 December 2012, the day
    before the 10 years (30 December 2012 to 29 December 2022): the working life began
    before them, so 1,560 days are required (1,086 found, the day outside)."""
    case = recent_career()
    d = case_from_dict({
        "case_id": "art32", "person": {"birth_date": "1983-04-12"}, "contract": {"start": "2025-06-02"},
        "career": [{"kind": "work", "start": "2012-12-28", "end": "2012-12-28", "employer": "Cafe"}]
        + [{"kind": l.kind, "start": l.start.isoformat(), "end": l.end.isoformat(), "employer": l.employer}
           for l in case.career]})
    v = check(d, date(2025, 9, 30))
    r = {x.condition.id: x for x in v.results}["d234_m33_past1560"]
    assert (r.past_counted, r.past_required, r.working_days) == (1086, 1560, None) and not r.reachable
    assert v.holds is None


def test_eight_for_one_needs_two_thirds():
    """36-49, working life from January 2010, before the 10 years (1 January 2012 to 31
    December 2021), so 1,560 days stay required there; found: 18 full quarters (2013 to
    the second quarter of 2017) x 78 = 1,404. 8-for-1: 468 - floor(1,404 / 8) = 468 -
    175 = 293, but never below 312 (two thirds of 468)."""
    case = case_from_dict({
        "case_id": "e41", "person": {"birth_date": "1980-02-01"}, "contract": {"start": "2024-01-08"},
        "career": [{"kind": "work", "start": "2010-01-04", "end": "2010-01-08", "employer": "A"},
                   {"kind": "work", "start": "2013-01-01", "end": "2017-06-30", "employer": "B"}]})
    v = check(case, date(2024, 10, 1))
    r = {x.condition.id: x for x in v.results}
    assert r["d234_m33_past1560"].past_required == 1560 and not r["d234_m33_past1560"].reachable
    assert r["d312_m33_8for1"].past_counted == 1404
    assert r["d312_m33_8for1"].required == 312


def test_no_combination_with_a_higher_category():
    """Request on 1 September 2025. Work from March 2022 to May 2023: 15 months in the 42
    months (from 1 March 2022), about 390 days, but only December 2022 to May 2023 in the
    33 months (from 1 December 2022), about 156, fewer than 234; and work from 2011 to
    2017, more than 1,560 days in the 10 years before the 42 months (March 2012 to
    February 2022). The 50+ alternative (312 in 42 months + 1,560, half of 624) holds at
    51; at 46 only the 36-49 alternatives are open (234 in 33 months + 1,560, 312 in 33
    months with 8-for-1) and neither holds: no combination with the higher category."""
    career = [{"kind": "work", "start": "2011-01-03", "end": "2017-12-29", "employer": "A"},
              {"kind": "work", "start": "2022-03-01", "end": "2023-05-31", "employer": "B"}]
    for birth, ok in (("1979-06-01", False), ("1974-06-01", True)):
        case = case_from_dict({"case_id": "nc", "person": {"birth_date": birth},
                               "contract": {"start": "2025-09-01"}, "career": career})
        v = check(case, date(2025, 9, 1))
        r = {x.condition.id: x for x in v.results}
        assert ("d312_m42_past1560" in r) == ok and ("d234_m33_past1560" in r) != ok
        assert v.admissible == ok
        if ok:
            assert v.holds.condition.id == "d312_m42_past1560" and r["d312_m42_past1560"].past_counted >= 1560
        else:
            assert r["d234_m33_past1560"].counted < 234 and r["d624_m42"].counted >= 312
