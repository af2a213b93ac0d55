"""Outlier treatment: COINr's details and points, the e1071 statistics, the log fallback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from digimeter.errors import InputError
from digimeter.index.stats import kurt, skew
from digimeter.index.treat import TreatSpec, log_ct, spec_from, treat, treat_column
from tests.index_helpers import EXAMPLE, coin_a, needs_oracle, oracle


@needs_oracle
def test_treatment_details_reproduce_coinr():
    expected = oracle(EXAMPLE / "asem_results_example_treat_details.csv", "iCode")
    details = coin_a().analysis["Treated"]["details"]
    assert set(details) == set(expected.index)
    for code, row in expected.iterrows():
        got = details[code]
        for column, value in row.items():
            if pd.isna(value):
                assert column not in got, (code, column)
            elif isinstance(value, (bool, np.bool_)):
                assert got[column] == value, (code, column)
            else:
                assert got[column] == pytest.approx(value, abs=1e-9), (code, column)


@needs_oracle
def test_treated_points_reproduce_coinr():
    expected = pd.read_csv(EXAMPLE / "asem_results_example_treat_points.csv",
                           keep_default_na=False)
    points = coin_a().analysis["Treated"]["points"]
    n = len(coin_a().dsets["Treated"].units)
    for code in expected.columns:
        assert points.get(code, [""] * n) == list(expected[code]), code


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=4, max_size=60))
def test_skew_and_kurtosis_are_e1071_type_2(values):
    x = np.array(values)
    if np.ptp(x) < 1e-3 * max(1.0, np.abs(x).max()):
        return
    assert skew(x) == pytest.approx(sps.skew(x, bias=False), rel=1e-6, abs=1e-6)
    assert kurt(x) == pytest.approx(sps.kurtosis(x, bias=False), rel=1e-6, abs=1e-6)


def test_winsorisation_that_cannot_pass_falls_back_to_log_ct():
    x = np.r_[np.zeros(20), np.arange(1, 11, dtype=float) ** 4]
    x[-1] = 1e9
    res = treat_column(x, TreatSpec(winmax=1))
    assert res.details["check_SkewKurt1.Pass"] is False
    assert "check_SkewKurt2.Pass" in res.details
    assert np.allclose(res.x, log_ct(x))
    assert all(p.endswith("+log_CT") for p in res.points)


def test_no_fallback_keeps_the_winsorised_values():
    x = np.r_[np.arange(30.0), 1e6]
    res = treat_column(x, TreatSpec(winmax=5, f2=None))
    assert res.x.max() == 29.0
    assert res.details["winsorise.nwin"] == 1
    assert res.points == [""] * 30 + ["winhi"]


def test_a_column_that_cannot_be_treated_is_left_as_it_is():
    x = np.r_[np.ones(30), 1e6]
    res = treat(("a",), x[:, None], TreatSpec())
    assert np.array_equal(res.values[:, 0], x) and "a" not in res.details


def test_per_indicator_override_and_none():
    col = np.r_[np.arange(30.0), 1e6]
    x = np.column_stack([col, col])
    res = treat(("a", "b"), x, TreatSpec(), {"b": None})
    assert res.values[:, 0].max() == 29.0 and res.values[:, 1].max() == 1e6


def test_missing_values_are_left_missing():
    x = np.r_[np.arange(20.0), np.nan, 50.0, 1e6]
    res = treat_column(x, TreatSpec())
    assert np.isnan(res.x[20]) and res.x[-1] < 1e6


def test_bad_settings_are_input_errors():
    with pytest.raises(InputError, match="unknown treat setting"):
        spec_from({"winmox": 3}, "pipeline, step 4 (treat)")
    with pytest.raises(InputError, match="unknown treatment"):
        spec_from({"fallback": "sqrt"}, "p")
    with pytest.raises(InputError, match="not a non-negative integer"):
        spec_from({"winmax": 2.5}, "p")


def test_columns_treated_together_each_winsorise_on_their_own_side():
    high = np.r_[np.arange(30.0), 1e6]
    low = np.r_[-1e6, np.arange(30.0)]
    tied = np.r_[np.arange(29.0), 1e6, 1e6]
    res = treat(("hi", "lo", "tied"), np.column_stack([high, low, tied]), TreatSpec(f2=None))
    assert res.values[:, 0].max() == 29.0 and res.points["hi"][-1] == "winhi"
    assert res.values[:, 1].min() == 0.0 and res.points["lo"][0] == "winlo"
    assert res.details["hi"]["winsorise.nwin"] == 1 and res.details["lo"]["winsorise.nwin"] == 1
    assert list(res.values[-2:, 2]) == [28.0, 28.0]
    assert res.details["tied"]["winsorise.nwin"] == 2
    assert res.points["tied"] == [""] * 29 + ["winhi", "winhi"]


def test_winmax_stops_winsorising_and_the_fallback_starts_from_the_raw_column():
    x = np.r_[np.arange(30.0), 1e4, 1e5, 1e6]
    res = treat_column(x, TreatSpec(winmax=2))
    assert res.details["winsorise.nwin"] == 2
    assert res.details["check_SkewKurt1.Pass"] is False
    assert np.allclose(res.x, np.log(x - 0 + 0.01 * 1e6))
    assert res.points[-2:] == ["winhi+log_CT", "winhi+log_CT"] and res.points[-3] == "+log_CT"
