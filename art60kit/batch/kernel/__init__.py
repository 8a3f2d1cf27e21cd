"""The compiled kernel (numba): the one implementation of the end-date search, on flat
arrays grouped into a few named structures.

The per-case planner runs it for one case on the calling thread (:func:`plan_range`,
through :mod:`art60kit.batch.one`), the population engine for chunks of cases over its
threads (:func:`plan_chunk`), both through :func:`art60kit.batch.run.run_kernel`, the
only place that builds the structures the kernel is given (:mod:`.structs`).

Modules, each stating its semantics:

- :mod:`.base`: the two ways a function is compiled (``leaf``, ``alloc``), units,
  statuses, small integer helpers;
- :mod:`.structs`: the named structures (cases, lines, rule book, options, a case's
  workspace);
- :mod:`.calendar`: days, months, quarters, crediting periods, weekly patterns, public
  holidays;
- :mod:`.ledger`: a case's occupations, capped pieces, extending periods and foreign
  work under each rule set, with exact rates and per-year common denominators;
- :mod:`.credit`: the window credit (full periods, yearly allowances, quarter cap),
  direct and table-driven;
- :mod:`.window`: the reference window of a request day and its extensions;
- :mod:`.conditions`: the verdict at one request day;
- :mod:`.skip`: the bounds that let the search skip request days;
- :mod:`.search`: the walk over request days, the naive end, the workspace, the entries.

numba's cache checks only a compiled function's own file, while a function's machine
code holds the functions it calls from the other modules: importing this package
therefore compares a digest of every kernel source with the one stamped beside the
cache and clears the cache when they differ (:func:`art60kit.compile.clear_stale_cache`).
"""
from __future__ import annotations

from ..bounds import SLIDE_SEARCH_DAYS
from .base import (BIG, C_841, C_PAST, C_PLAIN, EPOCH_ORD, ERROR_NO_RULES, FALLBACK, HORIZON_DAYS, OK, T_ASSIM,
                   T_CAPPED, T_COUNTED, T_EXCLUDED, T_EXTENDS, T_NEUTRAL, UNIT, alloc, beyond, leaf)
from .calendar import quarter_no
from .conditions import (CR_CI, CR_COUNTED, CR_NFIELDS, CR_PCOUNTED, CR_PREQ, CR_PUNITS, CR_REACH, CR_REQ, CR_SAT,
                         CR_UNITS, CR_WBASE, CR_WDAYS, CR_WSTART, R_CAT, R_COND, R_NCOND, R_NFIELDS, evaluate)
from .credit import window_credit_slow
from .ledger import build_ledgers, widen_year_dens
from .search import (O_ALREADY, O_CAT, O_CHECKED, O_COND, O_COUNTED, O_CUNITS, O_DAYS, O_END, O_EVALS, O_K,
                     O_MISMATCH, O_MISS, O_NAIVE, O_NFIELDS, O_PAST, O_REACH, O_REQ, O_SAT, O_STATUS, O_UNITS,
                     O_WBASE, O_WEND, O_WSTART, plan_block, plan_chunk, plan_range)
from .skip import min_pattern_days_table, past_gain, past_gain_table, slide_days_needed
from .structs import (Abroad, Book, Cases, Conds, CreditRules, Ext, Grouping, Kinds, Ledger, Lines, Opts, SearchRules,
                      Tables, Verdict)
from .window import ref_window


def _clear_stale_cache() -> None:
    from ...compile import clear_stale_cache

    try:
        clear_stale_cache(plan_chunk._cache._cache_path)
    except (AttributeError, OSError):  # numba internals moved, or a cache it cannot write either
        pass


_clear_stale_cache()

__all__ = [
    "BIG", "C_841", "C_PAST", "C_PLAIN", "EPOCH_ORD", "T_ASSIM", "T_CAPPED", "T_COUNTED", "T_EXCLUDED", "T_EXTENDS",
    "T_NEUTRAL", "ERROR_NO_RULES", "FALLBACK", "HORIZON_DAYS", "OK", "SLIDE_SEARCH_DAYS", "UNIT", "alloc", "leaf",
    "evaluate", "beyond",
    "O_ALREADY", "O_CAT", "O_CHECKED", "O_COND", "O_COUNTED", "O_CUNITS", "O_DAYS", "O_END", "O_EVALS", "O_K",
    "O_MISMATCH", "O_MISS", "O_NAIVE", "O_NFIELDS", "O_PAST", "O_REACH", "O_REQ", "O_SAT", "O_STATUS", "O_UNITS",
    "O_WBASE", "O_WEND", "O_WSTART", "plan_block", "plan_chunk", "plan_range", "min_pattern_days_table",
    "past_gain", "past_gain_table", "slide_days_needed", "Book", "Cases", "Conds", "CreditRules", "Kinds", "Lines", "Opts",
    "SearchRules", "Abroad", "Ext", "Grouping", "Ledger", "Tables", "Verdict", "quarter_no", "CR_CI", "CR_COUNTED",
    "CR_NFIELDS", "CR_PCOUNTED", "CR_PREQ", "CR_PUNITS", "CR_REACH", "CR_REQ", "CR_SAT", "CR_UNITS", "CR_WBASE",
    "CR_WDAYS", "CR_WSTART", "R_CAT",
    "R_COND", "R_NCOND", "R_NFIELDS", "window_credit_slow", "build_ledgers", "widen_year_dens", "ref_window",
]
