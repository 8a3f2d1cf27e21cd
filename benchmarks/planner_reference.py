"""Run the per-case planner on a synthetic population, chunk by chunk, and keep the
results (benchmarks/results/reference_<n>/part-*.parquet), so that the batch engine can
be compared with it on every case. Resumable: finished chunks are skipped.

    python benchmarks/planner_reference.py --size 100000 --seed 7
    python benchmarks/planner_reference.py --size 100000 --seed 7 --compare   # batch vs the parts done
    python benchmarks/planner_reference.py --size 100000 --seed 7 --every-rule --option crediting=mon_sat

``--every-rule``: the population also exercises the rules that add or reshape lines and
the figures beside the end date (art60kit.batch.synth); ``--option NAME=VALUE``: an
interpretation option for every case (repeatable). Each variant has its own folder.

The parts hold the planner's results for the core as it was when they were made: delete
the folder after a change of the core (credit, admissibility, planner, rules).
"""
from __future__ import annotations

import argparse
import os
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
ap.add_argument("--every-rule", action="store_true", help="the population's every_rule mix (art60kit.batch.synth)")
ap.add_argument("--option", action="append", default=[], metavar="NAME=VALUE", help="interpretation option")
ap.add_argument("--from-end", action="store_true", help="plan the chunks from the last one: a second process "
                "started so shares the work with the first (each skips the parts the other has written)")
ap.add_argument("--compare", action="store_true", help="plan the cases of the finished parts with the batch "
                "engine and count the cases whose figures differ")
a = ap.parse_args()
from art60kit.model import Options  # noqa: E402

opts = Options(**dict(o.split("=", 1) for o in a.option))
variant = ("_every" if a.every_rule else "") + "".join(f"_{o.replace('=', '-')}" for o in sorted(a.option))
out = Path(a.out or Path(__file__).parent / "results" / f"reference_{a.size}_seed{a.seed}{variant}")
out.mkdir(parents=True, exist_ok=True)
cases, lines = population(a.size, a.seed, every_rule=a.every_rule)
if a.compare:
    import sys

    from art60kit.batch import KEY_COLUMNS, compare_results, plan_population

    parts = sorted(out.glob("part-*.parquet"))
    if not parts:
        sys.exit("no reference parts yet")
    ref = pd.concat([pd.read_parquet(f) for f in parts], ignore_index=True)
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date"):
        ref[c] = pd.to_datetime(ref[c]).astype("datetime64[s]")
    ids = set(ref["case_id"])
    sc = cases[cases["case_id"].isin(ids)]
    got = plan_population(sc, lines[lines["case_id"].isin(ids)], options=opts, progress=False)
    cols = [c for c in ("end_date", "request_date", "days_to_work", "days_required", "condition_id", "rules",
                        "age_category", "window_start", "window_end", "condition_counted", "condition_missing",
                        "already_admissible", "reachable", "naive_end_date", "condition_units",
                        "past_days_in_window", "window_extended_by_days", "dispense_de_stage",
                        "subsidy_days_beyond", "error") if c in ref]
    diff = compare_results(got, ref, cols)
    print(f"compared {len(ref)} cases{' (every-rule mix)' if a.every_rule else ''}{' ' + str(a.option) if a.option else ''} "
          f"on {len(cols)} figures ({(got['engine'] == 'kernel').sum()} by the kernel): {len(diff)} differ")
    if len(diff):
        print(diff.head(20).T)
    sys.exit(1 if len(diff) else 0)
t0 = time.time()
starts = range(0, a.size, a.chunk)
for i in (reversed(starts) if a.from_end else starts):
    f = out / f"part-{i // a.chunk:05d}.parquet"
    if f.exists():
        continue
    ids = cases["case_id"].iloc[i:i + a.chunk]
    t = time.time()
    r = plan_per_case(cases.iloc[i:i + a.chunk], lines[lines["case_id"].isin(set(ids))], options=opts)
    r["seconds"] = time.time() - t
    tmp = f.with_name(f"{f.name}.{os.getpid()}.tmp")
    r.to_parquet(tmp)
    os.replace(tmp, f)  # a part is whole or absent, whichever process wrote it
    print(f"{i + a.chunk} cases, {time.time() - t0:.0f} s", flush=True)
