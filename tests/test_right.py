"""The figures beside the end date: the right the request opens (art. 114), the dispense
from the stage (art. 42), the subsidy limit; their case fields and rule data."""
import copy
import json
import subprocess
import sys
from datetime import date

import pytest

from art60kit.caseio import case_from_dict, case_to_dict
from art60kit.errors import InputError
from art60kit.planner import plan
from art60kit.right import (EXEMPTIONS, benefit_right, beside_rules, right_end, subsidy)
from art60kit.rules import default_rulebook

BOOK = default_rulebook()
NEW = beside_rules(BOOK.get("reform2026"))
OLD = beside_rules(BOOK.get("ar1991"))

# Full-time work from 2024 to the contract: admissible soon after a contract of 2026.
BASE = {
    "case_id": "r1",
    "person": {"birth_date": "1990-03-10"},
    "contract": {"start": "2026-09-07"},
    "career": [{"kind": "work", "start": "2025-10-06", "end": "2026-06-30", "employer": "A"}],
}


def case(**changes):
    d = copy.deepcopy(BASE)
    for path, v in changes.items():
        where, key = path.split("__")
        d[where][key] = v
    return case_from_dict(d, source="r.yaml")


# ---------------------------------------------------------------- the right, as a rule

def test_right_end_is_date_to_date():
    assert right_end(date(2026, 9, 1), 12) == date(2027, 8, 31)
    # 31 February 2027 does not exist: read as for the reference window (option month_end)
    assert right_end(date(2026, 3, 31), 11) == date(2027, 2, 27)
    assert right_end(date(2026, 3, 31), 11, "next_day") == date(2027, 2, 28)


@pytest.mark.parametrize("past,used,extra", [
    (312, 0, 0), (415, 0, 0), (416, 0, 1), (312 + 104 * 5 + 3, 0, 5),
    (312 + 104 * 30, 0, 12),  # at most twelve more months
    (312 + 104 * 5, 104 * 2, 3),  # days already used for an earlier extension
    (200, 0, 0),  # fewer days than the admission's (a higher requirement): nothing left
])
def test_one_month_per_104_days_beyond_the_312(past, used, extra):
    r = benefit_right(NEW, date(2026, 10, 1), date(1990, 1, 1), past, 312, used)
    assert r.limited and r.extra_months == extra
    assert r.days_for_extension == max(0, past - 312 - used)
    assert r.end == right_end(date(2026, 10, 1), 12 + extra)


def test_declared_exemption_unlimited():
    for cat in EXEMPTIONS:
        r = benefit_right(NEW, date(2026, 10, 1), date(1990, 1, 1), 500, 312, exemption=cat)
        assert r.computed and r.limited is False and r.end is None and r.exemption == cat


@pytest.mark.parametrize("request_date,years,unlimited", [
    (date(2026, 10, 1), 31, True), (date(2026, 10, 1), 30, False),
    (date(2027, 10, 1), 31, False), (date(2027, 10, 1), 32, True),
    (date(2031, 5, 1), 35, True), (date(2031, 5, 1), 34.5, False),
])
def test_55_with_the_career_of_the_year(request_date, years, unlimited):
    r = benefit_right(NEW, request_date, date(1960, 1, 1), 500, 312, career_years=years)
    assert (r.limited is False) == unlimited
    assert not r.career_years_missing


def test_55_without_career_years_is_limited_and_flagged():
    r = benefit_right(NEW, date(2026, 10, 1), date(1960, 1, 1), 500, 312)
    assert r.limited and r.career_years_missing and r.career_years_needed == 31
    young = benefit_right(NEW, date(2026, 10, 1), date(1980, 1, 1), 500, 312)
    assert not young.career_years_missing and young.career_years_needed is None


def test_old_rules_do_not_compute_the_right():
    r = benefit_right(OLD, date(2025, 10, 1), date(1990, 1, 1), 900, 312)
    assert r.computed is False and r.end is None


# ---------------------------------------------------------------- in the plan

def test_plan_shows_the_right_and_its_arithmetic():
    p = plan(case(), sensitivity=False)
    d = p.to_dict("en")
    r = d["right"]
    assert d["dispense_de_stage"] is False
    assert r["computed"] and r["limited"] and r["request_date"] == d["request_date"]
    # the parts re-add: past - admission - used = days for the extension
    assert r["professional_past_days"] - r["days_for_admission"] - r["days_used_before"] == r["days_for_extension"]
    assert r["extra_months"] == min(12, r["days_for_extension"] // 104)
    assert r["end"] == right_end(p.request_date, 12 + r["extra_months"]).isoformat()
    step = next(s for s in d["steps"] if s["id"] == "right")
    assert "art. 114" in step["reference"] and str(r["professional_past_days"]) in step["text"]


def test_longer_career_lengthens_the_right():
    short = plan(case(), sensitivity=False)
    d = copy.deepcopy(BASE)
    d["career"].insert(0, {"kind": "work", "start": "2015-01-05", "end": "2019-12-31", "employer": "B"})
    long_ = plan(case_from_dict(d), sensitivity=False)
    assert long_.beside.right.extra_months == 12  # five years beyond the window: more than 12 x 104 days
    assert long_.beside.right.end > short.beside.right.end


def test_exemption_in_the_plan_text_fr():
    p = plan(case(person__right_exemption="rcc"), sensitivity=False, lang="fr")
    d = p.to_dict("fr")
    assert d["right"]["limited"] is False and d["right"]["exemption"] == "rcc"
    step = next(s for s in d["steps"] if s["id"] == "right")
    assert "n'est pas limité dans le temps" in step["text"] and "§ 2" in step["reference"]


def test_55_plus_warning_when_career_years_missing():
    p = plan(case(person__birth_date="1968-01-01"), sensitivity=False)
    assert any("55" in w or "56" in w or "58" in w for w in p.to_dict("en")["warnings"])
    p2 = plan(case(person__birth_date="1968-01-01", person__career_years=36), sensitivity=False)
    assert p2.beside.right.limited is False and p2.beside.right.exemption == "age_55_career"


def test_dispense_no_contract_needed():
    p = plan(case(person__previous_right_end="2026-12-31"), lang="nl")
    assert p.dispense_de_stage and p.end_date is None and p.days_to_work == 0
    d = p.to_dict("nl")
    assert d["dispense_de_stage"] is True and d["end_date"] is None
    assert d["right"]["continues_previous_right"] and d["right"]["end"] == "2026-12-31"
    step = next(s for s in d["steps"] if s["id"] == "dispense_de_stage")
    assert "art. 42" in step["reference"] and "31/12/2026" in step["text"]
    assert not any(s["id"] == "end_date" for s in d["steps"])


def test_right_ended_before_the_contract_no_dispense():
    before = plan(case(), sensitivity=False)
    p = plan(case(person__previous_right_end="2026-09-06"), sensitivity=False)
    assert not p.dispense_de_stage and p.end_date == before.end_date


def test_old_rules_dispense_not_modelled_is_said():
    d = copy.deepcopy(BASE)
    d["contract"]["start"] = "2025-10-06"
    d["person"]["previous_right_end"] = "2025-12-31"
    p = plan(case_from_dict(d), sensitivity=False)
    assert not p.dispense_de_stage
    assert any("01/03/2026" in w for w in p.to_dict("en")["warnings"])


def test_planned_end_past_the_end_date_warns():
    p0 = plan(case(), sensitivity=False)
    later = p0.end_date.replace(year=p0.end_date.year + 1)
    p = plan(case(contract__planned_end=later.isoformat()), sensitivity=False)
    d = p.to_dict("en")
    n = (later - p0.end_date).days
    assert d["subsidy"]["days_beyond_end_date"] == n and d["subsidy"]["covered_until"] == p0.end_date.isoformat()
    assert any(f"{n} days after the end date" in w for w in d["warnings"])
    ok = plan(case(contract__planned_end=p0.end_date.isoformat()), sensitivity=False).to_dict("en")
    assert ok["subsidy"]["days_beyond_end_date"] == 0
    assert not any("after the end date" in w for w in ok["warnings"])


def test_flanders_work_experience_limit():
    p = plan(case(contract__region="flanders", contract__work_experience_start="2024-01-01"), sensitivity=False)
    d = p.to_dict("en")
    assert d["subsidy"]["region_limit_end"] == "2025-12-31"
    assert d["subsidy"]["end_date_beyond_region_limit"] is True
    assert any("temporary work experience" in w for w in d["warnings"])
    fine = plan(case(contract__region="flanders"), sensitivity=False).to_dict("en")
    assert fine["subsidy"]["region_limit_end"] == "2028-09-06"
    assert not fine["subsidy"]["end_date_beyond_region_limit"]


def test_wallonia_named_in_the_subsidy_step():
    d = plan(case(contract__region="wallonia"), sensitivity=False, lang="fr").to_dict("fr")
    step = next(s for s in d["steps"] if s["id"] == "subsidy")
    assert "wallon" in step["text"] and "Région wallonne" in step["reference"]
    # before 1 March 2026 the Walloon limit is not in force
    s = subsidy(NEW, date(2025, 1, 6), date(2025, 12, 31), region="wallonia")
    assert s.region_limit is None


def test_new_fields_round_trip():
    c = case(person__previous_right_end="2026-01-31", person__right_exemption="arts_worker",
             person__career_years=12.5, person__days_used_for_extension=208,
             contract__planned_end="2027-09-06", contract__region="flanders",
             contract__work_experience_start="2026-06-01")
    assert case_from_dict(case_to_dict(c), source="r.yaml") == c


# ---------------------------------------------------------------- bad input, one line each

BAD = [
    ("person", "previous_right_end", "2026-02-30", "person.previous_right_end: not a valid date"),
    ("person", "previous_right_end", "1980-01-01", "person.previous_right_end: 1980-01-01 is before the birth date"),
    ("person", "right_exemption", "pensioner", "person.right_exemption: 'pensioner' is not one of"),
    ("person", "career_years", -1, "person.career_years: must be zero or more"),
    ("person", "career_years", 75, "person.career_years: must be between 0 and 60"),
    ("person", "career_years", "many", "person.career_years: not a number"),
    ("person", "days_used_for_extension", -5, "person.days_used_for_extension: must be zero or more"),
    ("contract", "planned_end", "2026-09-01", "contract.planned_end: 2026-09-01 is before the contract start"),
    ("contract", "planned_end", 20270101, "contract.planned_end: not a date"),
    ("contract", "region", "Wallonie", "contract.region: 'Wallonie' is not one of"),
    ("contract", "work_experience_start", "2026-10-01", "contract.work_experience_start: 2026-10-01 is after the contract start"),
]


@pytest.mark.parametrize("where,key,value,message", BAD)
def test_bad_new_field_one_line(where, key, value, message):
    d = copy.deepcopy(BASE)
    d[where][key] = value
    with pytest.raises(InputError) as e:
        case_from_dict(d, source="r.yaml")
    lines = str(e.value).splitlines()
    assert len(lines) == 1 and lines[0].startswith("r.yaml: " + message), lines


def test_previous_right_before_its_admission():
    d = copy.deepcopy(BASE)
    d["person"].update(prior_admission="2024-05-01", previous_right_end="2024-04-30")
    with pytest.raises(InputError, match="before the admission that opened it"):
        case_from_dict(d)


def test_cli_bad_new_fields_exit_2_all_reported(tmp_path):
    d = copy.deepcopy(BASE)
    d["person"].update(right_exemption=3, career_years=[1])
    d["contract"].update(region="mars", planned_end="yesterday")
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(d))
    r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 4 and all(l.startswith(f"{f}: ") for l in lines), lines


def test_work_experience_outside_flanders_is_a_warning():
    c = case(contract__work_experience_start="2026-01-05", contract__region="brussels")
    assert any("work_experience_start" in str(w) for w in c.warnings)


# ---------------------------------------------------------------- rule data

def test_rule_data_is_checked():
    rs = BOOK.get("reform2026")
    assert NEW.right.base_months == 12 and NEW.right.days_per_extra_month == 104 and NEW.right.max_extra_months == 12
    assert set(NEW.right.unlimited) == set(EXEMPTIONS)
    assert OLD.right is None and OLD.dispense_ref is None and NEW.dispense_ref is not None
    # a value of the wrong type is refused when the rule set is loaded (rules.schema)
    with pytest.raises(InputError) as e:
        BOOK.with_changes({"reform2026": {"benefit_right": {"days_per_extra_month": "many"}}})
    assert "benefit_right.days_per_extra_month" in str(e.value)
    bad = BOOK.with_changes({"reform2026": {"benefit_right": {"unlimited": {"pensioner": {"reference": "x", "cite": [{"doc": "onem_t200"}]}}}}})
    with pytest.raises(InputError) as e:
        beside_rules(bad.get("reform2026"))
    assert "pensioner" in str(e.value)
    assert rs.raw["benefit_right"]["extension_ref"]["reference"].startswith("AR 25/11/1991 art. 114")


# ---------------------------------------------------------------- against the reference engine

from datetime import timedelta  # noqa: E402
from dataclasses import replace  # noqa: E402

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from art60kit.reference import reference_right  # noqa: E402
from art60kit.right import professional_past_days  # noqa: E402
from strategies import cases  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_lines=4, min_start=date(2025, 6, 2)), st.integers(0, 500), st.integers(0, 500),
       st.sampled_from([None, None, 20.0, 31.0, 35.0]), st.sampled_from([None, None, None, "rcc"]))
def test_right_equals_reference_engine(case, offset, used, years, exemption):
    D = case.contract.start + timedelta(days=offset)
    assume(D >= date(2026, 3, 1) or offset % 5 == 0)  # mostly requests under the 2026 rules
    case = replace(case, person=replace(case.person, days_used_for_extension=float(used), career_years=years,
                                        right_exemption=exemption))
    rs = BOOK.for_date(D)
    rules = beside_rules(rs)
    got = benefit_right(rules, D, case.person.birth_date,
                        professional_past_days(case, rs, D, case.options) if rules.right else 0, 312,
                        case.person.days_used_for_extension, exemption, years, case.options.month_end)
    ref = reference_right(case, D, 312)
    if not got.computed:
        assert ref.limited is None
        return
    assert (got.limited, got.end, got.past_days, got.extra_months) == \
           (ref.limited, ref.end, ref.past_days, ref.extra_months)


def test_wallonia_planned_end_warns_once_without_flemish_text():
    p0 = plan(case(), sensitivity=False)
    later = p0.end_date.replace(year=p0.end_date.year + 1)
    d = plan(case(contract__region="wallonia", contract__planned_end=later.isoformat()), sensitivity=False,
             lang="fr").to_dict("fr")
    assert d["subsidy"]["region_limit_end"] == d["end_date"]
    assert not d["subsidy"]["planned_end_beyond_region_limit"]
    assert sum("fin prévue" in w for w in d["warnings"]) == 1
    assert not any("flamande" in w for w in d["warnings"])


def test_right_figures_in_belgian_format():
    d = copy.deepcopy(BASE)
    d["career"].insert(0, {"kind": "work", "start": "2015-01-05", "end": "2019-12-31", "employer": "B"})
    step = next(s for s in plan(case_from_dict(d), sensitivity=False, lang="fr").to_dict("fr")["steps"]
                if s["id"] == "right")
    from art60kit.i18n import fmt_num

    past = plan(case_from_dict(d), sensitivity=False).beside.right.past_days
    assert past > 1000 and fmt_num(past, "fr") in step["text"] and str(past) not in step["text"]


def test_check_json_says_dispense(tmp_path):
    d = copy.deepcopy(BASE)
    d["person"]["previous_right_end"] = "2026-12-31"
    f = tmp_path / "c.json"
    f.write_text(json.dumps(d))
    run = lambda day: subprocess.run([sys.executable, "-m", "art60kit", "check", str(f), "--date", day, "--json",  # noqa: E731
                                      "--lang", "fr"], capture_output=True, text=True, timeout=120)
    inside, after = json.loads(run("2026-12-31").stdout), json.loads(run("2027-01-01").stdout)
    assert inside["dispense_de_stage"] is True and inside["steps"][-1]["id"] == "dispense_de_stage"
    assert after["dispense_de_stage"] is False
