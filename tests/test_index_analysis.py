"""Statistics, correlations, Cronbach's alpha, PCA weights, effective weights and
remove-elements against COINr's example outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from digimeter.index.analysis import correlations, cronbach_group, distance_to_reference
from digimeter.index.framework import effective_weights
from digimeter.index.stats import stats_table
from digimeter.index.uncertainty import Job, remove_elements
from digimeter.index.weights import pca_weights
from tests.index_helpers import EXAMPLE, asem, coin_a, needs_oracle, oracle, pipeline_a

pytestmark = needs_oracle


@pytest.mark.parametrize("dset", ["Raw", "Denominated"])
def test_indicator_statistics_and_flags(dset):
    expected = oracle(EXAMPLE / f"asem_results_example_stats_{dset}.csv", "iCode")
    table = coin_a().dsets[dset]
    got = pd.DataFrame(stats_table(table.codes, table.values)).set_index("iCode")
    got = got.loc[expected.index, expected.columns]
    flags = [c for c in expected.columns if c.startswith("Flag")]
    numbers = [c for c in expected.columns if c not in flags]
    assert (got[flags].to_numpy() == expected[flags].to_numpy()).all()
    g, e = got[numbers].to_numpy(float), expected[numbers].to_numpy(float)
    assert np.allclose(g, e, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name, levels, method, withparent", [
    ("corr_ind_vs_pillar", (1, 2), "pearson", True),
    ("corr_pillar_vs_index", (2, 4), "pearson", True),
    ("corr_ind_ind_spearman", (1, 1), "spearman", False),
])
def test_correlations(name, levels, method, withparent):
    expected = oracle(EXAMPLE / f"asem_results_example_{name}.csv", None)
    rows = correlations(coin_a().dsets["Aggregated"], coin_a().framework, *levels, method,
                        withparent)
    got = {frozenset((c.var1, c.var2)): c.value for c in rows}
    assert len(rows) == len(expected)
    for a, b, value in expected.itertuples(index=False):
        assert got[frozenset((a, b))] == pytest.approx(value, abs=1e-9), (a, b)


def test_correlation_p_values_blank_insignificant_pairs():
    rows = correlations(coin_a().dsets["Aggregated"], coin_a().framework, 1, 2, "pearson",
                        True, pval=0.05)
    blanked = [c for c in rows if np.isnan(c.value)]
    assert blanked and all(c.pvalue > 0.05 for c in blanked)


def test_cronbach_alpha():
    expected = oracle(EXAMPLE / "asem_results_example_cronbach.csv", None)
    for group, _dset, level, alpha in expected.itertuples(index=False):
        got = cronbach_group(coin_a().dsets["Aggregated"], coin_a().framework, group, level)
        assert got == pytest.approx(alpha, abs=1e-9), (group, level)


@pytest.mark.parametrize("level", [1, 2])
def test_pca_weights_up_to_sign(level):
    expected = oracle(EXAMPLE / f"asem_results_example_pca_weights_L{level}.csv", None)
    got = pca_weights(coin_a().dsets["Aggregated"], coin_a().framework, level)
    rows = expected[expected.Level == level]
    assert set(got) == set(rows.iCode)
    for code, _lev, weight in rows.itertuples(index=False):
        assert abs(got[code]) == pytest.approx(abs(weight), abs=1e-9), code


def test_effective_weights():
    expected = oracle(EXAMPLE / "asem_results_example_effective_weights.csv", "iCode")
    got = effective_weights(coin_a().framework)
    for code, weight in expected.EffWeight.items():
        assert got[code] == pytest.approx(weight, abs=1e-12)


def test_remove_elements_mean_absolute_rank_change():
    expected = oracle(EXAMPLE / "asem_results_example_remove_elements_L2_meanabsdiff.csv",
                      "removed")
    got = remove_elements(Job(asem(), pipeline_a()), 2)
    assert set(got) == set(expected.index)
    for code, value in expected.MeanAbsDiff.items():
        assert got[code] == pytest.approx(value, abs=1e-9), code


def test_distance_to_a_benchmark_unit_orders_the_gaps():
    table = coin_a().dsets["Aggregated"]
    pillars = coin_a().framework.level_codes(2)
    rows = distance_to_reference(table, "CHN", "CHE", pillars)
    gaps = [r["weighted_gap"] for r in rows]
    assert gaps == sorted(gaps, reverse=True)
    first = rows[0]
    assert first["gap"] == first["reference"] - first["unit"]
