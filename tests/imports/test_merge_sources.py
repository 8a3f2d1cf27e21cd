"""Merging career lines from DmfA, CSV and manual entry."""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from art60kit.caseio import case_from_dict
from art60kit.imports.dmfa import read_dmfa
from art60kit.imports.merge import daily_rates, merge, r6_days
from art60kit.imports.synthetic import (Declaration, Occupation, Service, Worker, build_dmfa,
                                        company_id, inss)
from art60kit.planner import plan

P = inss(date(1994, 2, 8), 41)
EMP = company_id(21)
NUM = f"{EMP:010d}"


def dmfa_lines(quarters=((2024, 1), (2024, 2), (2024, 3))):
    decls = [Declaration(y, q, EMP, [Worker(P, [Occupation(date(2023, 12, 4), services=[
        Service(1, 60), Service(2, 4)])])]) for y, q in quarters]
    return read_dmfa(build_dmfa(decls)).career()


def case(lines):
    return case_from_dict({"case_id": "m", "person": {"birth_date": "1994-02-08"},
                           "contract": {"start": "2025-01-06"}, "career": lines})


def test_same_period_from_dmfa_and_by_hand_counts_once():
    dm = dmfa_lines()
    hand = [{"kind": "work", "start": "2024-01-01", "end": "2024-09-30", "days_per_week": 5,
             "employer": NUM, "source": "manual"}]
    r = merge(dm, hand)
    assert [l for l in r.lines if l["source"] == "manual"] == []
    (e,) = r.report.of_type("duplicate", "conflict")
    assert e.line.source == "manual" and e.action == "dropped"
    assert {a.source for a in e.against} == {"dmfa"}
    # The plan is the DmfA-only plan: the typed period did not count a second time.
    only = plan(case(dm)).to_dict()
    both = plan(case(r.career())).to_dict()
    assert both["end_date"] == only["end_date"] and both["past_days_in_window"] == only["past_days_in_window"]
    naive = plan(case(dm + hand)).to_dict()  # what would happen without the merge
    assert naive["past_days_in_window"] >= only["past_days_in_window"]
    # The DmfA line says it was also declared by hand: the source stays visible.
    assert all("manual (manual line 1)" in l["note"] for l in r.lines if l["source"] == "dmfa")


def test_exact_duplicate_is_recognised():
    line = {"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "hours": 152, "full_time_hours": 38,
            "employer": "CPAS de Namur"}
    r = merge([{**line, "source": "csv"}], [{**line, "source": "manual"}])
    assert len(r.lines) == 1 and r.lines[0]["source"] == "csv"
    (e,) = r.report
    assert (e.type, e.presumed, e.needs_review) == ("duplicate", False, False)


def test_conflicting_hours_are_reported_with_both_values():
    dm = [{"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "hours": 152, "full_time_hours": 38,
           "employer": NUM, "source": "dmfa", "source_ref": f"DmfA 2024Q2 employer {NUM} occupation 1 service 001"}]
    cv = [{"kind": "work", "start": "2024-04-01", "end": "2024-06-30", "hours": 160, "full_time_hours": 38,
           "source": "csv", "source_ref": "career.csv line 2"}]
    r = merge(dm, cv)
    (e,) = r.report.needs_review
    assert e.type == "conflict"
    assert (e.line.measure, e.against[0].measure) == ("160 h / S 38", "152 h / S 38")
    assert (e.line_credit, e.against_credit) == (pytest.approx(160 * 6 / 38, abs=1e-4), 24.0)
    text = e.text("en")
    assert "160 h" in text and "152 h" in text and "dmfa wins" in text
    assert "valeurs contradictoires" in e.text("fr") and "tegenstrijdige waarden" in e.text("nl")
    assert [l["hours"] for l in r.lines] == [152]
    # The expert chooses the CSV: its value wins, and the report says it was a choice.
    r2 = merge(dm, cv, choices={e.id: "csv"})
    assert [l["hours"] for l in r2.lines] == [160]
    (e2,) = r2.report.needs_review
    assert e2.line.source == "dmfa" and e2.choice == f"csv ({e.id})"
    assert r2.report.choices == ((e.id, "csv"),)


def test_bad_choices_are_refused():
    dm = dmfa_lines(((2024, 1),))
    hand = [{"kind": "work", "start": "2024-01-01", "end": "2024-03-31", "hours": 400, "full_time_hours": 38}]
    r = merge(dm, hand)
    with pytest.raises(KeyError, match="Mnope"):
        merge(dm, hand, choices={"Mnope": "dmfa"})
    with pytest.raises(ValueError, match="not one of the sources"):
        merge(dm, hand, choices={r.report.entries[0].id: "csv"})


def test_manual_line_for_the_last_quarter_is_kept():
    dm = dmfa_lines(((2024, 1), (2024, 2)))
    last = [{"kind": "work", "start": "2024-07-01", "end": "2024-09-30", "days_per_week": 5,
             "employer": "CPAS", "note": "contract still running, not yet in the DmfA"}]
    r = merge(dm, last)
    assert r.lines[-1]["source"] == "manual" and r.lines[-1]["start"] == "2024-07-01"
    (e,) = r.report.of_type("not_yet_declared")
    assert e.action == "kept" and not e.needs_review
    with_last = plan(case(r.career())).to_dict()["past_days_in_window"]
    assert with_last > plan(case(dm)).to_dict()["past_days_in_window"]


def test_partly_declared_manual_line_is_clipped_to_the_undeclared_part():
    dm = dmfa_lines(((2024, 1), (2024, 2)))
    hand = [{"kind": "work", "start": "2024-05-01", "end": "2024-08-31", "days_per_week": 5, "employer": NUM}]
    r = merge(dm, hand)
    (kept,) = [l for l in r.lines if l["source"] == "manual"]
    assert (kept["start"], kept["end"]) == ("2024-07-01", "2024-08-31")
    assert "[part 2024-07-01..2024-08-31]" in kept["source_ref"] and "merge M" in kept["note"]
    (e,) = r.report.of_type("duplicate", "conflict")
    assert e.action == "clipped" and e.remaining == ((date(2024, 7, 1), date(2024, 8, 31)),)


def test_concurrent_part_time_jobs_are_both_kept():
    a = [{"kind": "work", "start": "2024-01-01", "end": "2024-03-31", "weekly_hours": 19, "full_time_hours": 38,
          "employer": "Shop A", "source": "csv"}]
    b = [{"kind": "work", "start": "2024-02-01", "end": "2024-04-30", "weekly_hours": 19, "full_time_hours": 38,
          "employer": "Shop B", "source": "manual"}]
    r = merge(a, b)
    assert len(r.lines) == 2 and r.lines[1] == {**b[0], "source_ref": "manual line 1"}
    (e,) = r.report
    assert e.type == "concurrent" and e.action == "kept" and not e.needs_review


def test_two_full_time_jobs_never_exceed_one_day_per_day():
    a = [{"kind": "work", "start": "2024-01-01", "end": "2024-03-31", "days_per_week": 5,
          "employer": "Shop A", "source": "csv"}]
    b = [{"kind": "work", "start": "2024-02-01", "end": "2024-04-30", "weekly_hours": 30.4,
          "full_time_hours": 38, "employer": "Shop B", "source": "manual"}]
    r = merge(a, b)
    (e,) = r.report
    assert e.type == "overlap" and e.action == "clipped" and e.needs_review
    assert e.credit_removed == pytest.approx(r6_days(date(2024, 2, 1), date(2024, 3, 31)) * 0.8, abs=1e-3)
    assert max(daily_rates(r.lines).values()) <= 1 + 1e-9
    assert [l["start"] for l in r.lines] == ["2024-01-01", "2024-04-01"]
    # "both": the expert says these are two jobs; still never above one day per day.
    r2 = merge(a, b, choices={e.id: "both"})
    assert max(daily_rates(r2.lines).values()) <= 1 + 1e-9


def test_status_lines_are_not_counted_twice_but_do_not_clip_work():
    se = {"kind": "self_employed_main", "start": "2019-01-01", "end": "2020-12-31"}
    work = {"kind": "work", "start": "2020-06-01", "end": "2020-06-30", "days_per_week": 5}
    r = merge([{**se, "source": "csv"}, work], [{**se, "source": "manual", "end": "2021-03-31"}])
    kinds = sorted((l["kind"], l["source"], l["start"], l["end"]) for l in r.lines)
    # One event, counted once, with the winning source's dates; the other dates are a
    # conflict for the expert.
    assert kinds == [("self_employed_main", "csv", "2019-01-01", "2020-12-31"),
                     ("work", "manual", "2020-06-01", "2020-06-30")]
    (e,) = r.report
    assert (e.type, e.action, e.line.source, e.line.end) == ("conflict", "dropped", "manual", date(2021, 3, 31))
    r2 = merge([{**se, "source": "csv"}, work], [{**se, "source": "manual", "end": "2021-03-31"}],
               choices={e.id: "manual"})
    assert ("self_employed_main", "manual", "2019-01-01", "2021-03-31") in \
        [(l["kind"], l["source"], l["start"], l["end"]) for l in r2.lines]


def test_unmapped_lines_pass_through_and_are_listed():
    u = {"kind": "unmapped", "start": "2024-01-01", "end": "2024-03-31", "days": 3, "days_per_week": 5,
         "source": "dmfa", "source_ref": "DmfA 2024Q1 employer 1 occupation 1 service 999"}
    r = merge(dmfa_lines(((2024, 1),)), [u])
    assert u["source_ref"] in [l["source_ref"] for l in r.lines]
    assert [e.line.source_ref for e in r.report.of_type("unmapped")] == [u["source_ref"]]


def test_career_line_objects_are_accepted():
    c = case([{"kind": "work", "start": "2024-01-01", "end": "2024-03-31", "days_per_week": 5}])
    r = merge(c.career)
    assert r.lines[0]["source"] == "manual" and r.report.entries == ()
    assert "no duplicate" in r.report.to_text()


# -- properties ----------------------------------------------------------------------

SOURCES = ["dmfa", "csv", "manual"]
EMPLOYERS = [None, "Shop A", "Shop B", NUM]


@st.composite
def source_line(draw):
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
    end = start + timedelta(days=draw(st.integers(0, 120)))
    n = r6_days(start, end)
    d = {"kind": draw(st.sampled_from(["work", "work", "paid_holiday", "sickness_guaranteed_wage",
                                       "temporary_unemployment", "unpaid_absence"])),
         "start": start.isoformat(), "end": end.isoformat(), "source": draw(st.sampled_from(SOURCES))}
    emp = draw(st.sampled_from(EMPLOYERS))
    if emp:
        d["employer"] = emp
    share = draw(st.sampled_from([1.0, 0.5, 0.8, 0.25]))
    m = draw(st.sampled_from(["regime", "hours", "days"]))
    # Measures rounded down: a line alone never declares more than full time here
    # (a single over-declared line is the data's problem, capped by the core per quarter).
    if m == "regime":
        d.update(days_per_week=5, weekly_hours=38 * share, full_time_hours=38)
    elif m == "hours":
        d.update(hours=math.floor(n * share * 38 / 6 * 100) / 100, full_time_hours=38)
    else:
        d.update(days=math.floor(min(n * share * 5 / 6, (end - start).days + 1) * 100) / 100, days_per_week=5)
    return d


@settings(max_examples=150, deadline=None)
@given(st.lists(source_line(), max_size=8))
def test_never_more_than_six_days_a_week_and_nothing_silently_dropped(lines):
    r = merge(lines)
    rates = daily_rates(r.lines)
    assert all(v <= 1 + 1e-6 for v in rates.values())
    weeks = defaultdict(float)
    for d, v in rates.items():
        weeks[d.isocalendar()[:2]] += v
    assert all(v <= 6 + 1e-6 for v in weeks.values())
    # Every input line is in the result unchanged, or named by a report entry that
    # says what happened to it.
    out = {(l["source"], l["source_ref"]) for l in r.lines}
    changed = {(e.line.source, e.line.source_ref) for e in r.report if e.action != "kept"}
    counts = defaultdict(int)
    for l in lines:
        counts[l["source"]] += 1
        ref = l.get("source_ref") or f"{l['source']} line {counts[l['source']]}"
        assert (l["source"], ref) in out or (l["source"], ref) in changed
    # The merged lines are valid case lines.
    case(r.career())


@settings(max_examples=40, deadline=None)
@given(st.lists(source_line(), min_size=1, max_size=6))
def test_merge_is_idempotent(lines):
    once = merge(lines)
    twice = merge(once.lines)
    assert [(l["kind"], l["start"], l["end"]) for l in twice.lines] == \
           [(l["kind"], l["start"], l["end"]) for l in once.lines]
