"""Small-cell suppression: no figure is shown for fewer than 5 persons.

A dashboard figure computed from very few people can single one of them out (one
request in a small CPAS in one month is one person). The rule applied everywhere:

* **primary suppression** — a cell whose count of persons is below ``threshold``
  (default 5) shows neither its count nor any measure computed from it (mean, median,
  share...): the value becomes missing and ``suppressed`` is True;
* **complementary suppression** (optional, ``group_by``) — when a group's total is
  shown elsewhere and exactly one of its cells is suppressed, that cell could be
  recovered by subtraction; the next smallest cell of the group is suppressed too.

The functions are pure: they never modify their input and need no dashboard library.
A count of zero is not suppressed (nothing to disclose about nobody), unless
``suppress_zero`` is True.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

import numpy as np
import pandas as pd

#: Fewest persons a shown figure may rest on.
MIN_PERSONS = 5


def is_small(count, threshold: int = MIN_PERSONS, suppress_zero: bool = False) -> bool:
    """Whether a count of persons is too small to show.

    >>> is_small(4), is_small(5), is_small(0), is_small(0, suppress_zero=True)
    (True, False, False, True)
    >>> is_small(None)
    False
    """
    if count is None or (isinstance(count, float) and np.isnan(count)) or count is pd.NA:
        return False
    return (0 < count < threshold) or (suppress_zero and count == 0)


def suppress_small_cells(df: pd.DataFrame, count_col: str, value_cols: Optional[Sequence[str]] = None,
                         threshold: int = MIN_PERSONS, group_by: Optional[Sequence[str]] = None,
                         suppress_zero: bool = False) -> pd.DataFrame:
    """A copy of ``df`` where rows resting on fewer than ``threshold`` persons
    (``count_col``) have ``count_col`` and every column of ``value_cols`` (default: all
    numeric columns) set to missing, and a boolean column ``suppressed``.

    ``group_by`` turns on complementary suppression inside each group (see the module
    doc). The returned numeric columns are float (missing = NaN).

    >>> df = pd.DataFrame({"cpas": ["A", "B", "C"], "n": [12, 3, 7], "median": [30.0, 41.0, 28.0]})
    >>> out = suppress_small_cells(df, "n")
    >>> out[["cpas", "n", "median", "suppressed"]].values.tolist()
    [['A', 12.0, 30.0, False], ['B', nan, nan, True], ['C', 7.0, 28.0, False]]
    >>> df["n"].tolist()  # the input is untouched
    [12, 3, 7]
    >>> g = pd.DataFrame({"region": ["W", "W", "W", "F"], "n": [20, 2, 9, 40]})
    >>> suppress_small_cells(g, "n", group_by=["region"])["suppressed"].tolist()
    [False, True, True, False]
    """
    if count_col not in df.columns:
        raise KeyError(f"count column {count_col!r} not in the frame")
    out = df.copy()
    if value_cols is None:
        value_cols = [c for c in out.columns
                      if c != count_col and pd.api.types.is_numeric_dtype(out[c])
                      and not pd.api.types.is_bool_dtype(out[c])]
    counts = pd.to_numeric(out[count_col], errors="coerce").astype("float64")
    small = ((counts > 0) & (counts < threshold)) | ((counts == 0) & suppress_zero)
    small = small.fillna(False).astype(bool)
    if group_by:
        small = _complementary(out, counts, small, list(group_by))
    cols = [count_col, *[c for c in value_cols if c != count_col]]
    for c in cols:
        col = pd.to_numeric(out[c], errors="coerce").astype("float64")
        out[c] = col.mask(small)
    out["suppressed"] = small.to_numpy()
    return out


def _complementary(df: pd.DataFrame, counts: pd.Series, small: pd.Series, keys: list[str]) -> pd.Series:
    small = small.copy()
    for _, part in df.groupby(keys, sort=False, dropna=False):
        idx = list(part.index)
        flagged = [i for i in idx if small.loc[i]]
        if len(flagged) != 1:
            continue
        rest = [i for i in idx if not small.loc[i] and counts.loc[i] > 0]
        if rest:
            smallest = min(rest, key=lambda i: counts.loc[i])
            small.loc[smallest] = True
    return small


def suppress_value(count, value, threshold: int = MIN_PERSONS):
    """A single figure: ``value`` if it rests on at least ``threshold`` persons, else None.

    >>> suppress_value(12, 31.5), suppress_value(2, 31.5)
    (31.5, None)
    """
    return None if is_small(count, threshold) else value


def any_suppressed(frames: Iterable[pd.DataFrame]) -> bool:
    """Whether any of the frames has a suppressed row (for the "< 5" notice)."""
    return any(bool(f["suppressed"].any()) for f in frames if "suppressed" in f.columns and len(f))
