"""Panel imputation along Time (COINr's ``impute_panel``, and constant / linear), from the
pipeline YAML, on ASEM_iData_p.csv with cells punched out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from digimeter.cli import app
from digimeter.errors import InputError
from digimeter.index.data import load
from digimeter.index.impute import impute_panel
from digimeter.index.pipeline import build, build_panel, parse_pipeline
from tests.index_helpers import ASEM, needs_oracle

pytestmark = needs_oracle

PANEL = ASEM / "ASEM_iData_p.csv"
HOLES = [("NZL", 2022, "LPI"), ("AUT", 2022, "Flights"), ("AUT", 2021, "Flights"),
         ("DEU", 2020, "Goods"), ("JPN", 2018, "Tourist"), ("FRA", 2019, "Flights"),
         ("FRA", 2021, "Flights")]


def _raw() -> pd.DataFrame:
    return pd.read_csv(PANEL)


def _value(frame: pd.DataFrame, unit: str, year: int, code: str) -> float:
    return float(frame.loc[(frame.uCode == unit) & (frame.Time == year), code].iloc[0])


@pytest.fixture(scope="module")
def holed(tmp_path_factory):
    frame = _raw()
    for unit, year, code in HOLES:
        frame.loc[(frame.uCode == unit) & (frame.Time == year), code] = np.nan
    path = tmp_path_factory.mktemp("panel") / "iData_p.csv"
    frame.to_csv(path, index=False, na_rep="NA")
    return path


def _imputed(path, settings) -> dict[int, pd.DataFrame]:
    pipe = parse_pipeline({"steps": [{"impute": {"method": "panel", **settings}}]})
    datasets = load(path, ASEM / "ASEM_iMeta.csv")
    out = {}
    for d, coin in zip(datasets, build_panel(datasets, pipe), strict=True):
        t = coin.dsets["Imputed"]
        out[int(d.units.time[0])] = pd.DataFrame(t.values, index=t.units, columns=t.codes)
    return out


def test_latest_takes_the_most_recent_earlier_year(holed):
    raw, got = _raw(), _imputed(holed, {"type": "latest"})
    assert got[2022].loc["NZL", "LPI"] == _value(raw, "NZL", 2021, "LPI")
    assert got[2022].loc["AUT", "Flights"] == _value(raw, "AUT", 2020, "Flights")
    assert got[2021].loc["AUT", "Flights"] == _value(raw, "AUT", 2020, "Flights")
    assert got[2020].loc["DEU", "Goods"] == _value(raw, "DEU", 2019, "Goods")
    assert np.isnan(got[2018].loc["JPN", "Tourist"])


def test_latest_looks_back_at_most_max_time_points(holed):
    raw, got = _raw(), _imputed(holed, {"type": "latest", "max_time": 1})
    assert np.isnan(got[2022].loc["AUT", "Flights"])
    assert got[2021].loc["AUT", "Flights"] == _value(raw, "AUT", 2020, "Flights")
    assert got[2022].loc["NZL", "LPI"] == _value(raw, "NZL", 2021, "LPI")


def test_constant_carries_forward_and_fills_before_the_first_year(holed):
    raw, got = _raw(), _imputed(holed, {"type": "constant"})
    assert got[2018].loc["JPN", "Tourist"] == _value(raw, "JPN", 2019, "Tourist")
    assert got[2022].loc["AUT", "Flights"] == _value(raw, "AUT", 2020, "Flights")
    assert got[2019].loc["FRA", "Flights"] == _value(raw, "FRA", 2018, "Flights")


def test_linear_interpolates_over_time_and_holds_the_ends(holed):
    raw, got = _raw(), _imputed(holed, {"type": "linear"})
    mid = (_value(raw, "DEU", 2019, "Goods") + _value(raw, "DEU", 2021, "Goods")) / 2
    assert got[2020].loc["DEU", "Goods"] == pytest.approx(mid, rel=1e-15)
    fra18, fra20 = _value(raw, "FRA", 2018, "Flights"), _value(raw, "FRA", 2020, "Flights")
    assert got[2019].loc["FRA", "Flights"] == pytest.approx((fra18 + fra20) / 2, rel=1e-15)
    fra22 = _value(raw, "FRA", 2022, "Flights")
    assert got[2021].loc["FRA", "Flights"] == pytest.approx((fra20 + fra22) / 2, rel=1e-15)
    assert got[2022].loc["AUT", "Flights"] == _value(raw, "AUT", 2020, "Flights")
    assert got[2018].loc["JPN", "Tourist"] == _value(raw, "JPN", 2019, "Tourist")


def test_untouched_cells_and_always_missing_series_stay_as_they_are(holed):
    raw, got = _raw(), _imputed(holed, {"type": "linear"})
    assert got[2019].loc["NZL", "LPI"] == _value(raw, "NZL", 2019, "LPI")
    always = raw[raw.ConSpeed.isna()].uCode.value_counts()
    unit = always[always == 5].index[0]
    assert all(np.isnan(got[y].loc[unit, "ConSpeed"]) for y in got)


def test_unequal_time_spacing_is_linear_in_time():
    values = np.array([[1.0], [np.nan], [7.0]])
    out = impute_panel(values, np.array([2000.0, 2001.0, 2003.0]),
                       np.array(["a", "a", "a"], dtype=object), "linear")
    assert out[1, 0] == 3.0


def test_panel_impute_then_the_rest_of_the_pipeline_per_year(holed, tmp_path):
    pipe = tmp_path / "p.yaml"
    pipe.write_text(yaml.safe_dump({"steps": [
        {"impute": {"method": "panel", "type": "latest"}},
        {"impute": {"method": "mean"}},
        {"normalise": {"method": "minmax", "params": [0, 100]}},
        {"aggregate": {"method": "amean"}}]}))
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["index", "build", "--data", holed, "--meta",
                                   ASEM / "ASEM_iMeta.csv", "--pipeline", pipe, "--out", out])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["2018", "2019", "2020", "2021", "2022"]
    scores = pd.read_csv(out / "2022" / "scores.csv").set_index("uCode")
    assert not scores.isna().any().any()


def test_panel_imputation_needs_a_panel_and_valid_settings(holed):
    single = load(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")[0]
    with pytest.raises(InputError, match="several years"):
        build(single, parse_pipeline({"steps": [{"impute": {"method": "panel"}}]}))
    with pytest.raises(InputError, match="unknown panel imputation type"):
        _imputed(holed, {"type": "spline"})
    with pytest.raises(InputError, match="max_time applies to type latest"):
        _imputed(holed, {"type": "linear", "max_time": 2})
    with pytest.raises(InputError, match="unknown setting"):
        _imputed(holed, {"group": "EurAsia_group"})
