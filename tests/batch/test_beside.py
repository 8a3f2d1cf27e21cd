"""The population engine's columns beside the end date (dispense, subsidy limit) equal
the per-case planner's; cases that give these fields are validated and planned by it."""
from __future__ import annotations

import pandas as pd
import pytest

from art60kit.batch import (RunStats, cases_to_tables, compare_results, plan_per_case, plan_population, population,
                            tables_to_cases)

pytest.importorskip("numba")

COLS = ["end_date", "days_to_work", "days_required", "condition_id", "rules", "request_date",
        "dispense_de_stage", "subsidy_days_beyond", "subsidy_region_limit_end"]


def _beside_cases():
    base = {"person": {"birth_date": "1990-03-10"}, "contract": {"start": "2026-09-07"},
            "career": [{"kind": "work", "start": "2025-10-06", "end": "2026-06-30", "employer": "A"}]}

    def c(cid, person=None, contract=None):
        d = {"case_id": cid, "person": {**base["person"], **(person or {})},
             "contract": {**base["contract"], **(contract or {})}, "career": base["career"]}
        return d

    return [c("plain"), c("dispense", person={"previous_right_end": "2026-12-31"}),
            c("ended", person={"previous_right_end": "2026-09-06"}),
            c("planned", contract={"planned_end": "2027-12-31"}),
            c("flanders", contract={"region": "flanders", "work_experience_start": "2025-01-01"}),
            c("rcc", person={"right_exemption": "rcc"})]


def test_beside_columns_equal_per_case():
    cases, lines = cases_to_tables(_beside_cases() + tables_to_cases(*population(20, seed=7)))
    st = RunStats()
    got = plan_population(cases, lines, progress=False, stats=st)
    ref = plan_per_case(cases, lines)
    for c in ("end_date", "request_date", "subsidy_region_limit_end"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    assert compare_results(got, ref, COLS).empty
    g = got.set_index("case_id")
    assert g.loc["dispense", "dispense_de_stage"] and pd.isna(g.loc["dispense", "end_date"])
    assert g.loc["dispense", "days_to_work"] == 0 and g.loc["dispense", "engine"] == "planner"
    assert not g.loc["ended", "dispense_de_stage"] and g.loc["ended", "end_date"] == g.loc["plain", "end_date"]
    beyond = (pd.Timestamp("2027-12-31") - g.loc["planned", "end_date"]).days
    assert g.loc["planned", "subsidy_days_beyond"] == beyond > 0
    assert g.loc["flanders", "subsidy_region_limit_end"] == pd.Timestamp("2026-12-31")
    assert st.kernel >= 20  # the population without these fields stays in the kernel


def test_bad_beside_column_is_one_line_per_problem():
    cases, lines = cases_to_tables(_beside_cases()[:1])
    cases["right_exemption"] = ["pensioner"]
    cases["planned_end"] = ["2026-01-01"]
    got = plan_population(cases, lines, progress=False)
    err = got.loc[0, "error"].splitlines()
    assert len(err) == 2 and "right_exemption" in err[0] and "planned_end" in err[1], err


def test_right_columns_on_request_equal_the_plan():
    from art60kit.batch.rightcols import RIGHT_COLUMNS
    from art60kit.caseio import case_from_dict
    from art60kit.planner import plan

    dicts = _beside_cases()
    cases, lines = cases_to_tables(dicts + tables_to_cases(*population(12, seed=3)))
    plain = plan_population(cases, lines, progress=False)
    assert not set(RIGHT_COLUMNS) & set(plain.columns)  # only on request
    got = plan_population(cases, lines, progress=False, right=True).set_index("case_id")
    assert got["right_end"].notna().sum() >= 5
    for d in dicts:
        r = plan(case_from_dict(d), sensitivity=False).to_dict()["right"]
        row = got.loc[d["case_id"]]
        assert (None if pd.isna(row["right_end"]) else row["right_end"].date().isoformat()) == r.get("end")
        assert row["right_limited"] == r.get("limited")
        if not r.get("continues_previous_right"):
            assert row["right_months"] == r.get("months") or (pd.isna(row["right_months"]) and r.get("months") is None)
            assert row["right_professional_past_days"] == r["professional_past_days"]
