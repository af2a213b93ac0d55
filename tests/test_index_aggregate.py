"""Aggregation methods: the missing-value rules, per-level and per-aggregate methods,
data-availability thresholds, Copeland, and failures that must be reported."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digimeter.index import aggregate as agg
from digimeter.index.framework import Element, Framework
from digimeter.index.pipeline import build, parse_pipeline
from tests.index_helpers import PIPELINE_A, asem, needs_oracle


def _fw():
    e = [Element("a", "a", 1, "P", 1.0, 1, "Indicator"), Element("b", "b", 1, "P", 3.0, 1,
                                                                   "Indicator"),
         Element("c", "c", 1, "Q", 1.0, 1, "Indicator"),
         Element("P", "P", 2, "T", 1.0, 1, "Aggregate"),
         Element("Q", "Q", 2, "T", 1.0, 1, "Aggregate"),
         Element("T", "T", 3, None, 1.0, 1, "Aggregate")]
    return Framework(tuple(e))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0.1, 100)), min_size=3, max_size=3),
       st.lists(st.floats(0.1, 5), min_size=3, max_size=3))
def test_amean_skips_missing_and_renormalises(values, weights):
    x = np.array([np.nan if v is None else v for v in values])
    w = np.array(weights)
    got = agg.amean(x[None, None, :], w[None, :])[0, 0]
    ok = ~np.isnan(x)
    if not ok.any():
        assert np.isnan(got)
    else:
        assert got == pytest.approx(np.sum(w[ok] * x[ok]) / np.sum(w[ok]))


def test_means_agree_with_their_definitions():
    x = np.array([[[2.0, 8.0, 4.0]]])
    w = np.array([[1.0, 1.0, 2.0]])
    assert agg.gmean(x, w)[0, 0] == pytest.approx((2 * 8 * 4 * 4) ** 0.25)
    assert agg.hmean(x, w)[0, 0] == pytest.approx(4 / (1 / 2 + 1 / 8 + 2 / 4))
    assert agg.genmean(x, w, p=2)[0, 0] == pytest.approx(((4 + 64 + 32) / 4) ** 0.5)
    assert agg.median(x, w)[0, 0] == 4.0
    assert np.isnan(agg.genmean(np.array([[[2.0, np.nan]]]), np.ones((1, 2)), p=2)[0, 0])


def test_copeland_against_a_direct_count():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, size=(1, 7, 5)).astype(float)
    w = np.ones((1, 5))
    got = agg.copeland(x, w)[0]
    for i in range(7):
        score = 0
        for j in range(7):
            if i != j:
                wins = np.sum(x[0, i] > x[0, j]) + np.sum(x[0, i] == x[0, j]) / 2
                score += np.sign(wins / 5 - 0.5)
        assert got[i] == score


def _run(settings_):
    x = np.array([[[1.0, 3.0, 5.0]], [[2.0, np.nan, 4.0]]]).reshape(1, 2, 3)
    fw = _fw()
    spec = agg.spec_from(settings_, fw, "test")
    w = np.array([[1.0, 3.0, 1.0, 1.0, 1.0, 1.0]])
    return agg.aggregate(x, ["a", "b", "c"], fw, spec, w, ["a", "b", "c", "P", "Q", "T"])


def test_a_method_per_level_and_within_a_level():
    codes, v = _run({"method": "amean", "by_code": {"P": "gmean"}, "levels": {3: "hmean"}})
    p = v[0, 0, codes.index("P")]
    assert p == pytest.approx(np.exp((np.log(1) + 3 * np.log(3)) / 4))
    t = v[0, 0, codes.index("T")]
    assert t == pytest.approx(2 / (1 / p + 1 / 5))


def test_data_availability_threshold():
    codes, v = _run({"method": "amean", "dat_thresh": [0.75, 0]})
    assert np.isnan(v[0, 1, codes.index("P")])
    assert v[0, 1, codes.index("T")] == 4.0


def test_gmean_over_zero_is_an_error_naming_where():
    x = np.array([[[0.0, 3.0, 5.0]]])
    fw = _fw()
    spec = agg.spec_from({"method": "gmean"}, fw, "test")
    with pytest.raises(agg.AggregationError, match="geometric mean .* in P .unit u1"):
        agg.aggregate(x, ["a", "b", "c"], fw, spec, np.ones((1, 6)),
                      ["a", "b", "c", "P", "Q", "T"], units=["u1"])


def test_failed_replicates_are_missing_when_not_strict():
    x = np.array([[[0.0, 3.0, 5.0]]])
    fw = _fw()
    spec = agg.spec_from({"method": "gmean"}, fw, "test")
    _, v = agg.aggregate(x, ["a", "b", "c"], fw, spec, np.ones((2, 6)),
                         ["a", "b", "c", "P", "Q", "T"], strict=False)
    assert np.isnan(v).all()


def test_unknown_methods_and_parameters():
    fw = _fw()
    for bad, msg in [({"method": "mean"}, "unknown aggregation method"),
                     ({"method": "genmean"}, "needs a parameter p"),
                     ({"method": "amean", "params": {"q": 1}}, "unknown parameter"),
                     ({"method": ["amean"]}, "one per level"),
                     ({"by_code": {"a": "gmean"}}, "not an aggregate")]:
        with pytest.raises(agg.InputError, match=msg):
            agg.spec_from(bad, fw, "test")


@needs_oracle
def test_per_level_list_equals_same_method_everywhere():
    steps = [dict(s) for s in PIPELINE_A["steps"]]
    same = build(asem(), parse_pipeline({"steps": steps}))
    steps[-1] = {"aggregate": {"method": ["amean", "amean", "amean"]}}
    listed = build(asem(), parse_pipeline({"steps": steps}))
    assert np.array_equal(same.dsets["Aggregated"].values, listed.dsets["Aggregated"].values)
