"""Per-indicator normalisation, Box-Cox, forced screening, unit profiles and the
``index profile`` / ``index correlations`` commands, on data small enough to work by hand."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats as sps
from typer.testing import CliRunner

from digimeter.cli import app
from digimeter.errors import InputError
from digimeter.index.analysis import strengths_weaknesses, unit_profile
from digimeter.index.data import Table, load
from digimeter.index.pipeline import build, parse_pipeline
from digimeter.index.screen import screen
from digimeter.index.treat import TreatSpec, spec_from, treat_column
from tests.index_helpers import EXAMPLE, needs_oracle, oracle

META = """Level,iCode,iName,Direction,Weight,Parent,Type
1,x1,One,1,1,P1,Indicator
1,x2,Two,-1,1,P1,Indicator
1,x3,Three,1,1,P2,Indicator
2,P1,Pillar one,1,1,Index,Aggregate
2,P2,Pillar two,1,1,Index,Aggregate
3,Index,Index,1,1,,Aggregate
"""
# x2 has Direction -1: (-x2) = -10, 0, -5 -> min-max 0, 100, 50.
DATA = """uCode,uName,x1,x2,x3
a,A,2,10,1
b,B,1,0,4
c,C,3,5,2
"""
PIPELINE = {"steps": [{"normalise": {"method": "minmax", "params": [0, 100]}},
                      {"aggregate": {"method": "amean"}}]}
runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "m.csv").write_text(META)
    (tmp_path / "d.csv").write_text(DATA)
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(PIPELINE))
    return tmp_path / "d.csv", tmp_path / "m.csv", tmp_path / "p.yaml"


def test_a_per_indicator_normalisation_overrides_the_global_one(files):
    pipe = parse_pipeline({"steps": [{"normalise": {
        "method": "minmax", "params": [0, 100],
        "indicators": {"x2": {"method": "zscore", "params": [10, 2]}}}}]})
    table = build(load(*files[:2])[0], pipe).dsets["Normalised"]
    assert table.column("x1") == pytest.approx([50.0, 0.0, 100.0])
    # -x2 = -10, 0, -5: mean -5, sd 5 -> z = -1, 1, 0 -> 10 + 2 z.
    assert table.column("x2") == pytest.approx([8.0, 12.0, 10.0])
    assert table.column("x3") == pytest.approx([0.0, 100.0, 100 / 3])


def test_box_cox_is_the_fallback_when_asked_for():
    x = np.r_[np.arange(30.0), 1e6]
    spec = spec_from({"f1": "boxcox", "lambda": 0.5}, "treat")
    assert (spec.f1, spec.f2, spec.boxcox_lambda) == ("none", "boxcox", 0.5)
    res = treat_column(x, spec)
    assert res.x == pytest.approx((np.sqrt(x + 1) - 1) / 0.5, rel=1e-12)
    assert "winsorise.nwin" not in res.details and "check_SkewKurt2.Pass" in res.details
    assert set(res.points) == {"+boxcox"}
    logged = treat_column(x, TreatSpec(f1="none", f2="boxcox", boxcox_lambda=0.0))
    assert logged.x == pytest.approx(np.log(x + 1), rel=1e-12)
    calm = np.arange(31.0)
    assert np.array_equal(treat_column(calm, spec).x, calm)


def test_forced_units_are_kept_or_dropped_whatever_their_data():
    nan = np.nan
    table = Table(("u1", "u2", "u3"), ("a", "b", "c"),
                  np.array([[1.0, 2.0, 3.0], [1.0, nan, 3.0], [nan, nan, 3.0]]))
    assert screen(table, "byNA", dat_thresh=0.5).removed == ("u3",)
    forced = screen(table, "byNA", dat_thresh=0.5, force={"u3": True, "u1": False})
    assert forced.removed == ("u1",) and forced.table.units == ("u2", "u3")
    assert [r["Included"] for r in forced.summary] == [False, True, True]
    assert [r["LowData"] for r in forced.summary] == [False, False, True]
    with pytest.raises(InputError, match="forced unit 'u9'"):
        screen(table, force={"u9": True})


def test_forced_units_from_the_pipeline(files):
    pipe = parse_pipeline({"steps": [{"screen": {"dat_thresh": 0.9, "force": {"b": False}}}]})
    coin = build(load(*files[:2])[0], pipe)
    assert coin.dsets["Screened"].units == ("a", "c")
    assert coin.analysis["Screened"]["removed"] == ("b",)


# Normalised: x1 a 50 b 0 c 100; x2 a 0 b 100 c 50; x3 a 0 b 100 c 100/3.
# P1 = a 25, b 50, c 75; P2 = x3; Index = a 12.5, b 75, c (75 + 100/3) / 2.
def test_strengths_weaknesses_and_the_unit_profile(files):
    table = build(load(*files[:2])[0], parse_pipeline(PIPELINE)).dsets["Aggregated"]
    assert strengths_weaknesses(table, "c", ["x1", "x2", "x3"], 1) == (["x1"], ["x3"])
    assert strengths_weaknesses(table, "a", ["x1", "x2", "x3"], 2)[0] == ["x1", "x2"]
    rows = unit_profile(table, load(*files[:2])[0].framework, "c", 1)
    scores = {r["iCode"]: (r["value"], r["rank"]) for r in rows if r["kind"] == "score"}
    assert scores == {"Index": (pytest.approx((75 + 100 / 3) / 2), 2),
                      "P1": (75.0, 1), "P2": (pytest.approx(100 / 3), 2)}
    assert [r["iCode"] for r in rows][:3] == ["Index", "P1", "P2"]
    assert [(r["kind"], r["iCode"], r["rank"], r["of"]) for r in rows[3:]] == [
        ("strength", "x1", 1, 3), ("weakness", "x3", 2, 3)]
    with pytest.raises(InputError, match="unit 'z'"):
        unit_profile(table, load(*files[:2])[0].framework, "z")


def test_profile_command(files):
    d, m, p = files
    res = runner.invoke(app, ["index", "profile", "--data", d, "--meta", m, "--pipeline", p,
                              "--unit", "a", "--n", "1", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(io.StringIO(res.stdout))
    assert list(rows["kind"]) == ["score", "score", "score", "strength", "weakness"]
    index = rows[rows.iCode == "Index"].iloc[0]
    assert (index.value, index["rank"], index.of) == (12.5, 3, 3)
    # a: x1 rank 2, x2 and x3 tied last; the weakest is the tail of the stable order.
    assert list(rows.iCode[3:]) == ["x1", "x3"] and list(rows["rank"][3:]) == [2, 3]
    bad = runner.invoke(app, ["index", "profile", "--data", d, "--meta", m, "--pipeline", p,
                              "--unit", "zz"])
    assert bad.exit_code != 0


@needs_oracle
def test_correlations_command_gives_pearson_and_its_p_values():
    scores = oracle(EXAMPLE / "asem_results_example_scores.csv")
    res = runner.invoke(app, ["index", "correlations", "--example", "asem", "--levels", "2",
                              "4", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(io.StringIO(res.stdout)).set_index("var1")
    assert len(rows) == 8 and set(rows.var2) == {"Index"}
    for pillar, row in rows.iterrows():
        r, p = sps.pearsonr(scores[pillar], scores["Index"])
        assert row.correlation == pytest.approx(r, abs=1e-9)
        assert row.pvalue == pytest.approx(p, rel=1e-6)
    blanked = runner.invoke(app, ["index", "correlations", "--example", "asem", "--levels",
                                  "2", "4", "--pval", "0.05", "--format", "csv"])
    got = pd.read_csv(io.StringIO(blanked.stdout)).set_index("var1")
    assert got.correlation.isna().equals(rows.pvalue > 0.05)
    assert got.correlation.isna().any()
