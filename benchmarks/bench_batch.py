"""Benchmark of the batch engine against the per-case planner.

    python benchmarks/bench_batch.py --smoke                  # CI (make test): 10k, 100-case sample
    python benchmarks/bench_batch.py --sizes 10000 --dask     # the documented 10k figures
    python benchmarks/bench_batch.py --sizes 100000 1000000 --sample 0   # batch engine alone

For each size: a synthetic population (art60kit.batch.synth, ~10 lines a case), the
batch engine's wall time (kernel compiled beforehand), cases per second, the per-case
planner (``plan(case, sensitivity=False)``) timed on a sample of the same cases in the
same run, the ratio of throughputs, the same against the previous design's per-case
search in Python (``previous_planner.py``, ``ratio_previous``), the cases the sample shares checked for identical
figures, the process's peak resident memory, and optionally the Dask run on a
LocalCluster of 2 workers (checked identical). Results are appended as JSON lines to
benchmarks/results/bench_batch.jsonl and printed (``--smoke``: printed only, unless
``--out`` is given). Wall times and the process's CPU time (``*_cpu_s``) are both
recorded: on a shared machine the CPU time is the steadier figure. Exit status 1 when
the batch engine and the per-case planner differ on a sampled case.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from art60kit.batch import KEY_COLUMNS, RunStats, compare_results, plan_per_case, plan_population, population
from art60kit.batch.parts import write_parts

sys.path.insert(0, str(Path(__file__).parent))  # previous_planner, beside this file


def _write_part(cases, lines, folder: Path, i: int) -> None:
    for sub, df in (("cases", cases), ("lines", lines)):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        df.to_parquet(folder / sub / f"part-{i:05d}.parquet", index=False)


def cpu_s() -> float:
    """CPU time of this process (all threads) and its finished children."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _commit():
    """The measured code's commit (short id, ``+`` when the work tree differs), or None."""
    import subprocess

    here = Path(__file__).parent
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "../art60kit"],
                               cwd=here, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return sha + ("+" if dirty else "")


def _previous_design(sc, sl) -> tuple[float, float, int]:
    """Wall and CPU time of the previous design's per-case search over the sampled
    cases, and how many of its end dates differ from the per-case planner's under the
    law it implements: it predates the rule on work known only by a quarter's total
    (rule data ``quarter_edges``), so both plan without it, and the reading of a
    fractional regime (each of its ceil(R) weekdays credits 6/ceil(R), not 6/R), so the
    cases with one (the contract or a line in a regime of, say, 4.5 days a week) are
    timed but not compared."""
    import pandas as pd

    from art60kit.batch.tables import case_dict_from_rows, normalise_cases, normalise_lines
    from art60kit.caseio import case_from_dict
    from art60kit.rules import default_rulebook
    from previous_planner import plan_previous

    full = default_rulebook()
    book = full.with_changes({rs.id: {"quarter_edges": None} for rs in full.rule_sets if rs.quarter_edges})
    cases = []
    nc, nl = normalise_cases(sc), normalise_lines(sl)
    by_case = {k: g.to_dict("records") for k, g in nl.groupby("case_id", sort=False)}
    for row in nc.to_dict("records"):
        d, _ = case_dict_from_rows(row, by_case.get(row["case_id"], []))
        cases.append(case_from_dict(d))
    t, c0 = time.perf_counter(), cpu_s()
    got = [(c.case_id, plan_previous(c, book)[0]) for c in cases]
    wall, cpu = time.perf_counter() - t, cpu_s() - c0
    ends = plan_per_case(sc, sl, book=book).set_index("case_id")["end_date"]
    def fractional(r) -> bool:
        return r is not None and not pd.isna(r) and float(r) != int(float(r))

    older = {c.case_id for c in cases
             if fractional(c.contract.days_per_week)
             or any(fractional(l.days_per_week) and l.hours is None and l.days is None for l in c.career)}
    differ = 0
    for cid, end in got:
        if cid in older:
            continue
        want = ends.get(cid)
        want = None if want is None or pd.isna(want) else pd.Timestamp(want).date()
        differ += want != end
    return wall, cpu, differ


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--sample", type=int, default=200, help="cases planned one by one for the ratio")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk-size", type=int, default=100_000, help="cases per chunk and per Parquet part")
    ap.add_argument("--in-memory-max", type=int, default=200_000,
                    help="larger populations are generated into Parquet parts and streamed (bounded memory)")
    ap.add_argument("--dask", action="store_true", help="also run on a LocalCluster of 2 workers")
    ap.add_argument("--out", default=None, help="JSON lines file (default: results/bench_batch.jsonl; "
                    "none with --smoke)")
    ap.add_argument("--smoke", action="store_true",
                    help="CI run: 10,000 cases, the per-case planner on a 100-case sample, nothing written")
    a = ap.parse_args(argv)
    if a.smoke:
        a.sizes, a.sample, a.dask = [10_000], min(a.sample, 100), False
    elif a.out is None:
        a.out = str(Path(__file__).parent / "results" / "bench_batch.jsonl")
    bad = 0
    c, l = population(200, 99)
    t = time.perf_counter()
    plan_population(c, l, progress=False)  # compile (or load) the kernel
    print(f"kernel ready in {time.perf_counter() - t:.1f} s", flush=True)
    for n in a.sizes:
        streamed = n > a.in_memory_max
        work = Path(tempfile.mkdtemp(prefix=f"art60kit-bench-{n}-"))
        t = time.perf_counter()
        if streamed:
            # generated straight into aligned Parquet parts: the population is never
            # whole in memory, and the engine streams it part by part
            nlines = 0
            for i, lo in enumerate(range(0, n, a.chunk_size)):
                c, l = population(min(a.chunk_size, n - lo), a.seed, start=lo)
                nlines += len(l)
                _write_part(c, l, work, i)
                if i == 0:
                    cases, lines = c, l  # the per-case sample is drawn from the first part
            del c, l
        else:
            cases, lines = population(n, a.seed)
            nlines = len(lines)
            if a.dask:
                write_parts(cases, lines, work, a.chunk_size)
        gen = time.perf_counter() - t
        st = RunStats()
        load0 = [round(x, 2) for x in __import__("os").getloadavg()]
        t, c0 = time.perf_counter(), cpu_s()
        if streamed:
            res = plan_population(str(work), None, chunk_size=a.chunk_size, progress=False, stats=st)
        else:
            res = plan_population(cases, lines, chunk_size=a.chunk_size, progress=False, stats=st)
        batch_s, batch_cpu = time.perf_counter() - t, cpu_s() - c0
        row = {
            "size": n, "lines": nlines, "streamed_parts": streamed, "generate_s": round(gen, 2),
            "batch_s": round(batch_s, 2),
            "batch_cpu_s": round(batch_cpu, 2),
            "batch_cases_per_s": round(n / batch_s, 1), "batch_cases_per_cpu_s": round(n / batch_cpu, 1),
            "kernel_s": round(st.kernel_seconds, 2),
            "kernel_cases": st.kernel, "fallback_cases": st.planner, "error_cases": st.errors,
        }
        if a.sample > 0:
            rng = np.random.default_rng(0)
            idx = np.sort(rng.choice(len(cases), min(a.sample, len(cases)), replace=False))
            sc = cases.iloc[idx]
            sl = lines[lines["case_id"].isin(set(sc["case_id"]))]
            t, c0 = time.perf_counter(), cpu_s()
            ref = plan_per_case(sc, sl)
            per_s, per_cpu = time.perf_counter() - t, cpu_s() - c0
            for col in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
                import pandas as pd
                ref[col] = pd.to_datetime(ref[col]).astype("datetime64[s]")
            diff = compare_results(res[res["case_id"].isin(set(ref["case_id"]))], ref, KEY_COLUMNS)
            bad += len(diff)
            row.update({
                "percase_sample": len(idx), "percase_s": round(per_s, 2), "percase_cpu_s": round(per_cpu, 2),
                "percase_cases_per_s": round(len(idx) / per_s, 2),
                "percase_cases_per_cpu_s": round(len(idx) / per_cpu, 2),
                "ratio": round((n / batch_s) / (len(idx) / per_s), 1),
                "kernel_path_ratio": round((st.kernel / st.kernel_seconds) / (len(idx) / per_s), 1)
                if st.kernel_seconds else None,
                # the planner runs on one core; the batch engine on all of them
                "ratio_cpu": round((n / batch_cpu) / (len(idx) / per_cpu), 1),
                "sample_mismatches": len(diff),
            })
            # the previous design's per-case search (Python), on the same sample: the
            # population engine's speed against it, and its end dates against the
            # per-case planner's under the rules it implements
            prev_s, prev_cpu, prev_bad = _previous_design(sc, sl)
            bad += prev_bad
            row.update({
                "previous_percase_s": round(prev_s, 2), "previous_percase_cpu_s": round(prev_cpu, 2),
                "ratio_previous": round((n / batch_s) / (len(idx) / prev_s), 1),
                "ratio_previous_cpu": round((n / batch_cpu) / (len(idx) / prev_cpu), 1),
                "previous_mismatches": prev_bad,
            })
        row.update({
            "peak_rss_mb": round(peak_mb()),
            # the population engine's child process (the cases left to the per-case
            # planner, beside the kernel), counted once it has ended
            "child_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            # the machine is shared: its load over the last 1, 5 and 15 minutes, before the
            # population engine's run and after the per-case runs (this run adds about 2)
            "load_avg_before": load0, "load_avg_after": [round(x, 2) for x in __import__("os").getloadavg()],
            "machine": f"{platform.machine()} {__import__('os').cpu_count()} cores", "python": platform.python_version(),
            "commit": _commit(),
        })
        if a.dask:
            from dask.distributed import Client, LocalCluster

            from art60kit.batch import plan_dask
            # each worker reads and plans its own aligned part (no data through the
            # scheduler), one thread each: the numba kernel is parallel inside a part
            # when a worker has more threads
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
                    Client(cl):
                t = time.perf_counter()
                rd = plan_dask(str(work)).compute()
                row["dask_s"] = round(time.perf_counter() - t, 2)
            row["dask_overhead"] = round(row["dask_s"] / batch_s, 2)
            row["dask_mismatches"] = len(compare_results(res, rd, KEY_COLUMNS))
            bad += row["dask_mismatches"]
        shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(row), flush=True)
        if a.out:
            Path(a.out).parent.mkdir(parents=True, exist_ok=True)
            with open(a.out, "a") as f:
                f.write(json.dumps(row) + "\n")
    if bad:
        print(f"{bad} sampled case(s) differ from the per-case planner", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
