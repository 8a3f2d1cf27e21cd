"""The reform simulation gives the same figures through the population engine and the
per-case planner (the dashboard plans the whole register with the former)."""
import pandas as pd

from art60kit.batch.synth import population
from art60kit.batch.tables import iter_case_dicts
from art60kit.dashboards.reform import simulate


def test_batch_and_planner_simulations_agree():
    cases, lines = population(150, seed=11)
    items = [(f"r{i}", 1, d) for i, (d, _) in enumerate(iter_case_dicts(cases, lines))]
    a = simulate(items, engine="batch")
    b = simulate(items, engine="planner", processes=1)
    assert len(a) == len(b) == 150
    cols = ["request_id", "old_end_date", "old_days_to_work", "old_age_category", "new_end_date", "new_days_to_work",
            "new_age_category"]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True), check_dtype=False)


def test_batch_simulation_reads_in_processes_and_plans_a_bad_case_alone(monkeypatch):
    import art60kit.dashboards.reform as R
    cases, lines = population(30, seed=12)
    items = [(f"r{i}", 1, d) for i, (d, _) in enumerate(iter_case_dicts(cases, lines))]
    bad = dict(items[0][2], career=[{"kind": "work", "start": "2024-05-10", "end": "2024-05-01", "days": 3}])
    items.insert(5, ("bad", 1, bad))
    one = simulate(items, engine="batch", processes=1)
    monkeypatch.setattr(R, "PARALLEL_MIN", 10)
    two = simulate(items, engine="batch", processes=2)
    pd.testing.assert_frame_equal(one, two)
    row = one[one["request_id"] == "bad"].iloc[0]
    assert isinstance(row["old_error"], str) and row["old_error"] and pd.isna(row["old_end_date"])
    assert one["old_end_date"].notna().sum() >= 25


def test_cases_read_by_the_register_build_are_not_read_again(monkeypatch):
    """The set-up hands the reform simulation the cases the register build read (by
    the hash of their canonical JSON, as the register stores them): the same results,
    and only the others go through the case reader."""
    import art60kit.dashboards.reform as R
    import art60kit.register.synth as Y
    from art60kit.register.casedata import canonical_json, sha256_text

    cases, lines = population(40, seed=13)
    items = [(f"r{i}", 1, d) for i, (d, _) in enumerate(iter_case_dicts(cases, lines))]
    plain = simulate(items, engine="batch", processes=1)
    # the register build's reader, in processes as on a full register
    monkeypatch.setattr(Y, "PARALLEL_MIN", 10)
    keyed = [(sha256_text(canonical_json(d)), d) for _, _, d in items[:30]]
    read: dict = {}
    Y._tables(keyed, processes=2, read_cases=read)
    assert sorted(read) == sorted(k for k, _ in keyed)
    counted = []
    real = R._read_cases
    monkeypatch.setattr(R, "_read_cases", lambda todo: counted.append(len(todo)) or real(todo))
    reused = simulate(items, engine="batch", processes=1, read_cases=read)
    assert sum(counted) == 10  # the 10 cases the build did not read
    pd.testing.assert_frame_equal(plain, reused)
