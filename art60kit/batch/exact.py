"""The kernel's own source run by the Python interpreter, with unbounded integers: the
search for a case whose figures the compiled kernel cannot hold exactly.

The compiled kernel (:mod:`art60kit.batch.kernel`) counts in 64-bit integers: each
calendar year's credits over the common denominator of the rates that credit its days
(:func:`~art60kit.batch.kernel.ledger.year_den`). Work declared by its total hours,
spread over an odd number of days, brings a denominator of its own; three or four such
lines in one year can make that common denominator too large for exact sums, and the
compiled search answers ``FALLBACK`` for the case (a few cases in 100,000 of a
population with hours-measured interim work).

Such a case is planned here by the same functions, not by another implementation:
the kernel's modules are loaded a second time with numba's compilation disabled, so
every function is the plain Python function it was written as, and every integer
array the search reads or writes holds Python integers (numpy arrays of objects), which
never overflow. The 64-bit limits of :mod:`.kernel.base` (``YEAR_DEN_MAX``,
``RATE_MAX``, ``LINE_DEN_MAX``) are lifted in that copy. The result is the one the
compiled kernel would give with integers wide enough: the same rules, the same
readings, the same code, about a thousand times slower (some tens of milliseconds a
case), for the few cases that need it.

A figure the compiled kernel cannot even read exactly (more than six decimals, or too
large for its encoder) is read exactly for the interpreted copy
(:func:`art60kit.batch.one.encode_case` with ``wide``). Should an operation still reach
a 64-bit numpy integer (a value from an array not converted), numpy's overflow is made
an error, and the case stays ``FALLBACK``: the per-case planner then plans it with the
day-by-day reference engine.
"""
from __future__ import annotations

import importlib.util
import sys
import threading
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from ..model import Options
from .book import EncodedBook

#: what the interpreted copy uses for the 64-bit limits, and for a cap that never binds:
#: far beyond any figure a case can hold
UNBOUNDED = 1 << 4096


def wide(a):
    """An array as the interpreted kernel reads it: integers and booleans as Python
    objects (unbounded integers); other arrays unchanged. A large table (the public
    holidays' counts) is converted once and kept."""
    if isinstance(a, np.ndarray) and a.dtype.kind in "iub":
        if a.size < 4096:
            return a.astype(object)
        hit = _KEPT.get(id(a))
        if hit is None or hit[0] is not a:
            hit = _KEPT[id(a)] = (a, a.astype(object))
        return hit[1]
    return a


#: large tables converted by :func:`wide`, by identity (the original kept alive with it)
_KEPT: dict = {}


def _int(x=0):
    return int(x)


def _bool(x=False):
    return bool(x)


class _WideNumpy(SimpleNamespace):
    """numpy as the interpreted kernel sees it: its integer and boolean arrays are
    arrays of Python objects (zeros, never uninitialised), and its integer and boolean
    casts give Python's."""

    int64 = staticmethod(_int)
    bool_ = staticmethod(_bool)

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def _dtype(dtype):
        return object if dtype in (object, np.int64, np.bool_, int, bool, _int, _bool) else dtype

    @classmethod
    def empty(cls, shape, dtype=float):
        d = cls._dtype(dtype)
        return np.zeros(shape, d) if d is object else np.empty(shape, d)

    @classmethod
    def zeros(cls, shape, dtype=float):
        return np.zeros(shape, cls._dtype(dtype))

    @classmethod
    def array(cls, values, dtype=None):
        return np.array(values, cls._dtype(dtype) if dtype is not None else None)


_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def interpreted():
    """The kernel package loaded a second time, uncompiled, with unbounded integers
    (module ``art60kit.batch.kernel_interpreted``). Loaded once, by one thread at a
    time: numba's switch that leaves functions uncompiled is process-wide while the
    copy's modules run."""
    with _LOADING:
        name = __name__.rpartition(".")[0] + ".kernel_interpreted"
        if name in sys.modules:
            return sys.modules[name]
        try:
            return _load(name)
        except BaseException:
            for m in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[m]  # never a half-made copy
            raise


def _load(name: str):
    from numba.core import config

    from . import kernel as compiled

    folder = Path(compiled.__file__).parent
    before = config.DISABLE_JIT
    config.DISABLE_JIT = True  # numba's decorators return the functions themselves
    try:
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        pkg = importlib.util.module_from_spec(spec)
        sys.modules[name] = pkg
        spec.loader.exec_module(pkg)
    finally:
        config.DISABLE_JIT = before
    wide_np = _WideNumpy()
    for mname, mod in list(sys.modules.items()):
        if mname != name and not mname.startswith(name + "."):
            continue
        for gname, v in list(vars(mod).items()):
            if v is np:
                setattr(mod, gname, wide_np)
            elif isinstance(v, np.ndarray):
                setattr(mod, gname, wide(v))  # tables frozen into the compiled code
            elif gname in ("YEAR_DEN_MAX", "RATE_MAX", "LINE_DEN_MAX"):
                setattr(mod, gname, UNBOUNDED)
    return pkg


def search_exact(a: dict, eb: EncodedBook, options: Options) -> np.ndarray:
    """The kernel's output row (``kernel.O_NFIELDS`` figures, Python integers) for the
    one case encoded in ``a`` (:func:`art60kit.batch.one.encode_case`, with ``wide``
    for a case holding a figure the compiled kernel cannot read exactly), planned by
    the interpreted kernel: the compiled search's answer, computed without its 64-bit
    limits. Status ``FALLBACK`` only for a case encoded without ``wide`` that needed
    it, or should one occur, an overflow of a numpy integer."""
    from .run import kernel_args

    K = interpreted()
    out = np.zeros((1, K.O_NFIELDS), object)
    try:
        with np.errstate(over="raise"):
            K.plan_range(0, 1, *kernel_args(K, a, eb, options, arrays=wide), out)
    except FloatingPointError:
        out[0, K.O_STATUS] = K.FALLBACK
    return out[0]
