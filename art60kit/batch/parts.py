"""Populations stored as aligned Parquet parts: ``FOLDER/cases/part-NNNNN.parquet`` and
``FOLDER/lines/part-NNNNN.parquet``, where lines part *i* holds exactly the lines of the
cases of cases part *i*.

The layout lets :func:`art60kit.batch.plan_population` stream a population of any size
one part at a time (memory bounded by a part, not by the population) and lets
:func:`art60kit.batch.plan_dask` workers read their own part from shared storage (no
data shipped through the scheduler, no shuffle).

>>> import tempfile
>>> from art60kit.batch import population
>>> cases, lines = population(5, seed=1)
>>> with tempfile.TemporaryDirectory() as d:
...     write_parts(cases, lines, d, cases_per_part=2)
...     [(len(c), sorted(set(l["case_id"])) == sorted(c["case_id"])) for c, l in iter_parts(d)]
3
[(2, True), (2, True), (1, True)]
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Union

import numpy as np
import pandas as pd

PathLike = Union[str, Path]


def part_files(folder: PathLike) -> tuple[list[Path], list[Path]]:
    """The (cases, lines) part files of ``folder``, in order. Raises ValueError with the
    folder's name when the layout is not two aligned series of parts."""
    f = Path(folder)
    cs = sorted((f / "cases").glob("part-*.parquet"))
    ls = sorted((f / "lines").glob("part-*.parquet"))
    if not cs or [p.name for p in cs] != [p.name for p in ls]:
        raise ValueError(f"{f}: expected cases/part-*.parquet and lines/part-*.parquet with the same part names "
                         f"(found {len(cs)} case parts and {len(ls)} line parts)")
    return cs, ls


def is_parts_folder(x) -> bool:
    return isinstance(x, (str, Path)) and Path(x).is_dir() and (Path(x) / "cases").is_dir()


def write_parts(cases: pd.DataFrame, lines: pd.DataFrame, folder: PathLike, cases_per_part: int = 100_000) -> int:
    """Write a population as aligned parts (existing parts are replaced); returns the
    number of parts. Lines of a case absent from ``cases`` are not written."""
    from .encode import owner_positions

    f = Path(folder)
    for sub in ("cases", "lines"):
        (f / sub).mkdir(parents=True, exist_ok=True)
        for old in (f / sub).glob("part-*.parquet"):
            old.unlink()
    owner = owner_positions(cases["case_id"], lines["case_id"])
    order = np.argsort(owner, kind="stable")
    so = owner[order]
    n = 0
    for lo in range(0, len(cases), max(1, int(cases_per_part))):
        hi = min(lo + cases_per_part, len(cases))
        a, b = np.searchsorted(so, lo, "left"), np.searchsorted(so, hi, "left")
        cases.iloc[lo:hi].to_parquet(f / "cases" / f"part-{n:05d}.parquet", index=False)
        lines.iloc[order[a:b]].to_parquet(f / "lines" / f"part-{n:05d}.parquet", index=False)
        n += 1
    return n


def iter_parts(folder: PathLike) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """(cases, lines) DataFrames of each part, one part in memory at a time."""
    for c, l in zip(*part_files(folder)):
        yield pd.read_parquet(c), pd.read_parquet(l)
