"""The differencing attacker of ``tests/dashboards/test_disclosure.py`` on the bundled
20,000-request register.

``python benchmarks/attack_disclosure.py [--register var/register.sqlite] [--settings 150] [--seed 1]``

Every figure an analyst can see on the policy dashboard (counts, shares, medians,
quartiles and percentiles of every view kind: headline figures, bars per month, status,
region/province/CPAS with their table, map, backlog, delays, age categories,
disagreement bins; a download holds the same figures) is collected for a sample of
filter settings — every region, province and rule set over the whole period; for the
country, every period starting at the first month, ending at the last, or of one month
(the slider positions that isolate a month by difference); for each region and a sample
of CPAS, every period from the first month — and the attacker combines every pair.
The sample is drawn with ``--seed`` and bounded by ``--settings`` so the run takes
minutes, not hours; every view kind is covered whatever the sample.

Prints and appends to ``benchmarks/results/disclosure_attack.txt``: filter settings,
figures, populations, pairs tried, counts under 5 recovered (must be 0), and the same
attacker against plain suppression (exact counts) and against interpolated measures,
for comparison. Exit 1 if any count is recovered from what the dashboard shows.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _attacker():
    spec = importlib.util.spec_from_file_location("art60kit_disclosure_attacker",
                                                  ROOT / "tests" / "dashboards" / "attacker.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def filter_settings(A, facts, max_settings: int, seed: int) -> list:
    months = facts.months
    req = facts.requests
    rng = random.Random(seed)
    prefixes = [(months[0], m) for m in months]
    periods = sorted(set(prefixes + [(m, months[-1]) for m in months] + [(m, m) for m in months]))
    out = [A.Filters(months=p) for p in periods]
    out += [A.Filters(region=r) for r in sorted(req["region_nis"].dropna().unique())]
    out += [A.Filters(province=p) for p in sorted(req["province_nis"].fillna("").unique())]
    out += [A.Filters(rules=r) for r in sorted(req["rules"].dropna().unique())]
    for r in sorted(req["region_nis"].dropna().unique()):
        out += [A.Filters(months=p, region=r) for p in prefixes]
    # CPAS: the largest, the smallest with requests, and a random sample, each over
    # every period from the first month (sampled when too many)
    counts = req["cpas_nis"].value_counts()
    cpas = list(counts.index[:3]) + list(counts.index[-3:])
    rest = [c for c in counts.index if c not in cpas]
    cpas += rng.sample(rest, min(len(rest), 12))
    extra = [A.Filters(months=p, cpas=c) for c in cpas for p in prefixes]
    extra += [A.Filters(cpas=c, rules=r) for c in cpas[:6] for r in sorted(req["rules"].dropna().unique())]
    room = max(0, max_settings - len(out))
    if len(extra) > room:
        extra = rng.sample(extra, room)
    return out + extra


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", default=str(ROOT / "var" / "register.sqlite"))
    ap.add_argument("--settings", type=int, default=150, help="most filter settings tried")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "disclosure_attack.txt"))
    a = ap.parse_args(argv)

    from art60kit.dashboards import aggregates as A
    from art60kit.dashboards import geo, source

    AT = _attacker()
    t0 = time.perf_counter()
    facts = A.build_facts(source.versions(a.register), source.read_flags(a.register))
    filters = filter_settings(A, facts, a.settings, a.seed)
    area_of = geo.arrondissement_of_cpas()
    F = AT.collect(facts, filters, area_of, sorted(set(area_of.values())))
    t1 = time.perf_counter()
    pops, tried, recovered = AT.attack(F)
    t2 = time.perf_counter()
    _, tried_plain, recovered_plain = AT.attack(F, exact=True)
    _, _, recovered_interp = AT.attack(F, interpolated=True)
    t3 = time.perf_counter()
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(F.kinds.items()))
    line = (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {len(facts.requests)} requests sent "
            f"({F.n_req} requests, {F.n_ver} versions): {len(filters)} filter settings (seed {a.seed}), "
            f"{F.n_figures} figures ({len(F.shares)} shares, {len(F.measures)} medians/quartiles/percentiles), "
            f"{pops} populations bounded, {tried} pairs tried, {recovered} counts under 5 recovered; "
            f"against plain suppression: {recovered_plain} recovered of {tried_plain} pairs; with interpolated "
            f"measures: {recovered_interp} recovered; collect {t1 - t0:.0f} s, attack {t2 - t1:.0f} s, "
            f"comparisons {t3 - t2:.0f} s. Figures by kind: {kinds}")
    print(line)
    with open(a.out, "a", encoding="utf-8") as f:
        f.write(line + "\n")
    return 1 if recovered else 0


if __name__ == "__main__":
    sys.exit(main())
