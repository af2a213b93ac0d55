"""Every normalisation method against COINr's output on the example's Treated data set."""

from __future__ import annotations

import numpy as np
import pytest

from digimeter.errors import InputError
from digimeter.index.normalise import normalise, spec_from
from tests.index_helpers import COINR, assert_frame_close, coin_a, frame_of, needs_oracle, oracle

CASES = {
    "n_minmax_0_100": {"method": "n_minmax", "params": [0, 100]},
    "n_zscore_0_1": {"method": "zscore", "params": [0, 1]},
    "n_zscore_10_2": {"method": "zscore", "params": [10, 2]},
    "n_rank": {"method": "rank"},
    "n_prank": {"method": "prank"},
    "n_borda": {"method": "borda"},
    "n_fracmax": {"method": "fracmax"},
    "n_dist2max": {"method": "dist2max"},
    "n_dist2ref_AUT": {"method": "dist2ref", "ref": "AUT"},
    "n_dist2targ_iMeta": {"method": "dist2targ", "params": "meta"},
}


def _normalised(settings):
    coin = coin_a()
    treated = coin.dsets["Treated"]
    spec = spec_from(settings, "test")
    values = normalise(treated.values, treated.codes, treated.units, coin.framework, spec)
    return treated.with_values(values)


@needs_oracle
@pytest.mark.parametrize("name", sorted(CASES))
def test_method_reproduces_coinr(name):
    expected = oracle(COINR / "normalise" / f"asem_results_example_normalised_{name}.csv")
    assert_frame_close(frame_of(_normalised(CASES[name])), expected)


@needs_oracle
def test_direction_is_applied_before_the_method():
    plain = _normalised({"method": "rank"})
    j = plain.codes.index("CostImpEx")
    treated = coin_a().dsets["Treated"]
    raw = treated.column("CostImpEx")
    best = np.nanargmin(raw)
    assert plain.values[best, j] == np.nanmax(plain.values[:, j])


@needs_oracle
def test_goalposts_truncate_and_scale():
    coin = coin_a()
    t = coin.dsets["Treated"]
    spec = spec_from({"method": "goalposts", "lower": 0, "upper": 1, "scale": 100,
                      "trunc2posts": True}, "test")
    y = normalise(t.values, t.codes, t.units, coin.framework, spec)
    assert np.nanmin(y) >= 0 and np.nanmax(y) <= 100
    x = t.column("LPI")
    expected = np.clip((x - 0) / (1 - 0), 0, 1) * 100
    assert np.allclose(y[:, t.codes.index("LPI")], expected)


def test_unknown_method_and_bad_parameters_are_input_errors():
    with pytest.raises(InputError, match="unknown normalisation method"):
        spec_from({"method": "n_wobble"}, "pipeline, step 5")
    with pytest.raises(InputError, match="not numbers"):
        spec_from({"method": "minmax", "params": ["a", "b"]}, "p")
    with pytest.raises(InputError, match="unknown normalise setting"):
        spec_from({"method": "minmax", "colour": 1}, "p")
