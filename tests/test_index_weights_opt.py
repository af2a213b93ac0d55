"""Benefit-of-the-doubt aggregation and weights optimised for the balance of correlations
(COINr's ``get_opt_weights``), on small data sets whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from digimeter.errors import InputError
from digimeter.index.aggregate import AggregationError
from digimeter.index.bod import bod
from digimeter.index.data import IndexData, Table, Units
from digimeter.index.framework import Element, Framework
from digimeter.index.pipeline import build, parse_pipeline

# Units A, B, C, D on two indicators. A and C are on the frontier. B's best weights are
# w1 = w2 = 1/1.2 (both A's and C's constraints bind): 0.5 * 2 / 1.2 = 5/6. D = 0.8 / 1.2.
FRONTIER = np.array([[1.0, 0.2], [0.5, 0.5], [0.2, 1.0], [0.4, 0.4]])


def _data(x: np.ndarray, pillars: bool = False) -> IndexData:
    if pillars:
        elements = [Element("a1", "a1", 1, "A", 1.0, 1, "Indicator"),
                    Element("b1", "b1", 1, "B", 1.0, 1, "Indicator"),
                    Element("A", "A", 2, "Index", 1.0, 1, "Aggregate"),
                    Element("B", "B", 2, "Index", 1.0, 1, "Aggregate"),
                    Element("Index", "Index", 3, None, 1.0, 1, "Aggregate")]
    else:
        elements = [Element("a1", "a1", 1, "Index", 1.0, 1, "Indicator"),
                    Element("b1", "b1", 1, "Index", 1.0, 1, "Indicator"),
                    Element("Index", "Index", 2, None, 1.0, 1, "Aggregate")]
    fw = Framework(tuple(elements))
    codes = tuple("ABCDEFGH"[: x.shape[0]])
    return IndexData(fw, Units(codes, codes), Table(codes, fw.indicators, x))


def test_bod_scores_are_one_on_the_frontier_and_the_best_ratio_below_it():
    res = bod(FRONTIER)
    assert res.scores == pytest.approx([1.0, 5 / 6, 1.0, 2 / 3], abs=1e-9)
    assert res.weights[1] == pytest.approx([1 / 1.2, 1 / 1.2], abs=1e-9)
    assert (FRONTIER @ res.weights.T <= 1 + 1e-9).all()


def test_bod_share_bounds_stop_a_unit_ignoring_its_weak_indicator():
    # A's shares at least 40 %: a = 0.6 s on x1, b = 0.4 s on x2; C's constraint
    # 0.2 a + 5 b <= 1 binds, so s = 1 / (0.12 + 2).
    res = bod(FRONTIER, lower=0.4)
    assert res.scores[0] == pytest.approx(1 / 2.12, abs=1e-9)
    shares = FRONTIER[0] * res.weights[0] / res.scores[0]
    assert shares == pytest.approx([0.6, 0.4], abs=1e-9)
    with pytest.raises(InputError, match="not feasible"):
        bod(FRONTIER, lower=0.6)


def test_bod_as_an_aggregation_method_and_its_bad_input():
    pipe = parse_pipeline({"steps": [{"aggregate": {"method": "bod"}}]})
    table = build(_data(FRONTIER), pipe).dsets["Aggregated"]
    assert table.column("Index") == pytest.approx([1.0, 5 / 6, 1.0, 2 / 3], abs=1e-9)
    holed = FRONTIER.copy()
    holed[3, 1] = np.nan
    with pytest.raises(AggregationError, match=r"missing or negative values .* in Index "
                       r"\(unit D\)"):
        build(_data(holed), pipe)
    bad = parse_pipeline({"steps": [{"aggregate": {"method": {"method": "bod", "p": 2}}}]})
    with pytest.raises(InputError, match="unknown parameter"):
        build(_data(FRONTIER), bad)


# a1 and b1 have mean 0 and are uncorrelated; sd(b1) = 2 sd(a1). With pillar weights wa, wb
# the index is wa a1 + wb b1, corr(a1, Index) = wa sd(a1) / sd(I) and corr(b1, Index) =
# wb sd(b1) / sd(I): they balance at wa / wb = 2, i.e. (2/3, 1/3).
UNCORRELATED = np.array([[1.0, 2.0], [-1.0, 2.0], [1.0, -2.0], [-1.0, -2.0]])


def _optimised(**settings):
    pipe = parse_pipeline({"steps": [{"weights": {"method": "optimise", "level": 2,
                                                  **settings}},
                                     {"aggregate": {"method": "amean"}}]})
    return build(_data(UNCORRELATED, pillars=True), pipe)


def test_balanced_weights_equalise_the_correlations_with_the_index():
    coin = _optimised()
    assert coin.weights["A"] == pytest.approx(2 / 3, abs=1e-3)
    assert coin.weights["B"] == pytest.approx(1 / 3, abs=1e-3)
    assert coin.analysis["Weights"]["obtained"] == pytest.approx([0.5, 0.5], abs=1e-3)
    index = coin.dsets["Aggregated"].column("Index")
    assert index == pytest.approx(coin.weights["A"] * UNCORRELATED[:, 0]
                                  + coin.weights["B"] * UNCORRELATED[:, 1], abs=1e-12)


def test_target_importances_move_the_balance():
    # r_A / (r_A + r_B) = wa / (wa + 2 wb) = 1/4 gives wa = 0.4, wb = 0.6.
    coin = _optimised(itarg={"A": 1, "B": 3})
    assert (coin.weights["A"], coin.weights["B"]) == pytest.approx((0.4, 0.6), abs=1e-3)
    assert coin.analysis["Weights"]["obtained"] == pytest.approx([0.25, 0.75], abs=1e-3)


def test_infomax_maximises_the_sum_of_correlations():
    # (u + v) / sqrt(u^2 + v^2) with u = wa sd(a1), v = wb sd(b1) peaks at u = v: sqrt(2).
    coin = _optimised(optype="infomax")
    assert sum(coin.analysis["Weights"]["obtained"]) == pytest.approx(np.sqrt(2), abs=1e-6)
    assert coin.weights["A"] == pytest.approx(2 / 3, abs=1e-3)


def test_bad_optimisation_settings():
    with pytest.raises(InputError, match="needs a level"):
        _optimised(level=3)
    with pytest.raises(InputError, match="unknown optype"):
        _optimised(optype="maximin")
    with pytest.raises(InputError, match="itarg names"):
        _optimised(itarg={"A": 1, "C": 1})
