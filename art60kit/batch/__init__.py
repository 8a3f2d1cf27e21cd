"""Population engine (issue 4): plan and compare many cases at once.

- :func:`plan_population` — plan a population given as two tables (cases, lines);
- :func:`compare_variants` / :func:`load_reform` — the same population under two rule books;
- :func:`plan_dask` — the same on a Dask DataFrame (``dask.distributed``);
- :func:`population` — synthetic populations; :func:`cases_to_tables` /
  :func:`tables_to_cases` — converters from/to case-format objects;
- :func:`plan_per_case` — the per-case planner over the same tables (the oracle).

The compiled kernel needs ``numba`` (extra ``batch``).
"""
from .engine import RunStats, compare_results, plan_population
from .percase import KEY_COLUMNS, RESULT_COLUMNS, plan_per_case
from .synth import population
from .tables import cases_to_tables, iter_case_dicts, tables_to_cases
from .variants import compare_variants, load_reform


def plan_dask(*a, **kw):
    from .distributed import plan_dask as f

    return f(*a, **kw)


__all__ = ["RunStats", "compare_results", "plan_population", "KEY_COLUMNS", "RESULT_COLUMNS", "plan_per_case",
           "population", "cases_to_tables", "iter_case_dicts", "tables_to_cases", "compare_variants",
           "load_reform", "plan_dask"]
