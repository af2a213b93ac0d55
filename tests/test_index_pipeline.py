"""Pipeline A (COINr's build_example_coin) and the rawsimple pipeline reproduce COINr."""

from __future__ import annotations

import numpy as np
import pytest

from digimeter.index.pipeline import build, parse_pipeline
from digimeter.index.stats import rank_desc
from tests.index_helpers import (
    COINR,
    EXAMPLE,
    asem,
    assert_frame_close,
    coin_a,
    frame_of,
    needs_oracle,
    oracle,
)

pytestmark = needs_oracle


@pytest.mark.parametrize("dset", ["Denominated", "Imputed", "Screened", "Treated",
                                  "Normalised"])
def test_every_intermediate_data_set(dset):
    expected = oracle(EXAMPLE / f"asem_results_example_dset_{dset}.csv")
    assert_frame_close(frame_of(coin_a().dsets[dset]), expected)


def test_scores_and_their_column_order():
    expected = oracle(EXAMPLE / "asem_results_example_scores.csv")
    got = coin_a().dsets["Aggregated"]
    assert list(got.codes) == list(expected.columns)
    assert_frame_close(frame_of(got), expected)


def test_ranks():
    expected = oracle(EXAMPLE / "asem_results_example_ranks.csv")
    table = coin_a().dsets["Aggregated"]
    ranks = frame_of(table.with_values(rank_desc(table.values, axis=0)))
    assert_frame_close(ranks, expected, tol=0)


def test_results_table_of_aggregates():
    expected = oracle(EXAMPLE / "asem_results_example_get_results_Aggs.csv")
    table = coin_a().dsets["Aggregated"]
    got = frame_of(table)
    got["Rank"] = rank_desc(table.column("Index"), axis=0)
    assert_frame_close(got, expected, tol=1e-9)


def test_rawsimple_missing_values_and_directions():
    pipe = parse_pipeline({"steps": [{"normalise": {"method": "minmax", "params": [0, 100]}},
                                     {"aggregate": {"method": "amean"}}]})
    table = build(asem(), pipe).dsets["Aggregated"]
    assert np.isnan(table.values).any()
    assert_frame_close(frame_of(table),
                       oracle(COINR / "rawsimple" / "asem_results_rawsimple_scores.csv"))
    ranks = table.with_values(rank_desc(table.values, axis=0))
    assert_frame_close(frame_of(ranks),
                       oracle(COINR / "rawsimple" / "asem_results_rawsimple_ranks.csv"), tol=0)
