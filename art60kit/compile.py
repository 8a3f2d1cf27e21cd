"""Compile the population engine's kernel ahead of its first use.

``python -m art60kit.compile`` (run by ``make venv``) plans a small synthetic population
with the compiled kernel, so that numba compiles it once (3 to 4 minutes on two cores)
and stores the machine code in its cache (``NUMBA_CACHE_DIR``; the Makefile keeps it in
``.venv/numba-cache``). Later runs load the cached code in about a second. Planning one
case (``art60kit plan``) does not need it.
"""
from __future__ import annotations

import sys
import time


def main() -> int:
    from .batch.engine import kernel_compiled, plan_population
    from .batch.synth import population

    if kernel_compiled():
        print("art60kit: population engine already compiled")
        return 0
    print("art60kit: compiling the population engine (once, about 3 to 4 minutes on two cores)...", flush=True)
    t0 = time.perf_counter()
    cases, lines = population(20, seed=1)
    plan_population(cases, lines, progress=False)
    print(f"art60kit: compiled in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
