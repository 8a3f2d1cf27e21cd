"""Regimes at the loader's bounds, tried systematically through the case loader and
the planner: every day count of a result must lie between 0 and what the period can
hold.

``python benchmarks/absurd_regimes.py [--limit N]`` builds cases from a grid of
regimes at and near the bounds the loader accepts — days a week R from 1 to 6 (and
fractional), weekly hours Q from almost 0 to S, full-time hours S from almost 0 to 60,
total hours up to 24 a calendar day, days up to the period's calendar days, periods of
one day (a weekday, a Saturday, a Sunday), a quarter, a year and twenty years, lines
before and inside the window, contracts with tiny or full regimes — runs each through
``case_from_dict`` and ``plan``, and checks every day count of the result
(``day_count_problems`` of ``tests/test_day_bounds.py``). Prints the cases tried, refused by the loader, planned,
crashed (an exception other than the loader's one-line refusal) and out of bounds,
with the first examples; exit 1 if any crashed or was out of bounds.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from datetime import date, timedelta

from art60kit.caseio import case_from_dict
from art60kit.errors import InputError
from art60kit.planner import plan


def _checker():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "tests" / "test_day_bounds.py"
    spec = importlib.util.spec_from_file_location("art60kit_day_bounds", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


day_count_problems = _checker().day_count_problems


#: periods: (start, end) — one weekday, a Saturday, a Sunday, a quarter, a year, twenty years
PERIODS = [("2025-03-04", "2025-03-04"), ("2025-03-08", "2025-03-08"), ("2025-03-09", "2025-03-09"),
           ("2024-04-01", "2024-06-30"), ("2024-01-01", "2024-12-31"), ("2005-01-01", "2024-12-31"),
           ("2025-06-01", "2025-09-30")]
S_VALUES = [None, 1e-6, 0.01, 1, 19, 38, 60]
R_VALUES = [None, 1, 1.5, 2.5, 5, 5.999, 6]


def _span(a, b) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days + 1


def line_variants():
    """Career lines at the bounds: a Q/S regime, total hours, or days."""
    for (a, b), s, r in itertools.product(PERIODS, S_VALUES, R_VALUES):
        base = {"kind": "work", "start": a, "end": b}
        if r is not None:
            base["days_per_week"] = r
        if s is not None:
            base["full_time_hours"] = s
        s_eff = s if s is not None else 38.0
        for q in (None, 1e-6, s_eff / 3, s_eff):
            yield dict(base, **({} if q is None else {"weekly_hours": q}))
        span = _span(a, b)
        for h in (0, 1e-6, 1, span * 24, span * 24 * 0.5):
            yield dict(base, hours=h)
        for dd in (0, 1e-6, 1, span, span * 0.5):
            yield dict(base, days=dd)


def contract_variants():
    for start, (r, s, q) in itertools.product(
            ("2025-09-01", "2026-03-02"),
            [(5, 38, 38), (1, 38, 38), (6, 60, 60), (1, 60, 1e-6), (1, 1e-6, 1e-6), (6, 0.01, 0.01),
             (5, 38, 0.5), (1.5, 38, 19), (6, 1e-6, None)]):
        c = {"start": start, "days_per_week": r, "full_time_hours": s}
        if q is not None:
            c["weekly_hours"] = q
        yield c


def cases(limit=None):
    births = ("1995-05-05", "1970-02-02", "1960-12-31")
    n = 0
    contracts = list(contract_variants())
    for i, line in enumerate(line_variants()):
        c = contracts[i % len(contracts)]
        b = births[i % len(births)]
        yield {"person": {"birth_date": b}, "contract": c, "career": [line]}
        n += 1
        # the same line twice (overlap) with a full-time line beside it
        if i % 5 == 0:
            yield {"person": {"birth_date": b}, "contract": c,
                   "career": [line, dict(line), {"kind": "work", "start": "2023-01-02", "end": "2025-06-30"}]}
            n += 1
        if limit and n >= limit:
            return
    for c in contracts:  # contracts alone, and with a long full-time career
        for b in births:
            yield {"person": {"birth_date": b}, "contract": c}
            yield {"person": {"birth_date": b}, "contract": c,
                   "career": [{"kind": "work", "start": "2000-01-01", "end": "2025-08-31", "days_per_week": 6}]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    tried = refused = planned = 0
    crashes, bad = [], []
    for d in cases(a.limit):
        tried += 1
        try:
            case = case_from_dict(d, "<grid>")
        except InputError as e:
            refused += 1
            if any("\n" in str(p) for p in e.problems):
                crashes.append((d, "multi-line problem"))
            continue
        except Exception as e:  # noqa: BLE001
            crashes.append((d, f"loader: {type(e).__name__}: {e}"))
            continue
        try:
            r = plan(case).to_dict()
        except InputError:
            refused += 1
            continue
        except Exception as e:  # noqa: BLE001
            crashes.append((d, f"plan: {type(e).__name__}: {e}"))
            continue
        planned += 1
        p = day_count_problems(d, r)
        if p:
            bad.append((d, p))
    dt = time.perf_counter() - t0
    print(f"absurd regimes: {tried} cases tried, {refused} refused by the loader, {planned} planned, "
          f"{len(crashes)} crashed, {len(bad)} with a day count out of bounds ({dt:.0f} s)")
    for d, why in crashes[:5]:
        print("  crash:", why, d)
    for d, why in bad[:10]:
        print("  out of bounds:", "; ".join(why[:3]), d)
    return 1 if crashes or bad else 0


if __name__ == "__main__":
    sys.exit(main())
