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
    number of parts. Lines of a case absent from ``cases`` are not written (see
    :func:`orphan_lines` to list them first). The folders are created readable by
    their owner only (0700) and every part file with mode 0600 (personal data)."""
    from .encode import owner_positions
    from .ownerfiles import private_dir, write_table

    f = private_dir(folder)
    for sub in ("cases", "lines"):
        private_dir(f / sub)
        for old in (f / sub).glob("part-*.parquet"):
            old.unlink()
    owner = owner_positions(cases["case_id"], lines["case_id"])
    order = np.argsort(owner, kind="stable")
    so = owner[order]
    n = 0
    for lo in range(0, len(cases), max(1, int(cases_per_part))):
        hi = min(lo + cases_per_part, len(cases))
        a, b = np.searchsorted(so, lo, "left"), np.searchsorted(so, hi, "left")
        write_table(cases.iloc[lo:hi], f / "cases" / f"part-{n:05d}.parquet")
        write_table(lines.iloc[order[a:b]], f / "lines" / f"part-{n:05d}.parquet")
        n += 1
    return n


def iter_parts(folder: PathLike) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """(cases, lines) DataFrames of each part, one part in memory at a time."""
    for c, l in zip(*part_files(folder)):
        yield pd.read_parquet(c), pd.read_parquet(l)


def rows_text(positions, first: int, word: str = "row", shown: int = 5) -> str:
    """"row 3" / "rows 3, 5, 9" / "rows 3, 5, 9, 10, 11 and 4 more" (``first`` is the
    number given to position 0).

    >>> rows_text([2], 1), rows_text([0, 1, 2, 3, 4, 5, 6], 2, "line")
    ('row 3', 'lines 2, 3, 4, 5, 6 and 2 more')
    """
    nums = [str(int(i) + first) for i in positions[:shown]]
    more = f" and {len(positions) - shown} more" if len(positions) > shown else ""
    return (word if len(positions) == 1 else word + "s") + " " + ", ".join(nums) + more


def orphan_groups(case_ids: pd.Series, line_case_ids: pd.Series) -> list[tuple[str, np.ndarray]]:
    """The lines whose case id is not among ``case_ids``, grouped by case id in the
    order they first appear: [(case id, positions of its lines)].

    >>> [(c, p.tolist()) for c, p in orphan_groups(pd.Series(["A"]), pd.Series(["A", "B", "C", "B"]))]
    [('B', [1, 3]), ('C', [2])]
    """
    ids = line_case_ids.astype(str).reset_index(drop=True)
    bad = ~ids.isin(set(case_ids.astype(str)))
    if not bad.any():
        return []
    where = ids[bad]
    groups = where.groupby(where, sort=False).indices
    firsts = sorted(groups, key=lambda k: groups[k][0])
    return [(k, where.index.to_numpy()[groups[k]]) for k in firsts]


def orphan_lines(folder: PathLike, shown: int = 20) -> list:
    """One problem (:class:`art60kit.errors.Problem`) per case id of a lines part that
    is not among the cases of the same part, naming the lines part file, its rows
    (the first row is row 1) and the case id; after ``shown`` such lines, one line
    counting the rest. The planner reads a part's lines with that part's cases only,
    so such lines would otherwise be dropped without a word and their case planned
    without them (or not at all). Reads only the ``case_id`` column of each part."""
    from ..caseio import show
    from ..errors import Problem

    out: list = []
    more = 0
    for c, l in zip(*part_files(folder)):
        try:
            cid = pd.read_parquet(c, columns=["case_id"])["case_id"]
        except Exception:  # noqa: BLE001 - any unreadable part is one problem
            out.append(Problem(str(c), "(columns)", "no case_id column, or not a Parquet file"))
            continue
        try:
            lid = pd.read_parquet(l, columns=["case_id"])["case_id"]
        except Exception:  # noqa: BLE001
            out.append(Problem(str(l), "(columns)", "no case_id column, or not a Parquet file"))
            continue
        for case_id, pos in orphan_groups(cid, lid):
            if len(out) >= shown:
                more += len(pos)
                continue
            out.append(Problem(str(l), rows_text(pos, 1),
                               f"case_id {show(case_id)} is not in the cases of this part ({c.parent.name}/{c.name})"))
    if more:
        out.append(Problem(str(folder), "(folder)", f"{more} more lines whose case_id is not in the cases of their part"))
    return out
