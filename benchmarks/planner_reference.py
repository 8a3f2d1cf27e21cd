"""Run the per-case planner on a synthetic population, chunk by chunk, and keep the
results (benchmarks/results/reference_<n>/part-*.parquet), so that the batch engine can
be compared with it on every case. Resumable: finished chunks are skipped.

    python benchmarks/planner_reference.py --size 100000 --seed 7
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from art60kit.batch.percase import plan_per_case
from art60kit.batch.synth import population

ap = argparse.ArgumentParser()
ap.add_argument("--size", type=int, default=100_000)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--chunk", type=int, default=500)
ap.add_argument("--out", default=None)
a = ap.parse_args()
out = Path(a.out or Path(__file__).parent / "results" / f"reference_{a.size}_seed{a.seed}")
out.mkdir(parents=True, exist_ok=True)
cases, lines = population(a.size, a.seed)
t0 = time.time()
for i in range(0, a.size, a.chunk):
    f = out / f"part-{i // a.chunk:05d}.parquet"
    if f.exists():
        continue
    ids = cases["case_id"].iloc[i:i + a.chunk]
    t = time.time()
    r = plan_per_case(cases.iloc[i:i + a.chunk], lines[lines["case_id"].isin(set(ids))])
    r["seconds"] = time.time() - t
    r.to_parquet(f)
    print(f"{i + a.chunk} cases, {time.time() - t0:.0f} s", flush=True)
