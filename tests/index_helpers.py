"""Shared by the index tests: the COINr oracle in ../shared/coinr and the ASEM pipeline A."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from digimeter.index.data import IndexData, Table, load
from digimeter.index.pipeline import Coin, Pipeline, build, parse_pipeline
from tests.conftest import SHARED

COINR = SHARED / "coinr"
ASEM = COINR / "asem"
EXAMPLE = COINR / "example"
TOL = 1e-9

PIPELINE_A = {"steps": [
    {"denominate": {}},
    {"impute": {"method": "mean_group", "group": "EurAsia_group"}},
    {"screen": {"dat_thresh": 0.9, "by": "na"}},
    {"treat": {"winmax": 5, "skew_thresh": 2, "kurt_thresh": 3.5, "fallback": "log_ct"}},
    {"normalise": {"method": "minmax", "params": [0, 100]}},
    {"aggregate": {"method": "amean"}},
]}

needs_oracle = pytest.mark.skipif(not COINR.exists(), reason="../shared/coinr is not beside "
                                  "the clone")


def oracle(path: Path, index: str | None = "uCode") -> pd.DataFrame:
    frame = pd.read_csv(path)
    return frame.set_index(index) if index else frame


@cache
def asem() -> IndexData:
    return load(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")[0]


def pipeline_a() -> Pipeline:
    return parse_pipeline(PIPELINE_A, "pipeline A")


@cache
def coin_a() -> Coin:
    return build(asem(), pipeline_a())


def frame_of(table: Table) -> pd.DataFrame:
    return pd.DataFrame(table.values, index=list(table.units), columns=list(table.codes))


def assert_frame_close(got: pd.DataFrame, expected: pd.DataFrame, tol: float = TOL) -> None:
    """Same rows and columns; numbers within ``tol``; NA, NaN and ±Inf where COINr has them."""
    assert sorted(got.index) == sorted(expected.index)
    missing = set(expected.columns) - set(got.columns)
    assert not missing, f"columns not produced: {sorted(missing)}"
    g = got.loc[expected.index, expected.columns].to_numpy(dtype=float)
    e = expected.to_numpy(dtype=float)
    assert np.array_equal(np.isnan(g), np.isnan(e)), "missing cells differ"
    assert np.array_equal(np.isinf(g), np.isinf(e)) and np.array_equal(g[np.isinf(g)],
                                                                         e[np.isinf(e)])
    finite = np.isfinite(e)
    worst = np.max(np.abs(g[finite] - e[finite]), initial=0.0)
    assert worst <= tol, f"largest difference {worst:g}"
