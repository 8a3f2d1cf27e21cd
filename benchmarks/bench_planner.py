"""Planner latency on one typical case (10 career lines): the per-case engine.

Run: ``python benchmarks/bench_planner.py`` (prints medians and ratios) or through
pytest-benchmark: ``pytest benchmarks/bench_planner.py --benchmark-only``.
Target: planning one typical case in under 20 ms on these 2-core machines.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from art60kit.caseio import load_case  # noqa: E402
from art60kit.ledger import _build_cached as _ledger_cached  # noqa: E402
from art60kit.planner import plan  # noqa: E402
from art60kit.reference import reference_plan  # noqa: E402

CASE = ROOT / "examples" / "interim-10.yaml"


def _fresh(case):
    # a new Case object per run, so no cache from a previous run helps
    from dataclasses import replace
    return replace(case, case_id=case.case_id + "")


def timed(fn, n):
    out = []
    for _ in range(n):
        _ledger_cached.cache_clear()
        # CPU time of this process: wall time is noisy when the 2 cores are shared
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return statistics.median(out) * 1000


def main(n: int = 30) -> dict:
    case = load_case(CASE)
    plan(case)  # warm imports and holiday tables
    full = timed(lambda: plan(case), n)
    bare = timed(lambda: plan(case, sensitivity=False), n)
    ref = timed(lambda: reference_plan(case), 2)
    p = plan(case)
    print(f"case: {CASE.name} ({len(case.career)} lines), end date {p.end_date}, {p.days_to_work} days to work, "
          f"{p.evaluations} evaluations")
    print(f"plan() with explanation and option sensitivity: median {full:.1f} ms (target < 20 ms)")
    print(f"plan(sensitivity=False):                        median {bare:.1f} ms")
    print(f"reference engine (day by day):                  median {ref:.0f} ms  -> planner is {ref / bare:.0f}x faster")
    return {"full_ms": full, "bare_ms": bare, "reference_ms": ref}


def test_plan_typical_case(benchmark):
    case = load_case(CASE)
    benchmark(lambda: plan(case))


if __name__ == "__main__":
    main()
