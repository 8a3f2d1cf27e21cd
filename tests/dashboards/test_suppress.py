"""Small-cell suppression: no figure resting on fewer than 5 persons is shown."""
import numpy as np
import pandas as pd
import pytest

from art60kit.dashboards.suppress import MIN_PERSONS, is_small, suppress_small_cells, suppress_value


def test_threshold_is_five():
    assert MIN_PERSONS == 5
    assert [is_small(n) for n in range(0, 7)] == [False, True, True, True, True, False, False]


def test_primary_suppression_masks_count_and_measures():
    df = pd.DataFrame({"cpas": ["A", "B", "C", "D"], "n": [4, 5, 1, 0],
                       "median_days": [300.0, 312.0, 468.0, np.nan], "share": [0.5, 0.2, 1.0, np.nan]})
    out = suppress_small_cells(df, "n")
    assert out["suppressed"].tolist() == [True, False, True, False]
    assert out.loc[0, ["n", "median_days", "share"]].isna().all()
    assert out.loc[2, ["n", "median_days", "share"]].isna().all()
    assert out.loc[1, "n"] == 5 and out.loc[1, "median_days"] == 312.0
    assert out.loc[3, "n"] == 0  # nobody: nothing to disclose
    # pure: the input is not modified
    assert df["n"].tolist() == [4, 5, 1, 0]


def test_only_named_value_columns_are_masked():
    df = pd.DataFrame({"n": [2, 9], "a": [1.0, 2.0], "b": [3.0, 4.0]})
    out = suppress_small_cells(df, "n", value_cols=["a"])
    assert np.isnan(out.loc[0, "a"]) and out.loc[0, "b"] == 3.0


def test_zero_can_be_suppressed_on_request():
    df = pd.DataFrame({"n": [0, 7]})
    assert suppress_small_cells(df, "n", suppress_zero=True)["suppressed"].tolist() == [True, False]


def test_complementary_suppression_protects_a_single_small_cell():
    # Region W total 31 would reveal the 2 by subtraction: the next smallest (9) goes too.
    df = pd.DataFrame({"region": ["W", "W", "W", "F", "F"], "n": [20, 2, 9, 40, 3]})
    out = suppress_small_cells(df, "n", group_by=["region"])
    assert out["suppressed"].tolist() == [False, True, True, True, True]


def test_two_small_cells_in_a_group_need_no_extra_suppression():
    df = pd.DataFrame({"g": ["x"] * 3, "n": [20, 2, 3]})
    assert suppress_small_cells(df, "n", group_by=["g"])["suppressed"].tolist() == [False, True, True]


def test_suppress_value_and_missing_column():
    assert suppress_value(3, 10.0) is None and suppress_value(5, 10.0) == 10.0
    with pytest.raises(KeyError):
        suppress_small_cells(pd.DataFrame({"x": [1]}), "n")


def test_integer_nullable_counts():
    df = pd.DataFrame({"n": pd.array([3, None, 8], dtype="Int64")})
    out = suppress_small_cells(df, "n")
    assert out["suppressed"].tolist() == [True, False, False]


from hypothesis import given, settings
from hypothesis import strategies as st

from art60kit.dashboards.suppress import KEY_MODULUS, protect_count, protect_counts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 100_000)), st.integers(0, 20_000 * (KEY_MODULUS - 1))),
                max_size=30))
def test_counts_protected_at_once_as_one_by_one(cells):
    """The whole-column rounding gives each cell the figure of :func:`protect_count`."""
    counts = pd.Series([np.nan if n is None else float(n) for n, _ in cells], dtype="float64")
    keys = pd.Series([k for _, k in cells], dtype="int64")
    got = protect_counts(counts, keys).tolist()
    want = [np.nan if n is None or protect_count(n, k) is None else float(protect_count(n, k)) for n, k in cells]
    assert len(got) == len(want) and all((a != a and b != b) or a == b for a, b in zip(got, want)), (got, want)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10 * (KEY_MODULUS - 1)),
                          st.one_of(st.none(), st.floats(0, 900, allow_nan=False))), min_size=1, max_size=20))
def test_suppressed_frame_cell_by_cell(rows):
    """Each row of a keyed frame: hidden below 5 persons (zero included) with its
    measures, else its count rounded as :func:`protect_count` and its measures kept."""
    df = pd.DataFrame({"name": [f"a{i}" for i in range(len(rows))], "n": [n for n, _, _ in rows],
                       "k": [k for _, k, _ in rows], "median": [np.nan if m is None else m for _, _, m in rows]})
    out = suppress_small_cells(df, "n", key_col="k")
    assert list(out.columns) == ["name", "n", "median", "suppressed"] and out["name"].tolist() == df["name"].tolist()
    for (n, k, m), row in zip(rows, out.itertuples()):
        if n < MIN_PERSONS:
            assert row.suppressed and row.n != row.n and row.median != row.median
        else:
            assert not row.suppressed and row.n == protect_count(n, k)
            assert (m is None and row.median != row.median) or row.median == m
