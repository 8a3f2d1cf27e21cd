"""Batch engine == per-case planner; chunking, Dask, bad rows, variants, converters, CLI."""
from __future__ import annotations

import tempfile
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from art60kit.batch import (KEY_COLUMNS, RunStats, cases_to_tables, compare_results, compare_variants,
                            load_reform, plan_per_case, plan_population, population, tables_to_cases)
from art60kit.batch.parts import write_parts
from art60kit.caseio import case_to_dict

from strategies import late_career_cases, overlapping_extension_cases, quarter_edge_cases

pytest.importorskip("numba")

ALL = list(KEY_COLUMNS) + ["request_date", "past_days_in_window", "window_start", "window_end",
                           "window_extended_by_days", "condition_counted", "condition_units", "condition_missing",
                           "already_admissible", "reachable", "naive_end_date"]


def _ref(cases, lines):
    r = plan_per_case(cases, lines)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        r[c] = pd.to_datetime(r[c]).astype("datetime64[s]")
    return r


def test_synthetic_population_equals_per_case():
    cases, lines = population(40, seed=123)
    st_ = RunStats()
    got = plan_population(cases, lines, progress=False, stats=st_)
    assert st_.kernel >= 35
    diff = compare_results(got, _ref(cases, lines), ALL)
    assert diff.empty, diff.T


def test_chunking_does_not_change_results():
    cases, lines = population(60, seed=5)
    a = plan_population(cases, lines, chunk_size=7, progress=False)
    b = plan_population(cases, lines, chunk_size=1000, progress=False)
    assert compare_results(a, b, ALL).empty
    assert list(a["case_id"]) == list(cases["case_id"])


def test_block_workspace_leaves_nothing_behind(monkeypatch):
    """The cases of a kernel block share one workspace (kernel.plan_block): sized for
    the block's largest case (kernel/search.py: new_workspace) and reset case after case
    (reset_case), its tables reused by smaller cases.
    Every case must still be planned as if alone: the kernel's whole output (figures,
    evaluations, the table/direct credit self-check) is the same with blocks of 1, 7 and
    64 cases, and with the cases in reverse order."""
    from art60kit.batch import engine

    cases, lines = population(400, seed=11)
    outs = {}
    for block in (1, 7, 64):
        monkeypatch.setattr(engine, "KERNEL_CHUNK", block)
        outs[block], K = _kernel_out(cases, lines, check=True)
    base = outs[1]
    assert (base[:, K.O_STATUS] == K.OK).mean() > 0.95
    assert base[:, K.O_CHECKED].sum() > 5_000 and base[:, K.O_MISMATCH].sum() == 0
    for block in (7, 64):
        assert np.array_equal(outs[block], base), block
    backwards, _ = _kernel_out(cases.iloc[::-1].reset_index(drop=True), lines, check=True)
    assert np.array_equal(backwards[::-1], outs[64])


def test_kernel_frees_what_it_allocates():
    """The kernel's leaf functions run without numba's reference counting (kernel.leaf):
    numba's own allocation statistics must still balance (no array leaked, none freed
    twice) over repeated runs. Counted in a fresh process: the statistics are switched on
    before numba starts (NUMBA_NRT_STATS)."""
    import os
    import subprocess
    import sys

    code = """
from art60kit.batch import population
from art60kit.batch import engine as E, encode as EN
from art60kit.batch.tables import normalise_cases, normalise_lines
from art60kit.model import Options
from numba.core.runtime import rtsys
eb = EN.encode_book(E.default_rulebook())
c, l = population(300, 3)
enc = EN.encode(normalise_cases(c), normalise_lines(l), eb)
E._run_kernel(enc, eb, Options())
s0 = rtsys.get_allocation_stats()
for _ in range(3):
    E._run_kernel(enc, eb, Options(), check=True)
s1 = rtsys.get_allocation_stats()
print(s1.alloc - s0.alloc, s1.free - s0.free, s1.mi_alloc - s0.mi_alloc, s1.mi_free - s0.mi_free)
"""
    env = dict(os.environ, NUMBA_NRT_STATS="1")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    alloc, free, mi_alloc, mi_free = map(int, run.stdout.split()[-4:])
    assert alloc > 1000 and alloc == free and mi_alloc == mi_free


# -- hypothesis: small populations built around the core's edge cases -----------------

D0 = date(2024, 1, 1)


def _weeks(a, b) -> int:
    """Calendar weeks (Monday to Sunday) that ``[a, b]`` meets."""
    return (b.toordinal() - b.weekday() - (a.toordinal() - a.weekday())) // 7 + 1


@st.composite
def edge_case(draw, i):
    start = D0 + timedelta(days=draw(st.integers(0, 1000)))
    # around a 36th or 50th birthday, or anything
    age_days = draw(st.one_of(st.sampled_from([36 * 365 - 40, 50 * 365 - 100, 36 * 365 + 9]),
                              st.integers(18 * 365, 64 * 365)))
    birth = start - timedelta(days=age_days)
    career = []
    t = start
    for j in range(draw(st.integers(0, 6))):
        gap = draw(st.integers(1, 400))
        ln = draw(st.integers(1, 500))
        end = t - timedelta(days=gap)
        beg = end - timedelta(days=ln - 1)
        t = beg
        kind = draw(st.sampled_from(["work", "work", "work", "paid_holiday", "sickness_indemnified", "unpaid_leave",
                                     "training", "self_employed_main", "career_break", "child_care", "detention",
                                     "work_abroad"]))
        line = {"kind": kind, "start": beg.isoformat(), "end": end.isoformat()}
        if kind == "work":
            m = draw(st.sampled_from(["regime", "part", "hours", "days", "employer"]))
            if m == "part":
                line.update(days_per_week=draw(st.sampled_from([3, 4, 4.5, 5])), weekly_hours=19, full_time_hours=38)
            elif m == "hours":
                # at most full time in each calendar week the line meets (the loader's bound)
                line.update(hours=float(draw(st.integers(1, min(ln * 7, 38 * _weeks(beg, end))))), full_time_hours=38)
            elif m == "days":
                line.update(days=float(draw(st.integers(1, max(1, min(ln * 5 // 7, 5 * _weeks(beg, end)))))),
                            days_per_week=5)
            else:
                line.update(employer="Interim A", days_per_week=5)
        if kind == "child_care" and draw(st.booleans()):
            # the birth before the line, or after it starts (it then extends from the birth only)
            line["child_birth_date"] = (beg + timedelta(days=draw(st.integers(-900, ln + 30)))).isoformat()
        if kind == "detention":
            situation = draw(st.sampled_from([None, None, "employment", "neither"]))
            if situation:
                line["situation"] = situation
        career.append(line)
    events = []
    e = start + timedelta(days=draw(st.integers(0, 200)))
    for j in range(draw(st.integers(0, 2))):
        ln = draw(st.integers(0, 60))
        kind = draw(st.sampled_from(["sickness_indemnified", "unpaid_leave", "strike", "force_majeure",
                                     "paid_holiday", "unjustified_absence"]))
        events.append({"kind": kind, "start": e.isoformat(), "end": (e + timedelta(days=ln)).isoformat()})
        e = e + timedelta(days=ln + draw(st.integers(1, 150)))
    prior = None
    if draw(st.booleans()):
        prior = (start - timedelta(days=draw(st.integers(30, 900)))).isoformat()
    contract = {"start": start.isoformat(), "days_per_week": draw(st.sampled_from([5, 5, 4, 6])),
                "full_time_hours": 38}
    if draw(st.booleans()):
        contract["weekly_hours"] = draw(st.sampled_from([19, 30.4, 28.5]))
    if events:
        contract["events"] = events
    return {"case_id": f"h{i}", "person": {"birth_date": birth.isoformat(), "prior_admission": prior},
            "contract": contract, "career": career}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 0), min_size=1, max_size=3).flatmap(
    lambda xs: st.tuples(*[edge_case(i) for i in range(len(xs))])))
def test_hypothesis_population_equals_per_case(dicts):
    cases, lines = cases_to_tables(dicts)
    st_ = RunStats()
    got = plan_population(cases, lines, progress=False, stats=st_)
    assert st_.planner == 0  # every generated case (foreign work included) is planned by the kernel
    diff = compare_results(got, _ref(cases, lines), ALL)
    assert diff.empty, diff.T
    # every window credit read from the quarter tables equals the direct computation
    # (ledgers with foreign work use the direct one throughout)
    out, K = _kernel_out(cases, lines, check=True)
    assert out[:, K.O_MISMATCH].sum() == 0


def test_malformed_rows_are_reported_and_do_not_stop_others():
    cases, lines = population(12, seed=9)
    ids = list(cases["case_id"])
    bad1 = lines.index[lines["case_id"] == ids[2]][1]
    lines.loc[bad1, "end"] = lines.loc[bad1, "start"] - pd.Timedelta(days=2)
    bad2 = lines.index[lines["case_id"] == ids[5]][0]
    lines.loc[bad2, "kind"] = "holidayz"
    cases.loc[7, "birth_date"] = pd.NaT
    r = plan_population(cases, lines, progress=False).set_index("case_id")
    ln1, ln2 = lines.loc[bad1, "line_no"], lines.loc[bad2, "line_no"]
    assert r.loc[ids[2], "error"].startswith(f"case {ids[2]}: line {ln1}: end: ends before it starts")
    assert f"case {ids[5]}: line {ln2}: kind: unknown kind 'holidayz'" in r.loc[ids[5], "error"]
    assert "birth_date: required" in r.loc[ids[7], "error"]
    ok = r.drop([ids[2], ids[5], ids[7]])
    assert ok["error"].isna().all() and ok["rules"].notna().all()


def test_cases_left_to_the_planner_are_planned_beside_the_kernel(monkeypatch):
    """Chunk after chunk, the cases the kernel leaves to the per-case planner (fields
    beside the end date, lines the law adds, figures beyond the kernel's exact
    integers, a malformed row) are planned in a child process while the kernel plans
    the next chunk: the same rows in the same places as planned in the calling thread."""
    from art60kit.batch import engine

    cases, lines = population(40, seed=5, every_rule=True)
    # three lines of one year with six-decimal working times: beyond the kernel's integers
    beyond = {"case_id": "beyond", "person": {"birth_date": "1992-03-15"}, "contract": {"start": "2026-03-02"},
              "career": [{"kind": "work", "start": "2025-01-06", "end": "2025-12-19", "employer": e,
                          "weekly_hours": q, "full_time_hours": s}
                         for e, q, s in (("A", 19.123457, 38.765431), ("B", 7.654323, 37.123451),
                                         ("C", 3.111119, 38.987653))]}
    bc, bl = cases_to_tables([beyond])
    cases = pd.concat([cases.iloc[:20], bc, cases.iloc[20:]], ignore_index=True)
    lines = pd.concat([lines, bl], ignore_index=True)
    bad = lines.index[lines["case_id"] == cases["case_id"][3]][0]
    lines.loc[bad, "kind"] = "holidayz"
    child = []
    submit = engine._PerCaseHelper.submit

    def counted(self, dicts):
        fut = submit(self, dicts)
        child.append(fut is not None)
        return fut

    monkeypatch.setattr(engine._PerCaseHelper, "submit", counted)
    st_ = RunStats()
    a = plan_population(cases, lines, chunk_size=6, progress=False, stats=st_)
    assert len(child) >= 3 and all(child)
    assert st_.planner > 5 and st_.errors == 1
    assert a.set_index("case_id").loc["beyond", "engine"] == "planner"
    monkeypatch.setattr(engine._PerCaseHelper, "submit", lambda self, dicts: None)
    b = plan_population(cases, lines, chunk_size=6, progress=False)
    pd.testing.assert_frame_equal(a, b)
    assert compare_results(a, _ref(cases, lines), ALL).empty


def test_dask_local_cluster_identical():
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster

    from art60kit.batch import plan_dask

    cases, lines = population(50, seed=21)
    a = plan_population(cases, lines, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl, Client(cl):
        b = plan_dask(cases, lines, npartitions=3).compute()
        # the cluster way: every worker reads its own aligned Parquet part
        with tempfile.TemporaryDirectory() as d:
            assert write_parts(cases, lines, d, cases_per_part=17) == 3
            c = plan_dask(d).compute()
    assert len(b) == len(a) == len(c)
    assert compare_results(a, b, ALL).empty
    assert compare_results(a, c, ALL).empty


def test_parts_folder_is_streamed_with_the_same_results(tmp_path):
    """A population stored as aligned parts is planned part by part (memory bounded by a
    part) with the results of the whole tables; a broken layout is refused by name."""
    cases, lines = population(45, seed=8)
    write_parts(cases, lines, tmp_path / "pop", cases_per_part=10)
    st_ = RunStats()
    got = plan_population(str(tmp_path / "pop"), None, chunk_size=4, progress=False, stats=st_)
    assert st_.cases == 45 and list(got["case_id"]) == list(cases["case_id"])
    assert compare_results(got, plan_population(cases, lines, progress=False), ALL).empty
    (tmp_path / "pop" / "lines" / "part-00002.parquet").unlink()
    with pytest.raises(ValueError, match="same part names"):
        plan_population(str(tmp_path / "pop"), None, progress=False)


def test_variant_from_reform_file(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("reform2026:\n  conditions:\n    d312_m36: {months: 24}\n")
    variant = load_reform(f)
    cases, lines = population(30, seed=4)
    out = compare_variants(cases, lines, variant=variant, progress=False)
    d = out["diff"]
    assert len(d) == 30 and "delta_days_to_work" in d
    # a shorter window never makes the 2026 condition easier
    later = d[(d["rules_variant"] == "reform2026") & d["error_base"].isna()]
    assert (later["delta_days_to_work"].fillna(0) >= 0).all()
    assert set(out["summary"]) == {"age_category", "region", "rules"}
    # the variant results are the per-case planner's under the same book
    ref = plan_per_case(cases, lines, variant)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    assert compare_results(out["variant"], ref, KEY_COLUMNS).empty


def test_bad_reform_file(tmp_path):
    from art60kit.errors import InputError

    f = tmp_path / "r.yaml"
    f.write_text("nope2030: {}\n")
    with pytest.raises(InputError, match="unknown rule set id"):
        load_reform(f)


def test_converters_round_trip():
    cases, lines = population(15, seed=2)
    objs = tables_to_cases(cases, lines)
    c2, l2 = cases_to_tables(objs)
    again = tables_to_cases(c2, l2)
    assert [case_to_dict(a) for a in objs] == [case_to_dict(b) for b in again]


def test_cli(tmp_path):
    from art60kit.batch.cli import main

    cases, lines = population(20, seed=8)
    cases.to_parquet(tmp_path / "c.parquet")
    lines.to_parquet(tmp_path / "l.parquet")
    assert main(["batch", str(tmp_path / "c.parquet"), str(tmp_path / "l.parquet"), "--out",
                 str(tmp_path / "r.parquet"), "--no-progress"]) == 0
    r = pd.read_parquet(tmp_path / "r.parquet")
    assert len(r) == 20 and "region" in r
    assert main(["batch", str(tmp_path / "none.parquet"), str(tmp_path / "l.parquet"), "--out",
                 str(tmp_path / "x.parquet")]) == 2
    # a folder of aligned parts: same results, streamed
    write_parts(cases, lines, tmp_path / "parts", cases_per_part=8)
    assert main(["batch", str(tmp_path / "parts"), "--out", str(tmp_path / "p.parquet"), "--no-progress"]) == 0
    p = pd.read_parquet(tmp_path / "p.parquet")
    assert compare_results(r, p, ALL).empty
    (tmp_path / "parts" / "cases" / "part-00001.parquet").unlink()
    assert main(["batch", str(tmp_path / "parts"), "--out", str(tmp_path / "q.parquet")]) == 2



def test_cli_says_when_the_first_run_compiles(tmp_path, monkeypatch, capsys):
    """A cold numba cache makes the first run wait minutes: ``batch`` and ``plan`` say
    so first, in the user's language; once compiled they say nothing."""
    from art60kit.batch import engine, run
    from art60kit.batch.cli import main
    from art60kit.cli import main as cli_main
    from art60kit.i18n import text

    said = {lang: text("cli.compiling", lang) for lang in ("fr", "nl", "de", "en")}
    assert len(set(said.values())) == 4
    cases, lines = population(5, seed=8)
    cases.to_parquet(tmp_path / "c.parquet")
    lines.to_parquet(tmp_path / "l.parquet")
    args = ["batch", str(tmp_path / "c.parquet"), str(tmp_path / "l.parquet"), "--out", str(tmp_path / "r.parquet"),
            "--no-progress"]
    assert main(args) == 0
    assert engine.kernel_compiled() is True  # loaded in this process now
    assert not any(m in capsys.readouterr().err for m in said.values())
    monkeypatch.setattr(run, "kernel_ready", lambda entries: False)
    assert main(args + ["--lang", "nl"]) == 0
    err = capsys.readouterr().err
    assert said["nl"] in err and said["fr"] not in err
    assert cli_main(["plan", "examples/demo-001.yaml", "--lang", "de"]) == 0
    assert said["de"] in capsys.readouterr().err


def test_plan_waits_only_for_what_it_calls(monkeypatch, capsys):
    """``plan`` announces a compilation only when the entries planning one case calls
    are missing (not when only the population engine's is), and first takes them from
    the per-user store when this checkout's cache lacks them."""
    from art60kit import compile as comp
    from art60kit.batch import run
    from art60kit.cli import main as cli_main
    from art60kit.i18n import text

    monkeypatch.setattr(run, "kernel_compiled", lambda entries: "plan_chunk" not in entries)
    assert cli_main(["plan", "examples/demo-001.yaml", "--lang", "en"]) == 0
    assert text("cli.compiling", "en") not in capsys.readouterr().err
    seeded = []
    state = {"cache": False}

    def seed():
        seeded.append(1)
        state["cache"] = True
        return True

    monkeypatch.setattr(run, "kernel_compiled", lambda entries: state["cache"])
    monkeypatch.setattr(comp, "seed_from_store", seed)
    assert run.kernel_ready(run.CASE_ENTRIES) is True and seeded == [1]
    monkeypatch.setattr(comp, "seed_from_store", lambda: False)
    state["cache"] = False
    assert run.kernel_ready(run.CASE_ENTRIES) is False


# -- the search's bounds, from the rule data -----------------------------------------

def test_search_bound_tables_follow_their_functions():
    """The kernel reads the bounds from tables built by the functions of
    art60kit.batch.bounds from the rule book; the table look-ups agree with them."""
    from art60kit.batch import bounds
    from art60kit.batch import kernel as K
    from art60kit.rules import default_rulebook

    lim = bounds.limits(default_rulebook())
    pgb = K.past_gain_table(lim)
    for d in list(range(0, 800)) + [1000, 3650, 3653, 5000, K.SLIDE_SEARCH_DAYS]:
        assert K.past_gain(pgb, d) == bounds.past_gain_bound(d, lim)
    for m in [-5, 0, 1, 10_000, 780_000, 780_001, 1_560_000, 3_000_000, 15_600_000, 10 ** 12]:
        want = 0 if m <= 0 else next((d for d in range(1, K.SLIDE_SEARCH_DAYS)
                                      if bounds.past_gain_bound(d, lim) >= m), K.SLIDE_SEARCH_DAYS)
        assert K.slide_days_needed(pgb, m) == want, m
    for period in ("quarter", "month"):
        mpd = K.min_pattern_days_table(period)
        for mask in (1, 3, 7, 15, 31, 63, 127):
            assert mpd[mask] == bounds.min_pattern_days(mask, period)
    assert int(K.min_pattern_days_table("quarter")[31]) == 64 and int(K.min_pattern_days_table("month")[31]) == 20


def encode_book_fu():
    from art60kit.batch.encode import encode_book
    from art60kit.rules import default_rulebook

    return int(encode_book(default_rulebook()).arrays["FU"]["quarter78"][0])


def _kernel_out(cases, lines, check=False):
    from art60kit.batch import kernel as K
    from art60kit.batch.engine import _run_kernel, encode, encode_book
    from art60kit.batch.tables import normalise_cases, normalise_lines
    from art60kit.model import Options
    from art60kit.rules import default_rulebook

    eb = encode_book(default_rulebook())
    enc = encode(normalise_cases(cases), normalise_lines(lines), eb)
    return _run_kernel(enc, eb, Options(), check=check), K


def _as_rows(generated, prefix: str) -> list:
    """Generated cases as case mappings with ids ``prefix0``, ``prefix1``, ..., their
    options left to the run."""
    rows = []
    for i, case in enumerate(generated):
        d = case_to_dict(case)
        d["case_id"] = f"{prefix}{i}"
        d.pop("options", None)
        rows.append(d)
    return rows


def _kernel_plans_like_the_planner(dicts):
    """Plan case dicts with the batch engine: every case by the kernel, with the per-case
    planner's figures. Returns (results, cases table, lines table)."""
    cases, lines = cases_to_tables(dicts)
    st_ = RunStats()
    got = plan_population(cases, lines, progress=False, stats=st_)
    assert st_.planner == 0 and st_.kernel == len(dicts) and set(got["engine"]) == {"kernel"}
    diff = compare_results(got, _ref(cases, lines), ALL)
    assert diff.empty, diff.T
    return got, cases, lines


def test_table_credits_equal_the_direct_credits():
    """The kernel's table-driven window credits (build_tables, window_credit_fast) equal
    the direct transcription (window_credit_slow) on every window a search meets."""
    cases, lines = population(60, seed=3)
    out, K = _kernel_out(cases, lines, check=True)
    assert (out[:, K.O_STATUS] == K.OK).sum() >= 55
    assert out[:, K.O_CHECKED].sum() > 1000 and out[:, K.O_MISMATCH].sum() == 0


def test_duplicate_lines_and_capped_absences_in_a_full_quarter():
    """credit.py: overlapping lines of one occupation count once; the 12-day allowance of
    capped absences sits inside the 78-a-quarter cap."""
    base = {"person": {"birth_date": "1980-05-01"},
            "contract": {"start": "2025-01-06", "days_per_week": 5, "full_time_hours": 38}}
    w = {"kind": "work", "employer": "E", "days_per_week": 5, "weekly_hours": 38, "full_time_hours": 38}
    dicts = [
        dict(base, case_id="dup", career=[dict(w, start="2023-01-02", end="2023-09-30", weekly_hours=19),
                                          dict(w, start="2023-06-01", end="2024-06-30", weekly_hours=19),
                                          dict(w, start="2024-07-01", end="2024-08-15", weekly_hours=19)]),
        dict(base, case_id="cap", career=[dict(w, start="2023-01-01", end="2024-12-31"),
                                          {"kind": "unpaid_leave", "employer": "E", "start": "2024-04-08",
                                           "end": "2024-04-19"},
                                          {"kind": "unpaid_leave", "employer": "F", "start": "2023-07-03",
                                           "end": "2023-07-07"}]),
        dict(base, case_id="cap2", career=[dict(w, start="2022-03-01", end="2024-10-31", days_per_week=6),
                                           {"kind": "unpaid_leave", "employer": "F", "start": "2024-02-05",
                                            "end": "2024-03-29"}]),
    ]
    cases, lines = cases_to_tables(dicts)
    st_ = RunStats()
    got = plan_population(cases, lines, progress=False, stats=st_)
    assert st_.kernel == 3
    diff = compare_results(got, _ref(cases, lines), ALL)
    assert diff.empty, diff.T


def test_foreign_work_in_the_kernel():
    """AR art. 37 § 2: work abroad counts once followed by 3 months (78 days) of Belgian
    work before the request; the kernel finds the day it starts to count (a stop, as
    planner._abroad_stops) and gives the planner's figures, for a follow-up reached
    before the contract, during it, and never."""
    base = {"person": {"birth_date": "1990-03-01"},
            "contract": {"start": "2025-01-06", "days_per_week": 5, "full_time_hours": 38}}
    abroad = {"kind": "work_abroad", "start": "2023-01-02", "end": "2024-03-31", "days_per_week": 5,
              "employer": "Acme GmbH"}
    be = {"kind": "work", "employer": "Acme BE", "days_per_week": 5}
    dicts = [
        dict(base, case_id="before", career=[abroad, dict(be, start="2024-04-01", end="2024-09-30")]),
        dict(base, case_id="during", career=[abroad, dict(be, start="2024-11-04", end="2024-12-20")]),
        dict(base, case_id="none", career=[abroad]),
        dict(base, case_id="two", career=[abroad, dict(abroad, start="2024-04-01", end="2024-06-30"),
                                          dict(be, start="2024-07-01", end="2024-08-30")]),
    ]
    got, _, _ = _kernel_plans_like_the_planner(dicts)
    by = got.set_index("case_id")
    # the foreign work shortens the contract only where it counts
    assert by.loc["before", "days_to_work"] < by.loc["none", "days_to_work"]


def test_hours_lines_with_their_own_denominators_stay_in_the_kernel():
    """Hours-measured lines spread their hours over their own pattern days, so each
    brings its own denominator (hours x 6 / (S x pattern days)): over a whole career
    their lcm exceeds 64-bit sums, but sums never leave a calendar year (the 78-day
    quarter cap, the 12-day yearly allowance), and per year the denominators stay
    small. Such cases are planned by the kernel, with the per-case planner's figures;
    two hours lines in one quarter and a capped absence check the shared year."""
    # 47, 53, 59, 61, 67 and 43 weekdays (primes): denominators without common factors
    spans = [("2019-02-04", "2019-04-09", 298.6), ("2020-03-02", "2020-05-13", 251.3),
             ("2021-01-11", "2021-04-01", 313.7), ("2022-05-02", "2022-07-25", 276.9),
             ("2023-09-04", "2023-12-05", 189.1), ("2023-10-02", "2023-11-29", 97.3)]
    career = [{"kind": "work", "employer": f"Interim {i}", "start": a, "end": b, "hours": h,
               "full_time_hours": 38 if i % 2 else 40} for i, (a, b, h) in enumerate(spans)]
    career.append({"kind": "unpaid_leave", "start": "2023-10-09", "end": "2023-10-13"})
    dicts = [{"case_id": f"hours-{start}", "person": {"birth_date": "1992-06-15"},
              "contract": {"start": start, "days_per_week": 5, "full_time_hours": 38}, "career": career}
             for start in ("2024-03-04", "2025-06-02", "2026-02-02")]
    from fractions import Fraction
    from math import lcm

    # each line's rate a pattern day (credit.py): hours x 6 / S over its Monday-Friday days
    rates = [Fraction(str(h)) * 6 / ((38 if i % 2 else 40) * int(np.busday_count(a, np.datetime64(b) + 1)))
             for i, (a, b, h) in enumerate(spans)]
    assert lcm(*[r.denominator for r in rates]) > 2 ** 31  # one career-wide denominator would not fit
    _, cases, lines = _kernel_plans_like_the_planner(dicts)
    out, K = _kernel_out(cases, lines, check=True)
    assert out[:, K.O_CHECKED].sum() > 0 and out[:, K.O_MISMATCH].sum() == 0


def test_detention_from_2026_in_the_kernel():
    """From 1 March 2026 detention extends only during employment or full unemployment:
    stated on the line, inferred from a work line holding its start (or the day before),
    or undecided (planned as not extending). The kernel reads the encoder's per-line
    flags (decided by the rule data's named condition) and gives the planner's figures."""
    import yaml
    from pathlib import Path
    ex = yaml.safe_load((Path(__file__).parents[1] / "worked_examples" / "detention2026.yaml").read_text())
    dicts = [dict(e["case"], case_id=e["id"]) for e in ex["examples"]]
    # the same detentions under both rule sets, with a contract long enough to need days
    for i, sit in enumerate([None, "employment", "neither"]):
        det = {"kind": "detention", "start": "2023-05-16", "end": "2026-02-27"}
        if sit:
            det["situation"] = sit
        dicts.append({"case_id": f"gen{i}", "person": {"birth_date": "1990-05-01"},
                      "contract": {"start": "2026-04-01"},
                      "career": [{"kind": "work", "start": "2020-01-06", "end": "2023-03-31", "employer": "A"}, det]})
    got, _, _ = _kernel_plans_like_the_planner(dicts)
    by = got.set_index("case_id")
    assert by.loc["gen1", "window_extended_by_days"] > 0 and by.loc["gen2", "window_extended_by_days"] == 0
    assert by.loc["gen0", "end_date"] == by.loc["gen2", "end_date"]  # undecided: planned as not extending


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 0), min_size=1, max_size=3).flatmap(
    lambda xs: st.tuples(*[edge_case(i) for i in range(len(xs))])))
def test_extension_shift_ymd_in_the_kernel(dicts):
    """Option extension_shift=ymd (the window's start moves back by each extending
    period's years, months and days): planned by the kernel, with the planner's figures."""
    from art60kit.model import Options

    # long extending periods close to the contract, so that the reading matters
    extra = [{"case_id": "ymd-e18", "person": {"birth_date": "1988-05-01"}, "contract": {"start": "2022-10-21"},
              "career": [{"kind": "work", "start": "2016-09-01", "end": "2017-03-07", "employer": "Atelier",
                          "days_per_week": 5},
                         {"kind": "child_care", "start": "2017-03-08", "end": "2022-03-07",
                          "child_birth_date": "2016-03-08"}]}]
    opts = Options(extension_shift="ymd")
    cases, lines = cases_to_tables(list(dicts) + extra)
    st_ = RunStats()
    got = plan_population(cases, lines, options=opts, progress=False, stats=st_)
    assert st_.planner == 0 and st_.kernel == len(dicts) + 1
    ref = plan_per_case(cases, lines, options=opts)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    diff = compare_results(got, ref, ALL)
    assert diff.empty, diff.T


@pytest.mark.parametrize("opts", [dict(crediting="month26"), dict(crediting="month26", extension_shift="ymd"),
                                  dict(crediting="month26", rounding="exact", month_end="next_day")],
                         ids=["month26", "month26-ymd", "month26-exact-next_day"])
def test_every_option_on_the_compiled_path(opts):
    """Every registered reading of each option is compiled: a population planned under
    the month reading of the crediting (26 a month) goes through the kernel, with no
    case sent to the per-case path, and gives the per-case planner's figures."""
    from art60kit.model import Options

    options = Options(**opts)
    cases, lines = population(300, seed=11)
    st_ = RunStats()
    got = plan_population(cases, lines, options=options, progress=False, stats=st_)
    assert st_.planner == 0 and st_.kernel == len(cases)
    ref = plan_per_case(cases, lines, options=options)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    diff = compare_results(got, ref, ALL)
    assert diff.empty, diff.T


def _child_care_from_end_of_job():
    """The published child-raising figures entered from the end of the last job (the
    kernel must cut the line at the birth, as the per-case ledger does)."""
    return [
        {"case_id": "birth-2015", "person": {"birth_date": "1990-01-01"}, "contract": {"start": "2022-10-21"},
         "career": [{"kind": "work", "start": "2014-01-06", "end": "2015-04-24", "employer": "Atelier"},
                    {"kind": "child_care", "start": "2015-04-25", "end": "2021-07-04",
                     "child_birth_date": "2015-07-05"},
                    {"kind": "work", "start": "2021-07-05", "end": "2022-10-20", "employer": "CPAS"}]},
        {"case_id": "births-2013-2018", "person": {"birth_date": "1990-01-01"}, "contract": {"start": "2022-10-21"},
         "career": [{"kind": "work", "start": "2011-01-03", "end": "2012-10-06", "employer": "Atelier"},
                    {"kind": "child_care", "start": "2012-10-07", "end": "2018-02-05",
                     "child_birth_date": "2013-02-06"},
                    {"kind": "child_care", "start": "2018-02-06", "end": "2022-10-20",
                     "child_birth_date": "2018-02-06"}]},
        # born after the line ended: it does not extend
        {"case_id": "born-after", "person": {"birth_date": "1990-01-01"}, "contract": {"start": "2022-10-21"},
         "career": [{"kind": "work", "start": "2019-01-07", "end": "2019-12-31", "employer": "Atelier"},
                    {"kind": "child_care", "start": "2020-01-01", "end": "2021-12-31",
                     "child_birth_date": "2022-02-01"}]},
    ]


def _repeated_extensions():
    """The same one-day absence entered twice, and an indemnified sickness overlapping
    a work accident (requests after 1 March 2026, where both extend)."""
    base = {"person": {"birth_date": "1990-01-01"}, "contract": {"start": "2026-03-02"}}
    work = {"kind": "work", "start": "2024-01-01", "end": "2024-12-31"}
    out = []
    for n in (1, 2):
        for kind, end in (("work_accident", "2025-06-10"), ("self_employed_main", "2025-10-10")):
            out.append(dict(base, case_id=f"{kind}-x{n}",
                            career=[work] + [{"kind": kind, "start": "2025-06-10", "end": end}] * n))
    out.append(dict(base, case_id="overlap", career=[
        work, {"kind": "sickness_indemnified", "start": "2025-05-02", "end": "2025-07-30"},
        {"kind": "work_accident", "start": "2025-06-10", "end": "2025-09-09"}]))
    return out


@pytest.mark.parametrize("shift", ["ymd", "days"])
def test_birth_cut_and_repeated_extensions_in_the_kernel(shift):
    """A day of extending period extends once (both readings of the shift), and
    inactivity to raise a child entered before the birth extends from the birth: the
    kernel plans these cases with the per-case planner's figures."""
    from art60kit.model import Options

    opts = Options(extension_shift=shift)
    dicts = _child_care_from_end_of_job() + _repeated_extensions()
    cases, lines = cases_to_tables(dicts)
    st_ = RunStats()
    got = plan_population(cases, lines, options=opts, progress=False, stats=st_)
    assert st_.planner == 0 and st_.kernel == len(dicts)
    ref = plan_per_case(cases, lines, options=opts)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    diff = compare_results(got, ref, ALL)
    assert diff.empty, diff.T
    by = got.set_index("case_id")
    # the same absence entered twice moves the window as far as once
    for kind in ("work_accident", "self_employed_main"):
        assert by.loc[f"{kind}-x2", "window_start"] == by.loc[f"{kind}-x1", "window_start"]
        assert by.loc[f"{kind}-x1", "window_extended_by_days"] > 0
    if shift == "ymd":
        # already admissible on the request date of the published figure: its window
        assert by.loc["births-2013-2018", "already_admissible"]
        assert by.loc["births-2013-2018", "window_start"] == pd.Timestamp("2011-05-06")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(overlapping_extension_cases(), min_size=1, max_size=3), st.sampled_from(["ymd", "days"]))
def test_overlapping_extensions_in_the_kernel(generated, shift):
    """Generated cases with repeated, overlapping and touching extending periods and
    births after a child-raising line's start: the kernel's figures are the planner's."""
    from art60kit.model import Options

    opts = Options(extension_shift=shift)
    dicts = _as_rows(generated, "x")
    cases, lines = cases_to_tables(dicts)
    st_ = RunStats()
    got = plan_population(cases, lines, options=opts, progress=False, stats=st_)
    assert st_.planner == 0
    ref = plan_per_case(cases, lines, options=opts)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    diff = compare_results(got, ref, ALL)
    assert diff.empty, diff.T


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(late_career_cases(), min_size=1, max_size=4))
def test_late_careers_in_the_kernel(generated):
    """People of 36 or more under the old rules whose working life began inside the 10
    years (old art. 32, half of the working days since the career's start): the
    population engine plans every case in the kernel, with the per-case planner's
    figures."""
    dicts = _as_rows(generated, "late")
    _kernel_plans_like_the_planner(dicts)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quarter_edge_cases(), min_size=1, max_size=4))
def test_quarter_edges_in_the_kernel(generated):
    """Careers declared quarter by quarter as totals (the quarter-edge rule in the
    reference periods): the population engine plans every case in the kernel with the
    per-case planner's figures, and its table-driven window credits equal the direct
    ones."""
    dicts = _as_rows(generated, "edges")
    _, cases, lines = _kernel_plans_like_the_planner(dicts)
    out, K = _kernel_out(cases, lines, check=True)
    assert out[:, K.O_MISMATCH].sum() == 0


def test_quarter_edge_example_in_the_kernel():
    """247 hours declared for the 4th quarter of 2020, 19/38: 19 days for a reference
    period from 10 December 2020, in the population engine as in the per-case planner."""
    line = {"kind": "work", "start": "2020-10-01", "end": "2020-12-31", "hours": 247, "full_time_hours": 38,
            "employer": "Atelier"}
    dicts = [{"case_id": f"e21-{s}", "person": {"birth_date": "1995-03-03"}, "contract": {"start": s},
              "career": [line]} for s in ("2022-05-02", "2022-09-10", "2023-03-01")]
    _kernel_plans_like_the_planner(dicts)


def test_fractional_regimes_in_the_kernel():
    """A regime of R days a week with R fractional, worked on its first ceil(R) weekdays,
    each credited 6/ceil(R) x Q/S: the population engine plans it as the per-case
    planner does, for the contract and for a career line."""
    dicts = [{"case_id": f"frac{i}", "person": {"birth_date": "1992-02-02"},
              "contract": {"start": s, "days_per_week": r, "full_time_hours": 38, **({"weekly_hours": q} if q else {})},
              "career": [{"kind": "work", "start": "2023-03-06", "end": "2024-02-29", "days_per_week": lr,
                          "employer": "Ville"}]}
             for i, (s, r, q, lr) in enumerate([("2024-09-02", 1.5, None, 2.25), ("2025-01-06", 4.5, 19, 5),
                                                 ("2026-04-01", 2.5, 30.4, 1.5)])]
    _kernel_plans_like_the_planner(dicts)


def test_half_rule_example_in_the_kernel():
    """The worked example of the half rule (tests/test_professional_past.py): the
    population engine's end date and verdict figures are the per-case planner's."""
    from test_professional_past import recent_career

    d = case_to_dict(recent_career())
    d["case_id"] = "art32"
    got, _, _ = _kernel_plans_like_the_planner([d])
    row = got.iloc[0]
    assert row["end_date"] == pd.Timestamp("2025-09-29") and row["days_to_work"] == 104
    assert row["condition_id"] == "d234_m33_past1560"


def test_fictional_rule_set_on_the_compiled_path():
    """The fictional rule set of tests/data/fictional2027.yaml (data only: a shorter
    window, a new condition, a yearly cap, other quarter figures, training extending
    under its own condition, a new kind of line) is planned by the kernel, with the
    per-case planner's figures."""
    from test_fictional_rules import fictional_book

    book = fictional_book()
    base = {"person": {"birth_date": "1990-05-01"}, "contract": {"start": "2027-03-01"}}
    work = {"kind": "work", "start": "2022-01-03", "end": "2023-12-29", "employer": "A"}
    dicts = [
        dict(base, case_id="plain", career=[dict(work, start="2025-01-06", end="2025-12-31")]),
        dict(base, case_id="training-employed", career=[work, {"kind": "training", "start": "2023-12-30",
                                                               "end": "2026-06-30"}]),
        dict(base, case_id="training-neither", career=[work, {"kind": "training", "start": "2023-12-30",
                                                              "end": "2026-06-30", "situation": "neither"}]),
        dict(base, case_id="unpaid-leave", career=[dict(work, start="2025-01-06", end="2026-10-30")],
             contract={"start": "2027-03-01", "events": [{"kind": "unpaid_leave", "start": "2027-04-05",
                                                          "end": "2027-04-30"}]}),
        # a kind of line the fictional rule set adds to the case format's list
        dict(base, case_id="job-coaching", career=[work, {"kind": "job_coaching", "start": "2023-12-30",
                                                          "end": "2026-06-30"}]),
    ]
    from art60kit.caseio import case_from_dict

    cases, lines = cases_to_tables([case_from_dict(d, kinds=book.kinds) for d in dicts])
    st_ = RunStats()
    got = plan_population(cases, lines, book=book, progress=False, stats=st_)
    assert st_.planner == 0 and st_.kernel == len(dicts)
    assert set(got["rules"]) == {"fictional2027"}
    ref = plan_per_case(cases, lines, book=book)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    diff = compare_results(got, ref, ALL)
    assert diff.empty, diff.T
