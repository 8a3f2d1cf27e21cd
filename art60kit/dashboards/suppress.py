"""Disclosure control: no count of fewer than 5 persons can be read or worked out.

A dashboard figure computed from very few people can single one of them out (one
request in a small CPAS in one month is one person). Hiding small cells is not enough
on its own: a total minus the shown bars, or two positions of a period slider, give
the hidden count back by subtraction. The method, applied to every count shown
(headline figures, bars, map, table, histogram bins, downloads) and to the register's
aggregates for analysts:

* **small cells** — a count of 0 to 4 persons is not shown ("< 5"), nor any measure
  computed from it (mean, median, share...): the value becomes missing and
  ``suppressed`` is True. Zero is in the band too: a "0" would be an exact figure, and
  one exact figure beside rounded ones can pin a hidden count (a total whose rounding
  went down by 4 minus bars whose rounding went up, beside a "< 5" known not to be 0);
  (without cell keys — the older rule, kept for callers that show no rounded count —
  0 is shown unless ``suppress_zero``);
* **fixed random rounding to base 5** — every other count is shown rounded to a
  multiple of 5, up or down at random with the probabilities that keep it unbiased
  (23 becomes 25 with probability 3/5, 20 with probability 2/5), as statistical
  offices do for flexible tables (random rounding of Statistics Canada and Stats NZ,
  made consistent with the cell key of the ABS/Eurostat cell-key method): the draw is
  fixed by the *persons* in the cell — each request has a secret pseudo-random key and
  the cell's key is the sum of its persons' keys — so the same persons always give the
  same shown figure, whichever view, filter or slider position shows them, and
  repeating a query never averages the rounding away.

Why it holds: a shown count ``r`` says only that the true count is between
``max(5, r - 4)`` and ``r + 4``, and "< 5" that it is between 0 and 4: no figure is
exact. The difference of two figures, or of a figure and any sum of others (a total
minus the bars, two slider positions, a map label and a table row), is then bounded
by an interval at least as wide as the two widths added, so it can be pinned to one
value only where its lower bound is 0 — never to a count of 1 to 4
(``tests/dashboards/test_disclosure.py`` tries every pair, shares and measures
included, on the test register; ``benchmarks/attack_disclosure.py`` on the bundled one).
Measures give no count away either: shares are ratios of shown (rounded) counts;
medians, quartiles and percentiles are values observed in the data, never
interpolated (an interpolated median of whole days ends in ,5 exactly when its count
is even, and a 90th percentile's decimals follow the count modulo 10 — beside a count
rounded to 5, that is the count itself); the register's aggregates round means to
whole days for the same reason (the decimals of a mean give its count's divisors).
The price: a shown count is off by at most 4, and a total need not equal the sum of
its rounded parts (each figure is rounded on its own); measures rest on at least 5
persons.

The functions are pure: they never modify their input and need no dashboard library.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Optional, Sequence

import numpy as np
import pandas as pd

#: Fewest persons a shown figure may rest on.
MIN_PERSONS = 5
#: Shown counts are multiples of this base (fixed random rounding).
ROUNDING_BASE = 5
#: Record and cell keys are integers modulo this (exact sums, same result in any order).
KEY_MODULUS = 2 ** 32


def record_keys(ids: Iterable, secret: bytes = b"") -> np.ndarray:
    """A fixed pseudo-random key in ``[0, KEY_MODULUS)`` per record id (keyed BLAKE2b:
    without ``secret`` nobody can compute the keys, hence the rounding directions).

    >>> k = record_keys(["R1", "R2", "R1"], b"s")
    >>> bool(k[0] == k[2]), bool(k[0] != k[1]), k.dtype.name
    (True, True, 'int64')
    """
    key = bytes(secret)[:64]
    return np.array([int.from_bytes(hashlib.blake2b(str(i).encode("utf-8"), key=key, digest_size=4).digest(), "big")
                     for i in ids], dtype="int64")


def protect_count(n, cell_key: int, threshold: int = MIN_PERSONS, base: int = ROUNDING_BASE) -> Optional[int]:
    """The figure shown for a count of ``n`` persons whose keys sum to ``cell_key``:
    None (hidden) below ``threshold``, zero included, else ``n`` rounded to a multiple
    of ``base``, upwards with probability (n mod base) / base over the cell key.

    >>> protect_count(0, 7), protect_count(3, 7), protect_count(20, 7)
    (None, None, 20)
    >>> sorted({protect_count(23, k * 2 ** 28) for k in range(16)})
    [20, 25]
    >>> sum(protect_count(23, k * 2 ** 28) == 25 for k in range(16)) / 16  # 3/5 of the keys go up
    0.625
    """
    n = int(n)
    if n < threshold:
        return None
    rest = n % base
    if rest == 0:
        return n
    up = (int(cell_key) % KEY_MODULUS) < rest * KEY_MODULUS // base
    return n - rest + (base if up else 0)


def protect_counts(counts: pd.Series, cell_keys: pd.Series, threshold: int = MIN_PERSONS) -> pd.Series:
    """:func:`protect_count` on aligned series; hidden counts are NaN (float result)."""
    return pd.Series(_protect_array(pd.to_numeric(counts, errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
                                    cell_keys.to_numpy(dtype="float64", na_value=np.nan), threshold),
                     index=counts.index, dtype="float64")


def _protect_array(counts: np.ndarray, cell_keys: np.ndarray, threshold: int = MIN_PERSONS,
                   base: int = ROUNDING_BASE) -> np.ndarray:
    """:func:`protect_count` of each (count, cell key) pair at once (NaN where hidden
    or where the count is missing), the same figures as one call per cell.

    >>> _protect_array(np.array([0, 3, 20, 23, 23, np.nan]), np.array([7, 7, 7, 0, 2 ** 32 - 1, 7]))
    array([nan, nan, 20., 25., 20., nan])
    """
    out = np.full(len(counts), np.nan)
    ok = np.isfinite(counts) & (np.nan_to_num(counts, nan=-1.0) >= threshold)
    if not ok.any():
        return out
    n = np.trunc(counts[ok]).astype("int64")
    keys = np.mod(np.trunc(np.nan_to_num(cell_keys[ok])).astype("int64"), KEY_MODULUS)
    rest = n % base
    up = (rest > 0) & (keys < rest * KEY_MODULUS // base)
    out[ok] = (n - rest + np.where(rest == 0, rest, np.where(up, base, 0))).astype("float64")
    return out


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
                         suppress_zero: bool = False, key_col: Optional[str] = None) -> pd.DataFrame:
    """A copy of ``df`` where rows resting on fewer than ``threshold`` persons
    (``count_col``) have ``count_col`` and every column of ``value_cols`` (default: all
    numeric columns) set to missing, and a boolean column ``suppressed``.

    ``key_col`` (the sum of the row's record keys, :func:`record_keys`) turns on the
    fixed random rounding of the shown counts (module doc); the column is dropped.
    ``group_by`` also hides the next smallest cell of a group where exactly one is
    hidden. The returned numeric columns are float (missing = NaN).

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
    if value_cols is None:
        value_cols = [c for c in df.columns
                      if c not in (count_col, key_col) and pd.api.types.is_numeric_dtype(df[c])
                      and not pd.api.types.is_bool_dtype(df[c])]
    counts = pd.to_numeric(df[count_col], errors="coerce").astype("float64")
    suppress_zero = suppress_zero or key_col is not None
    small = ((counts > 0) & (counts < threshold)) | ((counts == 0) & suppress_zero)
    small = small.fillna(False).astype(bool)
    if group_by:
        small = _complementary(df, counts, small, list(group_by))
    hide = small.to_numpy(dtype=bool)
    cols = [count_col, *[c for c in value_cols if c != count_col]]
    # the new columns made as arrays and the frame built once (a column assignment per
    # column cost more than the figures themselves on a small selection)
    new: dict = {}
    for c in cols:
        col = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype="float64", na_value=np.nan).copy()
        col[hide] = np.nan
        new[c] = col
    if key_col is not None:
        shown = _protect_array(counts.to_numpy(dtype="float64", na_value=np.nan),
                               pd.to_numeric(df[key_col], errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
                               threshold)
        shown[hide] = np.nan
        new[count_col] = shown
    data = {c: (new[c] if c in new else df[c].to_numpy(copy=True)) for c in df.columns if c != key_col}
    out = pd.DataFrame(data, index=df.index.copy(), columns=[c for c in df.columns if c != key_col])
    for c in df.columns:  # the columns left as they were keep their type
        if c not in new and c != key_col and out[c].dtype != df[c].dtype:
            out[c] = df[c].copy()
    out["suppressed"] = hide
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
