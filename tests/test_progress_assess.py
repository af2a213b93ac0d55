"""Hand-computed assessment cases: every status and every form of target.

Each expected ratio was worked out by hand from the formula in the comment, not by running the
code: R = sign(base) * direction * CAGR_actual / |CAGR_required|, CAGR = (end/start)^(1/years)-1.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from digimeter.progress import assess, get_method

OPEN_SDG = get_method("open-sdg")


def target(**kw) -> dict:
    row = {"id": "t", "region_code": "440100", "indicator": "x", "value": np.nan,
           "comparator": ">=", "year": 2025, "baseline_year": np.nan,
           "baseline_value": np.nan, "direction": 1, "form": "level", "unit": "count"}
    row.update(kw)
    return row


def run(t: dict, points: dict[int, float], method=OPEN_SDG) -> dict:
    obs = pd.DataFrame([("440100", "x", y, v) for y, v in points.items()],
                       columns=["region_code", "indicator", "year", "value"])
    return assess(pd.DataFrame([t]), obs, method).iloc[0].to_dict()


# (name, target, observations by year, expected status, expected ratio or None)
CASES = [
    # base 100 (2020) -> 121 (2022): 10 %/yr; 161.051 by 2025 needs 10 %/yr: R = 1
    ("on track exactly", target(value=161.051), {2020: 100, 2022: 121}, "on_track", 1.0),
    # 8 %/yr of 10 % needed: R = 0.8
    ("moderate", target(value=161.051), {2020: 100, 2022: 116.64}, "moderate", 0.8),
    # 5 %/yr of 10 %: R = 0.5
    ("limited", target(value=161.051), {2020: 100, 2022: 110.25}, "limited", 0.5),
    # -10 %/yr: R = -1
    ("deterioration", target(value=161.051), {2020: 100, 2022: 81}, "deterioration", -1.0),
    ("achieved early", target(value=161.051), {2020: 100, 2022: 170}, "achieved", None),
    ("missed", target(value=161.051), {2020: 100, 2025: 150}, "missed", None),
    ("only a baseline", target(value=161.051), {2020: 100}, "insufficient_data", None),
    ("no observations", target(value=161.051), {}, "insufficient_data", None),
    # lower is better: 100 -> 81 is -10 %/yr, 59.049 by 2025 needs -10 %/yr: R = 1
    ("<= on track", target(value=59.049, comparator="<=", direction=-1),
     {2020: 100, 2022: 81}, "on_track", 1.0),
    ("<= achieved", target(value=59.049, comparator="<=", direction=-1),
     {2020: 100, 2022: 50}, "achieved", None),
    # lower is better but +10 %/yr: R = -1 * 0.1 / 0.1 = -1
    ("<= wrong way", target(value=59.049, comparator="<=", direction=-1),
     {2020: 100, 2022: 121}, "deterioration", -1.0),
    # +3 percentage points on 40 -> 43; 43.5 reached
    ("pp change achieved", target(value=3, form="change", unit="percentage_point"),
     {2020: 40, 2022: 43.5}, "achieved", None),
    # 40 -> 41 in 2 years: 1.025^0.5-1 = 0.0124228; 43 by 2025: 1.075^0.2-1 = 0.0145692
    ("pp change moderate", target(value=3, form="change", unit="percentage_point"),
     {2020: 40, 2022: 41}, "moderate", 0.0124228 / 0.0145692),
    # doubling 100 -> 200 by 2025: 2^0.2-1 = 0.148698; 125 in 2022: 1.25^0.5-1 = 0.118034
    ("doubling", target(value=2, form="multiple", unit="multiple"),
     {2020: 100, 2022: 125}, "moderate", 0.118034 / 0.148698),
    # growth of 12 % in 2025; 12.5 % observed in 2022: R = 12.5 / 12
    ("rate ahead of its year", target(value=12, form="rate", unit="percent"),
     {2021: 11, 2022: 12.5}, "on_track", 12.5 / 12),
    ("rate missed in its year", target(value=12, form="rate", unit="percent"),
     {2024: 13, 2025: 11}, "missed", None),
    ("rate met in its year", target(value=12, form="rate", unit="percent"),
     {2024: 9, 2025: 12.3}, "achieved", None),
    ("flow met in its year", target(value=15, year=2022, form="flow"), {2022: 20},
     "achieved", None),
    # growth of 12 % in 2022 with figures for 2021 and 2024 only: 2024's 8 % says nothing
    # about 2022
    ("rate with no figure for its past year", target(value=12, year=2022, form="rate",
                                                     unit="percent"),
     {2021: 20, 2024: 8}, "insufficient_data", None),
    # 9 new this year of 15 a year: R = 0.6
    ("flow behind", target(value=15, year=2023, form="flow"), {2022: 9}, "moderate", 0.6),
    # zero baseline -> 0.001: (4/0.001)^(1/2)-1 = 62.245553; (10/0.001)^(1/5)-1 = 5.309573
    ("zero baseline", target(value=10), {2020: 0, 2022: 4}, "on_track",
     62.245553 / 5.309573),
    ("baseline and latest of opposite signs", target(value=10), {2020: -5, 2022: 3},
     "insufficient_data", None),
    # -10 -> -8.1 (higher is better): sign -1, (0.81)^0.5-1 = -0.1; (0.5)^0.2-1 = -0.129449
    ("negative baseline", target(value=-5), {2020: -10, 2022: -8.1}, "moderate",
     0.1 / 0.129449),
    # no target year: the observed CAGR (5 %/yr) against 1.5 % / 0.5 % / 0
    ("no year, rising", target(value=200, year=np.nan), {2020: 100, 2022: 110.25},
     "on_track", None),
    # 100 -> 100.4 over 2 years: 0.2 %/yr, between 0 and 0.5 %
    ("no year, flat", target(value=200, year=np.nan), {2020: 100, 2022: 100.4}, "limited",
     None),
    ("no year, falling", target(value=200, year=np.nan), {2020: 100, 2022: 90},
     "deterioration", None),
    ("no year, met", target(value=105, year=np.nan), {2020: 100, 2022: 110}, "achieved",
     None),
    # about 50: 49.2 is within 2 %
    ("about, within tolerance", target(value=50, comparator="~"), {2020: 40, 2022: 49.2},
     "achieved", None),
    # 80 -> 100: 1.25^0.5-1 = 0.118034; 100 by 2025: 1.25^0.2-1 = 0.045640; 100 is not > 100
    ("strictly more than", target(value=100, comparator=">"), {2020: 80, 2022: 100},
     "on_track", 0.118034 / 0.045640),
    # lower is better, target = baseline (required growth 0), moved up: no progress possible
    ("required growth zero", target(value=100, comparator="<=", direction=-1),
     {2020: 100, 2022: 102}, "deterioration", -math.inf),
    ("stated baseline wins", target(value=161.051, baseline_year=2020, baseline_value=100),
     {2019: 50, 2022: 121}, "on_track", 1.0),
]


@pytest.mark.parametrize(("name", "t", "points", "status", "ratio"), CASES,
                         ids=[c[0] for c in CASES])
def test_hand_computed_case(name, t, points, status, ratio):
    result = run(t, points)
    assert result["status"] == status, result
    assert result["method"] == "open-sdg"
    if ratio is not None:
        assert result["ratio"] == pytest.approx(ratio, rel=1e-4)


def test_every_status_is_covered():
    assert {c[3] for c in CASES} == {"achieved", "on_track", "moderate", "limited",
                                     "deterioration", "insufficient_data", "missed"}


def test_every_form_is_covered():
    assert {c[1]["form"] for c in CASES} == {"level", "change", "multiple", "rate", "flow"}


def test_presets_differ_only_in_their_bands():
    t, points = target(value=161.051), {2020: 100, 2022: 110.25}  # R = 0.5
    assert run(t, points, get_method("open-sdg"))["status"] == "limited"
    assert run(t, points, get_method("unsd-progress-chart"))["status"] == "moderate"
    assert run(t, points, get_method("eurostat"))["status"] == "limited"
    stalled = {2020: 100, 2022: 100.5}  # R = 0.0025/0.1 = 0.025
    assert run(t, stalled, get_method("open-sdg"))["status"] == "limited"
    assert run(t, stalled, get_method("eurostat"))["status"] == "deterioration"


def test_baseline_is_the_observation_before_the_plan_year():
    t = target(value=120, plan_year=2020)
    result = run(t, {2018: 50, 2019: 60, 2020: 70, 2022: 90})
    assert (result["baseline_year"], result["baseline_value"]) == (2019, 60)
    # (90/60)^(1/3)-1 = 0.144714; (120/60)^(1/6)-1 = 0.122462
    assert result["ratio"] == pytest.approx(0.144714 / 0.122462, rel=1e-4)
    without_plan = run(target(value=120), {2018: 50, 2019: 60, 2022: 90})
    assert without_plan["baseline_year"] == 2018


def test_log_linear_projection_of_constant_growth():
    result = run(target(value=200), {2020: 100, 2021: 110, 2022: 121})
    assert result["projected_value"] == pytest.approx(161.051, rel=1e-9)
    assert result["projected_low"] == pytest.approx(161.051, rel=1e-6)
    assert result["gap"] == pytest.approx(161.051 - 200, rel=1e-9)


def test_linear_projection_for_shares_with_an_interval():
    result = run(target(value=50, unit="percent"), {2020: 40, 2021: 41.2, 2022: 41.8})
    # slope 0.9/yr through the mean (2021, 41.0): 41 + 0.9 * 4 = 44.6 in 2025
    assert result["projected_value"] == pytest.approx(44.6, rel=1e-9)
    assert result["projected_low"] < 44.6 < result["projected_high"]


def test_two_points_project_without_an_interval():
    result = run(target(value=200), {2020: 100, 2022: 121})
    assert result["projected_value"] == pytest.approx(161.051, rel=1e-9)
    assert math.isnan(result["projected_low"])


# open-sdg's own test assets (sdg-build tests/assets/progress-calculation), assessed by hand
# with its ProgressMeasure formulas; the upstream test file itself asserts nothing.
SDG_333 = {2010: 1.51, 2011: 1.51, 2012: 1.38, 2013: 1.4, 2014: 1.27, 2015: 1.55,
           2016: 1.69, 2017: 1.65, 2018: 1.62, 2019: 1.82}


def test_open_sdg_asset_3_3_3_target_zero_direction_negative():
    # base 2015 = 1.55, current 2019 = 1.82, target 0 -> 0.001 by 2030 (defaults):
    # CAGR_o = (1.82/1.55)^(1/4)-1 = 0.040964; CAGR_r = (0.001/1.55)^(1/15)-1 = -0.387211;
    # progress = 1 * -1 * 0.040964 / 0.387211 = -0.105792 -> deterioration
    t = target(value=0, comparator="<=", direction=-1, year=2030, baseline_year=2015,
               baseline_value=1.55)
    result = run(t, SDG_333)
    assert result["status"] == "deterioration"
    assert result["ratio"] == pytest.approx(-0.105792, rel=1e-4)


def test_open_sdg_asset_1_1_1_no_target_direction_negative():
    # headline 2020 = 100, 2021 = 120; no target: CAGR 0.2, times direction -1 = -0.2,
    # below the method-1 band at 0 -> deterioration
    t = target(value=50, comparator="<=", direction=-1, year=np.nan)
    assert run(t, {2020: 100, 2021: 120})["status"] == "deterioration"
