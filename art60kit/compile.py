"""Compile the search ahead of its first use.

``python -m art60kit.compile`` (run by ``make venv``) plans a small synthetic population
with the compiled kernel, and one case, so that numba compiles the search once, for
populations (over the kernel's threads) and for one case (on the calling thread): 3 to 4
minutes on two cores. The machine code is kept in numba's cache (``NUMBA_CACHE_DIR``;
the Makefile keeps it in ``.venv/numba-cache``); later runs load it.

**Reuse across checkouts.** numba's own cache is kept per folder of ``batch/kernel.py``
(its index also holds a digest of the source), so a second clone on the same machine
would compile again. The compiled code is therefore also kept in a per-user store
(``$ART60KIT_NUMBA_STORE``, default ``~/.cache/art60kit/numba``) under a key made of the
exact bytes of the kernel's source (``batch/kernel.py`` and ``batch/bounds.py``, whose
constant the kernel reads), the numba version, the Python version and the machine
architecture; a checkout whose key matches takes the code from there instead of
compiling. numba still checks, on loading, the source digest and that the code was
compiled for this processor (it recompiles otherwise). ``ART60KIT_NUMBA_STORE=`` (empty) turns the store
off.
"""
from __future__ import annotations

import hashlib
import os
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Optional

STORE_ENV = "ART60KIT_NUMBA_STORE"
_PKG = Path(__file__).resolve().parent
#: the sources whose bytes the compiled kernel depends on
_SOURCES = (_PKG / "batch" / "kernel.py", _PKG / "batch" / "bounds.py")


def store_dir() -> Optional[Path]:
    """This kernel's folder in the per-user store (None when the store is off)."""
    root = os.environ.get(STORE_ENV)
    if root is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "art60kit", "numba")
    if not root:
        return None
    import numba
    h = hashlib.sha256()
    for p in _SOURCES:
        h.update(p.read_bytes())
    h.update(f"numba {numba.__version__} python {sys.version} {platform.machine()}".encode())
    return Path(root) / h.hexdigest()[:32]


def _cache_dir() -> Optional[Path]:
    """numba's cache folder for ``batch/kernel.py`` in this checkout."""
    from numba.core import config
    from numba.core.caching import _CacheLocator
    if not config.CACHE_DIR:
        return None
    return Path(config.CACHE_DIR) / _CacheLocator.get_suitable_cache_subpath(str(_SOURCES[0]))


def seed_from_store() -> bool:
    """Put the stored compiled kernel into this checkout's numba cache; whether there
    was one."""
    store, cache = store_dir(), _cache_dir()
    if store is None or cache is None or not (store / "complete").exists():
        return False
    cache.mkdir(parents=True, exist_ok=True)
    for suffix in (".nbc", ".nbi"):  # indexes last: a half-copied cache is never announced
        for f in store.iterdir():
            if f.suffix == suffix:
                tmp = cache / (f.name + ".tmp")
                shutil.copyfile(f, tmp)
                os.replace(tmp, cache / f.name)
    return True


def save_to_store() -> None:
    """Keep this checkout's compiled kernel in the per-user store (once per key)."""
    store, cache = store_dir(), _cache_dir()
    if store is None or cache is None or (store / "complete").exists() or not cache.is_dir():
        return
    tmp = store.with_name(store.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for f in cache.glob("kernel.*"):
        if f.suffix in (".nbi", ".nbc"):
            shutil.copyfile(f, tmp / f.name)
    (tmp / "complete").write_text("", encoding="utf-8")
    try:
        os.replace(tmp, store)
    except OSError:  # another checkout stored it meanwhile
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    from .batch.engine import kernel_compiled, plan_population
    from .batch.synth import population
    from .batch.tables import tables_to_cases
    from .planner import plan

    if kernel_compiled():
        print("art60kit: population engine already compiled")
        _store_quietly()
        return 0
    try:
        if seed_from_store() and kernel_compiled():
            print(f"art60kit: calculation engine compiled code reused from {store_dir()} "
                  "(same source, numba and Python)")
            return 0
    except Exception as exc:  # noqa: BLE001 - a damaged store only means compiling
        print(f"art60kit: compiled code in the store not usable ({type(exc).__name__}); compiling", flush=True)
    print("art60kit: compiling the calculation engine (once, about 3 to 4 minutes on two cores)...", flush=True)
    t0 = time.perf_counter()
    cases, lines = population(20, seed=1)
    plan_population(cases, lines, progress=False)
    plan(next(iter(tables_to_cases(cases.head(1), lines))), sensitivity=False)
    print(f"art60kit: compiled in {time.perf_counter() - t0:.0f} s")
    _store_quietly()
    return 0


def _store_quietly() -> None:
    try:
        save_to_store()
    except OSError as exc:  # a read-only home: the checkout's own cache still works
        print(f"art60kit: compiled code not kept in the per-user store ({exc.strerror})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
