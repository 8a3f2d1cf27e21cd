"""Compile the search ahead of its first use.

``python -m art60kit.compile`` (run by ``make venv``) plans a small synthetic population
with the compiled kernel, and one case, so that numba compiles the search once, for
populations (over the kernel's threads) and for one case (on the calling thread): 3 to 4
minutes on two cores. The machine code is kept in numba's cache (``NUMBA_CACHE_DIR``;
the Makefile keeps it in ``.venv/numba-cache``); later runs load it.

**The kernel's sources.** The kernel is the package ``batch/kernel/`` (one module per
concept) and reads a constant of ``batch/bounds.py``: :data:`_SOURCES`. numba's cache
checks, on loading a compiled function, only the stamp of that function's own file,
while its machine code also holds the functions it calls in the other modules; a
change in one module could therefore leave stale code for the others. So the digest of
every source's bytes (:func:`sources_digest`) is stamped beside the cache
(:data:`STAMP`), and :func:`clear_stale_cache` (run when the kernel package is
imported, before anything is loaded from the cache) removes the kernel's compiled code
when the stamp differs.

**Reuse across checkouts.** numba's own cache is kept per folder of the kernel's
modules, so a second clone on the same machine would compile again. The compiled code
is therefore also kept in a per-user store (``$ART60KIT_NUMBA_STORE``, default
``~/.cache/art60kit/numba``) under a key made of the digest of the kernel's sources, the
numba version, the Python version and the machine architecture; a checkout whose key
matches takes the code from there instead of compiling. numba still checks, on loading,
that the code was compiled for this processor (it recompiles otherwise).
``ART60KIT_NUMBA_STORE=`` (empty) turns the store off.
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
_KERNEL = _PKG / "batch" / "kernel"
#: the sources whose bytes the compiled kernel depends on: every module of the kernel
#: package, and the bounds module whose constant it reads
_SOURCES = tuple(sorted(_KERNEL.glob("*.py"))) + (_PKG / "batch" / "bounds.py",)
#: the file beside the kernel's compiled code that holds the digest of the sources it
#: was compiled from
STAMP = "sources.sha256"


def sources_digest() -> str:
    """The digest of the exact bytes of the kernel's sources (names and contents)."""
    h = hashlib.sha256()
    for p in _SOURCES:
        h.update(p.name.encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def _kernel_file(name: str) -> bool:
    """Whether a file of numba's cache holds compiled code of a kernel module
    (``<module>.<function>-<line>.py311[.n].nbi|nbc``)."""
    return name.endswith((".nbi", ".nbc")) and name.split(".", 1)[0] in _MODULES


_MODULES = {p.stem for p in _SOURCES if p.parent == _KERNEL}


def clear_stale_cache(cache) -> bool:
    """Remove the kernel's compiled code from numba's cache folder ``cache`` unless it
    was compiled from the present sources (the stamp :data:`STAMP` beside it holds their
    digest); then stamp the folder. Returns whether anything was cleared."""
    if cache is None:
        return False
    cache = Path(cache)
    digest = sources_digest()
    stamp = cache / STAMP
    try:
        if stamp.read_text(encoding="utf-8") == digest:
            return False
    except OSError:
        pass
    cleared = False
    if cache.is_dir():
        for f in cache.iterdir():
            if _kernel_file(f.name):
                f.unlink(missing_ok=True)
                cleared = True
    _write_stamp(cache, digest)
    return cleared


def _write_stamp(cache: Path, digest: str) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f"{STAMP}.tmp{os.getpid()}"
    tmp.write_text(digest, encoding="utf-8")
    os.replace(tmp, cache / STAMP)


def store_dir() -> Optional[Path]:
    """This kernel's folder in the per-user store (None when the store is off)."""
    root = os.environ.get(STORE_ENV)
    if root is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "art60kit", "numba")
    if not root:
        return None
    import numba
    h = hashlib.sha256(sources_digest().encode())
    h.update(f"numba {numba.__version__} python {sys.version} {platform.machine()}".encode())
    return Path(root) / h.hexdigest()[:32]


def _cache_dir() -> Optional[Path]:
    """numba's cache folder for the kernel's modules in this checkout."""
    from numba.core import config
    from numba.core.caching import _CacheLocator
    if not config.CACHE_DIR:
        return None
    return Path(config.CACHE_DIR) / _CacheLocator.get_suitable_cache_subpath(str(_KERNEL / "__init__.py"))


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
    _write_stamp(cache, sources_digest())  # the store's key holds the sources' digest
    return True


def save_to_store() -> None:
    """Keep this checkout's compiled kernel in the per-user store (once per key)."""
    store, cache = store_dir(), _cache_dir()
    if store is None or cache is None or (store / "complete").exists() or not cache.is_dir():
        return
    tmp = store.with_name(store.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for f in cache.iterdir():
        if _kernel_file(f.name):
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
