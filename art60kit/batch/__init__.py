"""Population engine: plan and compare many cases at once.

- :func:`plan_population` — plan a population given as two tables (cases, lines);
- :func:`compare_variants` / :func:`load_reform` — the same population under two rule books;
- :func:`plan_dask` — the same on a Dask DataFrame (``dask.distributed``);
- :func:`population` — synthetic populations; :func:`cases_to_tables` /
  :func:`tables_to_cases` — converters from/to case-format objects;
- :func:`plan_per_case` — the per-case planner over the same tables (the oracle).

The compiled kernel needs ``numba`` (extra ``batch``).
"""
from importlib import import_module

# Loaded on first use: ``art60kit plan`` builds its parser with the batch command's
# arguments (``batch.cli``) and must not pay for pandas, pyarrow and numba.
_WHERE = {"RunStats": "engine", "compare_results": "engine", "plan_population": "engine",
          "KEY_COLUMNS": "percase", "RESULT_COLUMNS": "percase", "plan_per_case": "percase",
          "population": "synth", "cases_to_tables": "tables", "iter_case_dicts": "tables",
          "tables_to_cases": "tables", "compare_variants": "variants", "load_reform": "variants",
          "plan_dask": "distributed"}


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_WHERE)
