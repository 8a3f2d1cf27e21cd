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
