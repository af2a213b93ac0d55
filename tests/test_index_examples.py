"""The bundled examples: ASEM is COINr's, DESI 2022 reproduces the published scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from digimeter.index.data import load
from digimeter.index.examples import example_files
from digimeter.index.pipeline import build, load_pipeline
from tests.conftest import SHARED
from tests.index_helpers import EXAMPLE, assert_frame_close, frame_of, needs_oracle, oracle

DESI = SHARED / "data"


def _built(name):
    data, meta, pipeline = example_files(name)
    return build(load(data, meta)[0], load_pipeline(pipeline))


@needs_oracle
def test_asem_example_is_coinr_build_example_coin():
    assert_frame_close(frame_of(_built("asem").dsets["Aggregated"]),
                       oracle(EXAMPLE / "asem_results_example_scores.csv"))


def _code(column: str) -> str:
    if column == "desi":
        return "DESI"
    return f"d{column[0]}" if "_" in column else f"s{column}"


@pytest.mark.skipif(not DESI.exists(), reason="../shared/data is not beside the clone")
def test_desi_2022_reproduces_published_scores_where_inputs_are_complete():
    coin = _built("desi2022")
    fw = coin.framework
    got = frame_of(coin.dsets["Aggregated"])
    raw = frame_of(coin.dsets["Raw"])
    published = pd.read_csv(DESI / "eu_desi2022_scores.csv")
    published = published[published.desi_edition == 2022].set_index("country")
    compared = incomplete = 0
    for unit, row in published.iterrows():
        for column in published.columns[1:]:
            code = _code(column)
            inputs = [c for c in fw.indicators if fw.ancestor(c, fw[code].level) == code]
            if raw.loc[unit, inputs].isna().any():
                incomplete += 1
                continue
            assert got.loc[unit, code] == pytest.approx(row[column], abs=0.001), (unit, code)
            compared += 1
    assert incomplete == 8 * 3 and compared == 28 * 15 - incomplete
    assert np.isfinite(got.loc[published.index, "DESI"]).all()
