"""Compile the search ahead of its first use.

``python -m art60kit.compile`` (run by ``make venv``) plans one case and a small
synthetic population with the compiled kernel, so that numba compiles the search once,
for one case (on the calling thread; about two thirds of the work) and for populations
(over the kernel's threads): 80 s of processor time, 1.5 to 4 minutes on two shared
cores. The machine code is kept in numba's cache (``NUMBA_CACHE_DIR``; the Makefile
keeps it in ``.venv/numba-cache``); later runs load it.

**In the background.** The dashboards' set-up starts it in another process
(:func:`compile_in_background`) and meanwhile generates and reads the register's
requests; its planning waits for the one-case entry only and plans on one thread with
it until the population entry is compiled too (:func:`wait_for_background`, called by
:func:`art60kit.batch.run.run_kernel`).

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
import subprocess
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
    """Keep this checkout's compiled kernel in the per-user store (once per key), only
    when it was compiled from the sources as they are now (its stamp): code compiled
    while a source was being edited would otherwise be kept under the new sources' key."""
    store, cache = store_dir(), _cache_dir()
    if store is None or cache is None or (store / "complete").exists() or not cache.is_dir():
        return
    try:
        if (cache / STAMP).read_text(encoding="utf-8") != sources_digest():
            return
    except OSError:  # no stamp: not known to be the present sources' code
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


#: the compilation started by :func:`compile_in_background` in this process, and when
_BACKGROUND: Optional[tuple[subprocess.Popen, float]] = None


def compile_in_background() -> bool:
    """Start ``python -m art60kit.compile`` in another process when the compiled
    search is not ready, so that it compiles (or is taken from the per-user store)
    while this process does work that needs no kernel (the dashboards' set-up generates
    and reads the register's requests meanwhile). The first use of the kernel in this
    process then waits for it (:func:`wait_for_background`, called by
    :func:`art60kit.batch.run.run_kernel`) instead of compiling a second time. Returns
    whether a compilation was started. The process has its own session: Ctrl-C reaches
    this one, which ends it (:func:`stop_background`)."""
    global _BACKGROUND
    if _BACKGROUND is not None:
        return True
    try:
        from .batch.run import kernel_compiled
    except ImportError:  # no population engine installed: nothing to compile
        return False
    if kernel_compiled():
        return False
    try:  # taken from the per-user store here: a second process would only copy it
        if seed_from_store() and kernel_compiled():
            print(f"art60kit: calculation engine compiled code reused from {store_dir()} "
                  "(same source, numba and Python)", flush=True)
            return False
    except Exception:  # noqa: BLE001 - a damaged store only means compiling
        pass
    proc = subprocess.Popen([sys.executable, "-m", "art60kit.compile", "--background"], start_new_session=True)
    _BACKGROUND = (proc, time.perf_counter())
    return True


def _entry_cached(name: str) -> bool:
    """Whether numba's cache holds compiled code of the kernel's entry ``name``."""
    try:
        from .batch import kernel as K
        return bool(getattr(K, name)._cache._cache_file._load_index())
    except Exception:  # numba internals: not known to be there
        return False


def wait_for_background(threads: bool = True) -> bool:
    """Before the kernel's first use in this process: wait until the compilation
    started by :func:`compile_in_background`, if any, has compiled the one-case entry
    (:func:`kernel.plan_range`, which it compiles first), saying how long this process
    waited. Returns whether the kernel's threads may be used (``threads``, unless the
    population entry, :func:`kernel.plan_chunk`, is still being compiled: the caller
    then plans on its own thread with the one-case entry, the same code, instead of
    waiting for the rest)."""
    global _BACKGROUND
    if _BACKGROUND is None:
        return threads
    proc, t0 = _BACKGROUND
    t = None
    while proc.poll() is None and not _entry_cached("plan_range"):
        if t is None:
            t = time.perf_counter()
            print(f"art60kit: waiting for the calculation engine, compiling for {t - t0:.0f} s ...",
                  file=sys.stderr, flush=True)
        try:
            time.sleep(0.5)
        except BaseException:
            stop_background()
            raise
    if t is not None:
        print(f"art60kit: calculation engine ready after {time.perf_counter() - t:.0f} s of waiting",
              file=sys.stderr, flush=True)
    if proc.poll() is None:
        return False
    _BACKGROUND = None
    if proc.returncode != 0:
        print("art60kit: the compilation in another process failed; compiling here", file=sys.stderr, flush=True)
    return threads


def finish_background() -> None:
    """Wait for the whole compilation started by :func:`compile_in_background` (both
    entries, then kept in the per-user store)."""
    global _BACKGROUND
    if _BACKGROUND is None:
        return
    proc = _BACKGROUND[0]
    if proc.poll() is None:
        t = time.perf_counter()
        print("art60kit: waiting for the compilation of the population entry ...", file=sys.stderr, flush=True)
        try:
            proc.wait()
        except BaseException:
            stop_background()
            raise
        print(f"art60kit: done after {time.perf_counter() - t:.0f} s of waiting", file=sys.stderr, flush=True)
    _BACKGROUND = None


def stop_background() -> None:
    """End the compilation started by :func:`compile_in_background` (interrupted
    set-up); numba writes each cache file whole, so a stopped compilation leaves none."""
    global _BACKGROUND
    if _BACKGROUND is None:
        return
    proc = _BACKGROUND[0]
    _BACKGROUND = None
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: Optional[list[str]] = None) -> int:
    """``--background``: started by :func:`compile_in_background`; once the one-case
    entry is compiled, the population entry is compiled at a lower priority (the
    set-up waiting for the kernel needs only the first; the second then takes the
    processor time the set-up leaves)."""
    background = "--background" in (sys.argv[1:] if argv is None else argv)
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
    print("art60kit: compiling the calculation engine (once, 1.5 to 4 minutes on two cores)...", flush=True)
    t0 = time.perf_counter()
    cases, lines = population(20, seed=1)
    # the one-case entry first (about two thirds of the work): a set-up waiting for the
    # kernel can plan with it on one thread while the population entry (the same code
    # over the kernel's threads) is compiled
    plan(next(iter(tables_to_cases(cases.head(1), lines))), sensitivity=False)
    print(f"art60kit: one-case entry compiled in {time.perf_counter() - t0:.0f} s; "
          "now the population entry (over the kernel's threads)", flush=True)
    if background and hasattr(os, "nice"):
        os.nice(10)
    plan_population(cases, lines, progress=False)
    print(f"art60kit: compiled in {time.perf_counter() - t0:.0f} s", flush=True)
    _store_quietly()
    return 0


def _store_quietly() -> None:
    try:
        save_to_store()
    except OSError as exc:  # a read-only home: the checkout's own cache still works
        print(f"art60kit: compiled code not kept in the per-user store ({exc.strerror})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
