"""The cost of the figures beside the end date, against the per-case planner in the same run.

- per case: ``plan(case, sensitivity=False)`` with and without the right, the dispense
  and the subsidy (``art60kit.right``), on the synthetic population;
- population: ``plan_population`` with and without ``right=True`` (the right's columns
  count each case's professional past with the per-case crediting).

    python benchmarks/bench_right.py [N]     # default 2,000 cases; appends to results/bench_right.jsonl
"""
from __future__ import annotations

import json
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock


def main(n: int = 2000) -> dict:
    from art60kit.batch import plan_population, population, tables_to_cases
    from art60kit.planner import plan

    cases, lines = population(n, seed=42)
    objs = tables_to_cases(cases, lines)[: min(n, 500)]
    plan_population(cases.iloc[:50], lines[lines["case_id"].isin(cases["case_id"].iloc[:50])], progress=False)

    def per_case(beside: bool) -> float:
        from art60kit.ledger import _build_cached

        _build_cached.cache_clear()  # both runs start from cold ledgers
        t = time.perf_counter()
        if beside:
            for c in objs:
                plan(c, sensitivity=False)
        else:
            with mock.patch("art60kit.right.beside_for_plan", lambda *a, **k: None):
                for c in objs:
                    plan(c, sensitivity=False)
        return (time.perf_counter() - t) / len(objs)

    per_case(True)  # warm-up (holidays, imports)
    # alternated, best of three: the machine is shared
    runs = [(per_case(False), per_case(True)) for _ in range(3)]
    without, with_ = min(r[0] for r in runs), min(r[1] for r in runs)
    t = time.perf_counter()
    plan_population(cases, lines, progress=False)
    pop = time.perf_counter() - t
    t = time.perf_counter()
    plan_population(cases, lines, progress=False, right=True)
    pop_right = time.perf_counter() - t
    out = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": platform.node(),
           "cases": n, "per_case_ms": round(without * 1e3, 3), "per_case_with_beside_ms": round(with_ * 1e3, 3),
           "beside_share": round(with_ / without - 1, 3),
           "population_s": round(pop, 2), "population_right_s": round(pop_right, 2),
           "right_ms_per_case": round((pop_right - pop) / n * 1e3, 3),
           "population_vs_per_case": round(without * n / pop, 1),
           "population_right_vs_per_case": round(with_ * n / pop_right, 1)}
    with open(Path(__file__).parent / "results" / "bench_right.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(out) + "\n")
    return out


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000), indent=2))
