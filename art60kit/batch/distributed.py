"""The same engine on a Dask DataFrame partitioned by case (``dask.distributed``).

``plan_dask(cases, lines)`` takes two Dask (or pandas) DataFrames, aligns the lines
with the cases' partitions by ``case_id`` and plans each partition with
:func:`art60kit.batch.engine.plan_chunk_frame` on the workers; results are identical to
:func:`~art60kit.batch.engine.plan_population` (every case is planned the same way
whatever the partition it lands in).

Pointing it at a real cluster: start a scheduler and workers (``dask scheduler`` and
``dask worker tcp://HOST:8786 --nthreads 1`` on each machine, with art60kit and numba
installed in the same versions), then ``Client("tcp://HOST:8786")`` before calling
``plan_dask``; the Parquet inputs must be readable by every worker (shared or object
storage). The kernel is compiled once per worker process (numba caches it on disk).
"""
from __future__ import annotations

from typing import Optional

import pandas as pd

from ..model import Options
from ..rules import RuleBook, default_rulebook
from .engine import plan_chunk_frame
from .percase import RESULT_COLUMNS


def _plan_partition(cases: pd.DataFrame, lines: pd.DataFrame, book, options) -> pd.DataFrame:
    cases = cases.reset_index()
    lines = lines.reset_index()
    return plan_chunk_frame(cases, lines, book, options)


def _read_part_pair(files, book, options) -> pd.DataFrame:
    c, l = files
    return plan_chunk_frame(pd.read_parquet(c), pd.read_parquet(l), book, options)


def plan_dask(cases, lines=None, book: Optional[RuleBook] = None, options: Optional[Options] = None,
              npartitions: Optional[int] = None):
    """A lazy Dask DataFrame of results (call ``.compute()``), one partition per case
    partition. ``cases``/``lines``: Dask or pandas DataFrames with a ``case_id`` column;
    or ``cases`` a folder of aligned Parquet parts (:mod:`art60kit.batch.parts`,
    ``lines`` None): each worker then reads and plans its own part (the way to run on
    a real cluster: no data through the scheduler, no shuffle)."""
    import dask.dataframe as dd

    from .parts import is_parts_folder, part_files

    book = book or default_rulebook()
    options = options or Options()
    if is_parts_folder(cases):
        cs, ls = part_files(cases)
        meta = plan_chunk_frame(pd.read_parquet(cs[0]).iloc[:0], pd.read_parquet(ls[0]).iloc[:0], book, options)
        return dd.from_map(_read_part_pair, list(zip(map(str, cs), map(str, ls))), book=book, options=options,
                           meta=meta, enforce_metadata=False)
    if not isinstance(cases, dd.DataFrame):
        cases = dd.from_pandas(cases, npartitions=npartitions or 2)
    if not isinstance(lines, dd.DataFrame):
        lines = dd.from_pandas(lines, npartitions=npartitions or 2)
    cases = cases.assign(case_id=cases["case_id"].astype(str)).set_index("case_id", sort=True)
    lines = lines.assign(case_id=lines["case_id"].astype(str)).set_index("case_id", sort=True)
    lines = lines.repartition(divisions=cases.divisions)
    sample = plan_chunk_frame(cases._meta.reset_index(), lines._meta.reset_index(), book, options)
    return dd.map_partitions(_plan_partition, cases, lines, book, options, meta=sample, align_dataframes=False)
