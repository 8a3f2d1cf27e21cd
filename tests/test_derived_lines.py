"""Career lines the law adds to a case (art60kit.derived_lines): student hours beyond
the yearly quota, public holidays paid after a job ends. The planner, the admissibility
check and the population engine read the derived case; the reference engine computes
the same lines its own way, day by day."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art60kit import check, plan
from art60kit.caseio import case_from_dict
from art60kit.derived_lines import derive, law_data
from art60kit.errors import InputError
from art60kit.i18n import LANGS
from art60kit.model import END_REASONS, Options
from art60kit.reference import reference_check, reference_plan
from art60kit.rules import default_rulebook, rule_set_from_mapping

BOOK = default_rulebook()
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def derived_cases(draw):
    """Cases with student lines (hours, possibly across a year end, overlapping) and
    jobs with an end reason ending shortly before public holidays."""
    start = draw(st.dates(date(2024, 6, 1), date(2026, 12, 31)))
    career = []
    for _ in range(draw(st.integers(1, 3))):
        a = start - timedelta(days=draw(st.integers(30, 3 * 366)))
        b = min(a + timedelta(days=draw(st.integers(0, 400))), start - timedelta(days=1))
        line = {"kind": "student_contract", "start": a.isoformat(), "end": b.isoformat(),
                "hours": draw(st.integers(0, max(1, ((b - a).days + 1) * 8)))}
        if draw(st.booleans()):
            line["days_per_week"] = draw(st.sampled_from([2, 3, 5, 6]))
        if draw(st.booleans()):
            line["employer"] = draw(st.sampled_from(["Café", "Magasin"]))
        career.append(line)
    for _ in range(draw(st.integers(0, 2))):
        # a job ending a few days before Christmas, Easter Monday's month or 1 May
        anchor = draw(st.sampled_from([date(y, m, d) for y in (2023, 2024, 2025) for m, d in ((12, 25), (5, 1), (7, 21))]))
        end = anchor - timedelta(days=draw(st.integers(1, 35)))
        if end >= start:
            continue
        a = end - timedelta(days=draw(st.integers(5, 120)))
        line = {"kind": "work", "start": a.isoformat(), "end": end.isoformat(),
                "end_reason": draw(st.sampled_from(("term", "dismissal") * 2 + END_REASONS[2:]))}
        measure = draw(st.sampled_from(["regime", "hours", "days"]))
        if measure == "hours":
            line["hours"] = draw(st.integers(1, ((end - a).days + 1) * 7))
        elif measure == "days":
            # at most the regime's days in each calendar week the job meets (the loader's bound)
            dpw = draw(st.sampled_from([4, 5, 6]))
            weeks = (end.toordinal() - end.weekday() - (a.toordinal() - a.weekday())) // 7 + 1
            line["days"] = draw(st.integers(1, min((end - a).days + 1, dpw * weeks)))
            line["days_per_week"] = dpw
        else:
            line["days_per_week"] = draw(st.sampled_from([4, 5, 6]))
        career.append(line)
    if draw(st.booleans()):  # other work that may cover a holiday after a job
        a = start - timedelta(days=draw(st.integers(10, 900)))
        career.append({"kind": "work", "start": a.isoformat(),
                       "end": min(a + timedelta(days=draw(st.integers(0, 60))), start - timedelta(days=1)).isoformat(),
                       "employer": "Ville"})
    data = {"case_id": "gen", "person": {"birth_date": "1998-02-14"}, "contract": {"start": start.isoformat()},
            "career": career,
            "options": {"student_quota": draw(st.sampled_from(["reverted", "kept"])),
                        "holidays_after_end": draw(st.sampled_from(["ignored", "assimilated"])),
                        "crediting": draw(st.sampled_from(["quarter78", "quarter78", "month26"]))}}
    return case_from_dict(data, source="generated")


@SLOW
@given(derived_cases(), st.integers(0, 400))
def test_check_equals_reference_check(case, offset):
    d = case.contract.start + timedelta(days=offset)
    v = check(case, d)
    r = reference_check(case, d)
    c = v.closest
    assert (v.admissible, c.condition.id, c.counted, c.required) == (r.admissible, r.condition, r.counted, r.required)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(derived_cases())
def test_planner_equals_reference_engine(case):
    p = plan(case, sensitivity=False)
    r = reference_plan(case)
    assert (p.end_date, p.days_to_work, p.already_admissible) == (r.end_date, r.days_to_work, r.already_admissible)


@SLOW
@given(derived_cases())
def test_derivation_is_pure_and_rederives_from_the_case_as_read(case):
    once = derive(case, BOOK)
    assert derive(case, BOOK) == once
    assert derive(once, BOOK) == once  # a derived case derives again from the case as read
    other = case.options.with_(holidays_after_end="assimilated" if case.options.holidays_after_end == "ignored"
                               else "ignored")
    assert derive(derive(case, BOOK, other), BOOK, case.options) == once
    # the lines of the case file keep their places; added lines say where they come from
    assert once.career[:len(case.career)] == case.career
    assert all(l.derived_from is not None and l.derived_from < len(case.career) for l in once.career[len(case.career):])


def _case(career, options=None, start="2026-04-01"):
    d = {"case_id": "t", "person": {"birth_date": "2002-03-10"}, "contract": {"start": start}, "career": career}
    if options:
        d["options"] = options
    return case_from_dict(d)


def test_student_quota_is_dated_rule_data():
    sq = law_data(BOOK).student_quota
    assert [sq.hours(y, "reverted") for y in (2016, 2017, 2022, 2023, 2024, 2025, 2030)] == \
        [None, 475, 475, 600, 600, 475, 475]
    assert sq.hours(2025, "kept") == 600 and sq.hours(2024, "kept") == 600
    assert sq.doubt(2025).confidence == "U" and sq.doubt(2024) is None


def test_student_hours_split_where_the_quota_is_used_up():
    # 900 hours over the 250 weekdays of 08.01-20.12.2024: 3.6 h a day; 600 h used after 166.67 days
    c = derive(_case([{"kind": "student_contract", "start": "2024-01-08", "end": "2024-12-20", "hours": 900}]), BOOK)
    (n,) = c.derivation.student
    assert (n.quota, n.beyond, n.added) == (600, 300, 1)
    added = c.career[1]
    assert (added.kind, added.hours, added.end, added.derived_from) == ("work", 300.0, date(2024, 12, 20), 0)
    weekdays = [date(2024, 1, 8) + timedelta(days=k) for k in range(348)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    assert len(weekdays) == 250 and added.start == weekdays[166]  # the 167th weekday holds hour 600


def test_a_student_line_across_new_year_uses_each_years_quota():
    c = derive(_case([{"kind": "student_contract", "start": "2024-12-02", "end": "2025-01-31", "hours": 1300}]), BOOK)
    years = {n.year: n for n in c.derivation.student}
    assert set(years) == {2024, 2025}
    assert all(n.beyond > 0 for n in years.values())
    assert sum(n.hours for n in years.values()) == 1300
    assert years[2024].quota == 600 and years[2025].quota == 475


def test_a_student_line_without_hours_is_reported():
    p = plan(_case([{"kind": "student_contract", "start": "2024-07-01", "end": "2024-08-30", "days": 40}]))
    for lang in LANGS:
        ws = p.to_dict(lang)["warnings"]
        assert any("2024" in w and "600" in w for w in ws), (lang, ws)


def test_holidays_option_off_by_default_and_reported_when_it_matters():
    assert Options().holidays_after_end == "ignored"
    c = _case([{"kind": "work", "start": "2025-02-03", "end": "2025-12-20", "end_reason": "term"}], start="2026-01-12")
    p = plan(c)
    assert not c.derivation and len(derive(c, BOOK).career) == 1
    mattered = {s.option: s for s in p.sensitivity}
    assert "holidays_after_end" in mattered and mattered["holidays_after_end"].end_date < p.end_date
    on = plan(c.with_options(holidays_after_end="assimilated"))
    assert on.end_date == mattered["holidays_after_end"].end_date
    assert [l.start for l in on.case.career[1:]] == [date(2025, 12, 25), date(2026, 1, 1)]


def test_no_alternative_planned_for_a_case_the_options_cannot_change():
    p = plan(_case([{"kind": "work", "start": "2025-02-03", "end": "2025-12-20"}], start="2026-01-12"))
    assert not any(s.option in ("holidays_after_end", "student_quota") for s in p.sensitivity)


@pytest.mark.parametrize("lang", LANGS)
def test_explanation_states_the_added_lines_in_each_language(lang):
    c = _case([{"kind": "student_contract", "start": "2025-01-06", "end": "2025-12-19", "hours": 1000},
               {"kind": "work", "start": "2025-02-03", "end": "2025-12-20", "end_reason": "dismissal",
                "employer": "Interim"},
               {"kind": "work", "start": "2025-12-29", "end": "2026-01-09", "employer": "Boulangerie"}],
              {"holidays_after_end": "assimilated"}, start="2026-03-02")
    d = plan(c).to_dict(lang)
    steps = {s["id"]: s for s in d["steps"]}
    st_ = steps["derived.student.1.2025"]
    assert "1.000" in st_["text"] or "1 000" in st_["text"] or "1,000" in st_["text"]
    assert "525" in st_["text"] and "475" in st_["text"] and "600" in st_["text"]  # the doubt's other reading
    assert "17bis" in st_["reference"]
    hol = steps["derived.holidays.2"]
    assert "25/12/2025" in hol["text"] and "01/01/2026" in hol["text"]  # counted, then not counted (employed)
    assert hol["values"]["public_holidays"] == ["2025-12-25"]
    assert hol["values"]["not_counted"] == [{"date": "2026-01-01", "why": "employed"}]
    assert "38" in hol["reference"] and "18/04/1974" in hol["reference"]
    assert "derived" not in hol["text"] and "holidays_after_end" not in hol["text"]  # no internal names


def test_the_doubtful_quota_is_reported_when_it_changes_the_end_date():
    c = _case([{"kind": "student_contract", "start": "2025-01-06", "end": "2025-12-19", "hours": 1000},
               {"kind": "work", "start": "2024-09-02", "end": "2024-12-31"}], start="2026-03-02")
    p = plan(c)
    s = {x.option: x for x in p.sensitivity}["student_quota"]
    assert (p.end_date, p.days_to_work) == (date(2026, 7, 24), 126)
    assert (s.value, s.end_date, s.days_to_work) == ("kept", date(2026, 8, 17), 146)
    assert plan(c.with_options(student_quota="kept")).end_date == s.end_date


def test_bad_end_reason_one_line_exit_2(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_text("person: {birth_date: 1990-01-01}\ncontract: {start: 2026-01-12}\ncareer:\n"
                 "  - {kind: work, start: 2025-01-06, end: 2025-06-30, end_reason: fired}\n"
                 "  - {kind: work, start: 2025-07-01, end: 2025-08-29, end_reason: [term]}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "art60kit", "plan", str(f), "--lang", "en"], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert "Traceback" not in r.stderr
    assert any("career[0].end_reason" in l and "fired" in l for l in lines), lines
    assert any("career[1].end_reason" in l for l in lines), lines
    assert len(lines) == 2, lines


def test_derived_from_is_not_a_field_of_the_case_format():
    c = _case([{"kind": "work", "start": "2025-09-01", "end": "2025-09-30", "derived_from": 0}])
    assert c.career[0].derived_from is None
    assert any(w.path == "career[0].derived_from" for w in c.warnings)


def test_end_reason_on_another_kind_is_a_warning():
    c = _case([{"kind": "sickness_indemnified", "start": "2025-01-06", "end": "2025-06-30", "end_reason": "term"}])
    assert any(w.path == "career[0].end_reason" for w in c.warnings)


def test_rule_data_refuses_unknown_keys_and_bad_values():
    raw = dict(BOOK.get("reform2026").raw)
    bad = dict(raw, student_quota=dict(raw["student_quota"], hours_a_year=475))
    with pytest.raises(InputError) as e:
        rule_set_from_mapping(bad, "x.yaml")
    assert any(p.path == "student_quota.hours_a_year" for p in e.value.problems)
    bad = dict(raw, holidays_after_end=dict(raw["holidays_after_end"], end_reasons=["term", "retirement"]))
    with pytest.raises(InputError) as e:
        rule_set_from_mapping(bad, "x.yaml")
    assert any(p.path == "holidays_after_end.end_reasons[1]" for p in e.value.problems)
    years = [{"from": 2023, "hours": 600}, {"from": 2017, "hours": 475}]
    bad = dict(raw, student_quota=dict(raw["student_quota"], years=years))
    with pytest.raises(InputError):
        rule_set_from_mapping(bad, "x.yaml")


def test_a_book_with_two_different_quotas_is_refused():
    from art60kit.rules import RuleBook

    raw = dict(BOOK.get("ar1991").raw)
    sq = dict(BOOK.get("reform2026").raw["student_quota"], years=[{"from": 2017, "hours": 500}])
    other = rule_set_from_mapping(dict(raw, student_quota=sq), "x.yaml")
    with pytest.raises(InputError):
        law_data(RuleBook((other, BOOK.get("reform2026"))))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(derived_cases(), min_size=3, max_size=8), st.sampled_from(["ignored", "assimilated"]),
       st.sampled_from(["reverted", "kept"]))
def test_population_engine_equals_planner(cases, holidays, quota):
    pytest.importorskip("numba")
    from dataclasses import replace

    from art60kit.batch import cases_to_tables, plan_population

    cases = [replace(c, case_id=f"c{i}") for i, c in enumerate(cases)]
    # plus cases the kernel plans itself (no line to derive)
    plain = [replace(_case([{"kind": "work", "start": "2024-01-08", "end": "2024-12-20"}]), case_id="plain")]
    opts = Options(holidays_after_end=holidays, student_quota=quota)
    ct, lt = cases_to_tables(cases + plain)
    got = plan_population(ct, lt, options=opts, progress=False).set_index("case_id")
    for c in cases + plain:
        p = plan(c.with_options(holidays_after_end=holidays, student_quota=quota, crediting="quarter78"),
                 sensitivity=False)
        row = got.loc[c.case_id]
        end = None if row["end_date"] is None or str(row["end_date"]) == "NaT" else row["end_date"].date()
        assert (end, int(row["days_to_work"])) == (p.end_date, p.days_to_work), c.case_id


def test_uncertain_student_hours_give_the_range():
    from art60kit.uncertain import plan_range

    c = _case([{"kind": "student_contract", "start": "2025-01-06", "end": "2025-12-19",
                "hours": {"min": 300, "max": 1000}, "doubt": "payslips missing"},
               {"kind": "work", "start": "2024-09-02", "end": "2024-12-31"}], start="2026-03-02")
    r = plan_range(c)
    lo = plan(_case([{"kind": "student_contract", "start": "2025-01-06", "end": "2025-12-19", "hours": 1000},
                     {"kind": "work", "start": "2024-09-02", "end": "2024-12-31"}], start="2026-03-02"),
              sensitivity=False)
    hi = plan(_case([{"kind": "work", "start": "2024-09-02", "end": "2024-12-31"}], start="2026-03-02"),
              sensitivity=False)  # 300 hours: all within the quota, as if no student line
    assert (r.end_min, r.end_max) == (lo.end_date, hi.end_date) and lo.end_date < hi.end_date


def test_the_answer_sheet_fingerprints_the_case_as_entered():
    from art60kit.caseio import case_to_dict
    from art60kit.derived_lines import as_read

    c = _case([{"kind": "student_contract", "start": "2024-01-08", "end": "2024-12-20", "hours": 900}])
    p = plan(c)
    assert len(p.case.career) == 2 and as_read(p.case) is not p.case
    assert case_to_dict(as_read(p.case)) == case_to_dict(c)
    steps = p.to_dict("en")["steps"]
    assert "added from line 1" in next(s["text"] for s in steps if s["id"] == "line.2")
