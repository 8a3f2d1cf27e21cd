"""One call of the compiled search over encoded cases: the only place that hands the
case arrays, the rule book's arrays and the options to :func:`kernel.plan_chunk`.

Numpy only. The population engine calls it chunk by chunk; the per-case planner calls
it with one case (:mod:`art60kit.batch.one`). Options reach the kernel as plain
figures: the rounding and month-end readings as flags, the crediting reading as the
period's length in months with each rule set's full-period figure.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import compile as _compile
from ..credit import CONTRACT_LEAD_DAYS
from ..model import Options
from . import kernel as K
from .book import EncodedBook, holiday_table

#: cases handed to a kernel thread at a time: a block shares one workspace
#: (kernel.plan_chunk's ``block``)
KERNEL_CHUNK = 64


def run_kernel(n: int, a: dict, eb: EncodedBook, options: Options, out: np.ndarray, check: bool = False,
               block: int = KERNEL_CHUNK, threads: bool = True) -> None:
    """Plan the ``n`` encoded cases ``a`` (arrays of :func:`art60kit.batch.encode.encode`
    or :func:`art60kit.batch.one.encode_case`) under rule book ``eb`` into ``out`` (one
    row of ``kernel.O_NFIELDS`` per case). ``check``: recompute every table-driven
    window credit the direct way and count the differences (tests). ``threads``:
    blocks of ``block`` cases over the kernel's threads (:func:`kernel.plan_chunk`);
    otherwise all on the calling thread with one workspace (:func:`kernel.plan_range`),
    which never loads the parallel machinery."""
    # a compilation of the kernel started in another process (the dashboards' set-up):
    # wait for its cached code rather than compile the same a second time (on this
    # thread while only the one-case entry is ready)
    threads = _compile.wait_for_background(threads)
    _typing_without_cffi()
    args = kernel_args(K, a, eb, options, check)
    if threads:
        K.plan_chunk(n, *args, block, out)
    else:
        K.plan_range(0, n, *args, out)


def kernel_args(kernel, a: dict, eb: EncodedBook, options: Options, check: bool = False,
                arrays=lambda x: x) -> tuple:
    """The kernel's arguments after the cases' range and before ``out``: the encoded
    cases ``a`` and lines, the rule book's four parts and the options, as the structures
    of ``kernel`` (the compiled kernel, or the same source run by the interpreter,
    :mod:`art60kit.batch.exact`), each array passed through ``arrays``."""
    hc, hbase = holiday_table()
    b = eb.arrays
    pm = b["PM"][options.crediting]
    a = read_contract_arrays(a, b["CW"][options.crediting])
    k, w = kernel, arrays
    cases = k.Cases(*(w(a[f]) for f in k.Cases._fields))
    lines = k.Lines(*(w(a[f]) for f in k.Lines._fields))
    book = (k.Kinds(*(w(b[f]) for f in k.Kinds._fields)), k.Conds(*(w(b[f]) for f in k.Conds._fields)),
            k.CreditRules(w(b["cap_units"]), w(b["FU"][options.crediting]), w(b["QCAP"]), w(b["EWD"]), w(hc),
                          hbase),
            k.SearchRules(w(b["stops_rules"]), w(b["ages"]), w(k.past_gain_table(eb.limits)),
                          w(k.min_pattern_days_table("quarter" if pm == 3 else "month")), CONTRACT_LEAD_DAYS))
    opts = k.Opts(options.rounding == "onem", options.month_end == "next_day", options.extension_shift == "ymd", pm,
                  check)
    return (cases, lines, *book, opts)


def _typing_without_cffi() -> None:
    """numba's typing context, on its first use in a process, imports cffi, whose
    parser builds pycparser's C lexer (0.1 to 0.15 s of a 1 s command), only to type
    cffi functions: the search never receives one. When cffi is not loaded yet, hide it
    for that first use (numba then treats cffi as absent) and make it importable again
    at once for the rest of the process (the answer sheet's PDF library uses it)."""
    import sys

    if "numba.core.typing.cffi_utils" in sys.modules or "cffi" in sys.modules:
        return
    sys.modules["cffi"] = None  # import cffi -> ImportError
    try:
        import numba.core.typing.cffi_utils  # noqa: F401
    finally:
        del sys.modules["cffi"]


def read_contract_arrays(a: dict, contract_week: str) -> dict:
    """The encoded cases with their contracts as a crediting reading reads them: the
    array form of :func:`art60kit.credit.read_contract` (``mon_sat``: a full-time
    contract as six days a week, Monday to Saturday; a part-time one as seven). Returns
    ``a`` itself when the reading keeps the contract's own regime."""
    if contract_week == "pattern":
        return a
    if contract_week != "mon_sat":
        raise ValueError(f"no array form of the contract week {contract_week!r}")
    ft = np.asarray(a["c_ft"], bool)
    out = dict(a)
    out["c_r_n"] = np.where(ft, 6, 7).astype(np.int64)
    out["c_r_d"] = np.ones(len(ft), np.int64)
    out["c_mask"] = np.where(ft, 0b0111111, 0b1111111).astype(np.int64)
    return out


#: the compiled entries the population engine calls
BATCH_ENTRIES = ("plan_chunk",)
#: the compiled entries planning and explaining one case calls: the search on the
#: calling thread, and the detail :mod:`art60kit.ledger` reads (ledger, year table,
#: window, credits, verdict)
CASE_ENTRIES = ("plan_range", "build_ledgers", "widen_year_dens", "quarter_no", "ref_window", "window_credit_slow",
                "evaluate")


def kernel_compiled(entries: tuple[str, ...] = BATCH_ENTRIES + CASE_ENTRIES) -> Optional[bool]:
    """Whether the compiled ``entries`` of the kernel are ready: loaded in this process, or
    in numba's disk cache for this version of the kernel's sources. False means the first
    call compiles them (about 3 to 4 minutes on 2 cores, once; then cached next to the
    module, or in ``NUMBA_CACHE_DIR``). None when numba's cache cannot be inspected."""
    try:
        fns = [getattr(K, e) for e in entries]
        return all(f.signatures or f._cache._cache_file._load_index() for f in fns)
    except Exception:  # numba internals: unknown rather than wrong
        return None


def kernel_ready(entries: tuple[str, ...]) -> Optional[bool]:
    """:func:`kernel_compiled`, after taking the compiled code from the per-user store
    (:func:`art60kit.compile.seed_from_store`) when this checkout's cache lacks it: a
    checkout whose cache was cleared by a change of the kernel's sources reuses the code
    another checkout of the same sources compiled, instead of compiling again."""
    ready = kernel_compiled(entries)
    if ready is not False:
        return ready
    from ..compile import seed_from_store

    try:
        return bool(seed_from_store()) and kernel_compiled(entries)
    except OSError:  # an unreadable store only means compiling
        return False
