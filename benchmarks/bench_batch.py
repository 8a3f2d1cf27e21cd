"""Benchmark of the batch engine against the per-case planner.

    python benchmarks/bench_batch.py --sizes 10000            # CI smoke run
    python benchmarks/bench_batch.py --sizes 10000 100000 1000000 --dask

For each size: a synthetic population (art60kit.batch.synth, ~10 lines a case), the
batch engine's wall time (kernel compiled beforehand), cases per second, the per-case
planner (``plan(case, sensitivity=False)``) timed on a sample of the same cases in the
same run, the ratio of throughputs, the cases the sample shares checked for identical
figures, the process's peak resident memory, and optionally the Dask run on a
LocalCluster of 2 workers (checked identical). Results are appended as JSON lines to
benchmarks/results/bench_batch.jsonl and printed.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

from art60kit.batch import KEY_COLUMNS, RunStats, compare_results, plan_per_case, plan_population, population


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--sample", type=int, default=200, help="cases planned one by one for the ratio")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk-size", type=int, default=100_000)
    ap.add_argument("--dask", action="store_true", help="also run on a LocalCluster of 2 workers")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "bench_batch.jsonl"))
    a = ap.parse_args(argv)
    c, l = population(200, 99)
    t = time.perf_counter()
    plan_population(c, l, progress=False)  # compile (or load) the kernel
    print(f"kernel ready in {time.perf_counter() - t:.1f} s", flush=True)
    for n in a.sizes:
        t = time.perf_counter()
        cases, lines = population(n, a.seed)
        gen = time.perf_counter() - t
        st = RunStats()
        t = time.perf_counter()
        res = plan_population(cases, lines, chunk_size=a.chunk_size, progress=False, stats=st)
        batch_s = time.perf_counter() - t
        rng = np.random.default_rng(0)
        idx = np.sort(rng.choice(n, min(a.sample, n), replace=False))
        sc = cases.iloc[idx]
        sl = lines[lines["case_id"].isin(set(sc["case_id"]))]
        t = time.perf_counter()
        ref = plan_per_case(sc, sl)
        per_s = time.perf_counter() - t
        for col in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
            import pandas as pd
            ref[col] = pd.to_datetime(ref[col]).astype("datetime64[s]")
        diff = compare_results(res[res["case_id"].isin(set(ref["case_id"]))], ref, KEY_COLUMNS)
        row = {
            "size": n, "lines": len(lines), "generate_s": round(gen, 2), "batch_s": round(batch_s, 2),
            "batch_cases_per_s": round(n / batch_s, 1), "kernel_s": round(st.kernel_seconds, 2),
            "kernel_cases": st.kernel, "fallback_cases": st.planner, "error_cases": st.errors,
            "percase_sample": len(idx), "percase_s": round(per_s, 2),
            "percase_cases_per_s": round(len(idx) / per_s, 2),
            "ratio": round((n / batch_s) / (len(idx) / per_s), 1),
            "sample_mismatches": len(diff), "peak_rss_mb": round(peak_mb()),
            "machine": f"{platform.machine()} {__import__('os').cpu_count()} cores", "python": platform.python_version(),
        }
        if a.dask:
            from dask.distributed import Client, LocalCluster

            from art60kit.batch import plan_dask
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
                    Client(cl):
                t = time.perf_counter()
                rd = plan_dask(cases, lines, npartitions=max(2, n // a.chunk_size)).compute()
                row["dask_s"] = round(time.perf_counter() - t, 2)
            row["dask_overhead"] = round(row["dask_s"] / batch_s, 2)
            row["dask_mismatches"] = len(compare_results(res, rd, KEY_COLUMNS))
        print(json.dumps(row), flush=True)
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        with open(a.out, "a") as f:
            f.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
