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
    hc, hbase = holiday_table()
    _typing_without_cffi()
    b = eb.arrays
    pm = b["PM"][options.crediting]
    a = read_contract_arrays(a, b["CW"][options.crediting])
    args = (options.rounding == "onem", options.month_end == "next_day", options.extension_shift == "ymd", pm,
            a["c_birth"], a["c_prior"], a["c_s0"], a["c_r_n"], a["c_r_d"], a["c_q_n"], a["c_q_d"], a["c_s_n"],
            a["c_s_d"], a["c_ft"], a["c_mask"], a["c_lo"], a["c_hi"], a["c_elo"], a["c_ehi"], a["c_skip"],
            a["l_kind"], a["l_a"], a["l_b"], a["l_emp"], a["l_msr"], a["l_r"], a["l_rf_n"], a["l_rf_d"],
            a["l_q"], a["l_q_n"], a["l_q_d"], a["l_s"], a["l_s_n"], a["l_s_d"], a["l_h_n"], a["l_h_d"],
            a["l_d_n"], a["l_d_d"], a["l_child"], a["l_xno"], a["l_xa"], a["e_kind"], a["e_a"], a["e_b"],
            b["rk_treat"], b["rk_group"], b["rk_minm"], b["rk_maxy"], b["rk_child"], b["rk_def_r"],
            b["rk_def_r_n"], b["rk_def_r_d"], b["rk_def_s"], b["rk_def_s_n"], b["rk_def_s_d"], b["rk_abneed"],
            b["rs_from"], b["rs_until"], b["rs_newdays"], b["ra_n"], b["ra_from"], b["rc_n"], b["rc_days"],
            b["rc_months"], b["rc_type"], b["rc_pdays"], b["rc_pyears"], b["rc_target"], b["rc_ratio"],
            b["rc_all"], b["rc_catmask"], b["rc_late"], b["cap_units"], b["FU"][options.crediting], b["QCAP"],
            b["stops_rules"], b["ages"], hc, hbase, K.past_gain_table(eb.limits),
            K.min_pattern_days_table("quarter" if pm == 3 else "month"), CONTRACT_LEAD_DAYS, check)
    if threads:
        K.plan_chunk(n, *args, block, out)
    else:
        K.plan_range(0, n, *args, out)


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


def kernel_compiled() -> Optional[bool]:
    """Whether the compiled search is ready: loaded in this process, or in numba's disk
    cache for this version of ``kernel.py``. False means the first call compiles it
    (about 3 to 4 minutes on 2 cores, once; then cached next to the module, or in
    ``NUMBA_CACHE_DIR``). None when numba's cache cannot be inspected."""
    try:
        if K.plan_chunk.signatures and K.plan_range.signatures:
            return True
        return bool(K.plan_chunk._cache._cache_file._load_index()) and \
            bool(K.plan_range._cache._cache_file._load_index())
    except Exception:  # numba internals: unknown rather than wrong
        return None
