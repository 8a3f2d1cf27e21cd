"""Benchmark of the career lines the law adds (art60kit.derived_lines).

    python benchmarks/bench_derived_lines.py            # prints and appends to results/derived_lines.jsonl
    python benchmarks/bench_derived_lines.py --size 1000 --no-save

Measured in one run: the derivation of one case (first call and cached), the per-case
plan with its sensitivity analysis for a case with a student line and for a case with
holidays after a job, and the population engine on a synthetic population planned as
generated (its student lines give days, so nothing is derived and the kernel plans
them) and again with hours on the student lines (those cases are derived and planned
by the per-case planner inside the engine): wall times, the ratio of the two runs,
how many cases went each way, how many end dates the student hours changed, and that
the engine's figures equal the per-case planner's on a sample of the derived cases.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STUDENT = """case_id: student-2025
person: {birth_date: 2003-03-10}
contract: {start: 2026-03-02}
career:
  - {kind: student_contract, start: 2025-01-06, end: 2025-12-19, employer: Supermarché, hours: 1000}
  - {kind: work, start: 2024-09-02, end: 2024-12-31, employer: Interim}
"""
HOLIDAY = """case_id: holidays-interim
person: {birth_date: 1990-05-02}
contract: {start: 2026-01-12}
career:
  - {kind: work, start: 2025-02-03, end: 2025-12-20, employer: Interim Liège, end_reason: term}
options: {holidays_after_end: assimilated}
"""


def _median(fn, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main(argv=None) -> int:
    from art60kit.batch import population, plan_population
    from art60kit.batch.engine import RunStats
    from art60kit.caseio import case_from_dict, parse_text
    from art60kit.derived_lines import _additions, derive
    from art60kit.planner import plan
    from art60kit.rules import default_rulebook

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=4000)
    ap.add_argument("--no-save", action="store_true")
    a = ap.parse_args(argv)
    book = default_rulebook()
    out = {"when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": platform.machine(),
           "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                    cwd=HERE).stdout.strip()}
    for name, text in (("student", STUDENT), ("holidays", HOLIDAY)):
        case = case_from_dict(parse_text(text, f"{name}.yaml"), source=f"{name}.yaml")
        _additions.cache_clear()
        t = time.perf_counter()
        derive(case, book)
        out[f"{name}_derive_first_ms"] = round((time.perf_counter() - t) * 1e3, 3)
        out[f"{name}_derive_cached_ms"] = round(_median(lambda: derive(case, book), 50) * 1e3, 4)
        plan(case)
        out[f"{name}_plan_with_sensitivity_ms"] = round(_median(lambda: plan(case), 5) * 1e3, 1)
    cases, lines = population(a.size, seed=7)
    head = cases.head(50)
    plan_population(head, lines[lines.case_id.isin(head.case_id)], progress=False)  # kernel loaded
    st0 = RunStats()
    t = time.perf_counter()
    r0 = plan_population(cases, lines, progress=False, stats=st0)
    out["population_as_generated_s"] = round(time.perf_counter() - t, 2)
    student = lines["kind"] == "student_contract"
    with_hours = lines.copy()
    with_hours.loc[student, "hours"] = (with_hours.loc[student, "days"].fillna(20) * 7.6 * 3).round()
    with_hours.loc[student, "days"] = None
    st1 = RunStats()
    t = time.perf_counter()
    r1 = plan_population(cases, with_hours, progress=False, stats=st1)
    out["population_with_student_hours_s"] = round(time.perf_counter() - t, 2)
    out["ratio"] = round(out["population_with_student_hours_s"] / out["population_as_generated_s"], 1)
    out["cases"] = a.size
    out["kernel_cases"] = [st0.kernel, st1.kernel]
    out["planner_cases"] = [st0.planner, st1.planner]
    a0, a1 = r0.set_index("case_id"), r1.set_index("case_id")
    out["end_dates_changed_by_student_hours"] = int((a0["end_date"] != a1["end_date"]).sum())
    # the engine's figures equal the per-case planner's on derived cases (sample of 30)
    from art60kit.batch.tables import iter_case_dicts

    ids = set(with_hours.loc[student, "case_id"].astype(str))
    checked = differ = 0
    for d, _ in iter_case_dicts(cases[cases.case_id.astype(str).isin(ids)].head(30), with_hours):
        c = case_from_dict(d, source=d["case_id"])
        p = plan(c, sensitivity=False)
        row = a1.loc[d["case_id"]]
        end = None if str(row["end_date"]) == "NaT" else row["end_date"].date()
        checked += 1
        differ += (end, int(row["days_to_work"])) != (p.end_date, p.days_to_work)
    out["sample_checked"], out["sample_differ"] = checked, differ
    print(json.dumps(out, ensure_ascii=False))
    if not a.no_save:
        with open(HERE / "results" / "derived_lines.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
