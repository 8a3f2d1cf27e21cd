"""``art60kit plan CASE`` as a process: what a user waits for at the command line.

Run: ``python benchmarks/bench_cli.py [--runs 7]``. Starts the CLI as a subprocess
(``python -m art60kit plan examples/demo-001.yaml``) several times and reports the
fastest and the median wall time, and which heavy libraries the ``plan`` command
imports (it needs numba, for the compiled search, loaded from its cache; none of
pandas, pyarrow, dask). Target: under 1 s on this 2-core machine. Results are appended to
``benchmarks/results/bench_cli.jsonl``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "demo-001.yaml"
HEAVY = ("pandas", "pyarrow", "dask", "numba")


def run_once() -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of the CLI. The CPU time is what
    the command costs when it has the machine to itself: on 2 shared cores the wall time
    grows with the load average."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "art60kit", "plan", str(CASE)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def heavy_imports() -> list[str]:
    code = ("import sys, runpy; sys.argv = ['art60kit', 'plan', %r]\n"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        runpy.run_module('art60kit', run_name='__main__')\n"
            "    except SystemExit:\n        pass\n"
            "print(' '.join(sorted(m for m in %r if m in sys.modules)))") % (str(CASE), HEAVY)
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True)
    return out.stdout.split()


def main(runs: int = 7) -> dict:
    run_once()  # warm the file cache
    runs_ = [run_once() for _ in range(runs)]
    times, cpu = [w for w, _ in runs_], [c for _, c in runs_]
    heavy = heavy_imports()
    res = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "case": CASE.name, "runs": runs,
           "min_s": round(min(times), 3), "median_s": round(statistics.median(times), 3),
           "cpu_min_s": round(min(cpu), 3), "cpu_median_s": round(statistics.median(cpu), 3),
           "heavy_imports": heavy, "load_1min": round(os.getloadavg()[0], 2)}
    print(f"art60kit plan {CASE.name}: wall fastest {res['min_s']:.2f} s, median {res['median_s']:.2f} s; "
          f"CPU fastest {res['cpu_min_s']:.2f} s, median {res['cpu_median_s']:.2f} s over {runs} runs "
          f"(target < 1 s); heavy libraries imported: {', '.join(heavy) or 'none'}; "
          f"load average {res['load_1min']}")
    out = ROOT / "benchmarks" / "results" / "bench_cli.jsonl"
    with open(out, "a", encoding="utf-8") as f:
        f.write(json.dumps(res) + "\n")
    return res


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    main(ap.parse_args().runs)
