"""``digimeter index build`` and ``digimeter index uncertainty`` against the contract."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from digimeter.cli import app
from tests.conftest import run_cli
from tests.index_helpers import ASEM, COINR, EXAMPLE, PIPELINE_A, needs_oracle, oracle

SENS = COINR / "sensitivity"
runner = CliRunner()


def _pipeline(tmp_path, obj=PIPELINE_A):
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(obj))
    return path


def _digimeter(*args):
    return subprocess.run([sys.executable, "-m", "digimeter", *map(str, args)],
                          capture_output=True, text=True)


@needs_oracle
def test_build_writes_full_precision_scores_and_min_ranks(tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["index", "build", "--data", ASEM / "ASEM_iData.csv", "--meta",
                              ASEM / "ASEM_iMeta.csv", "--pipeline", _pipeline(tmp_path),
                              "--out", out])
    assert res.exit_code == 0, res.output
    scores = pd.read_csv(out / "scores.csv").set_index("uCode")
    expected = oracle(EXAMPLE / "asem_results_example_scores.csv")
    assert list(scores.columns) == list(expected.columns)
    assert np.max(np.abs(scores.loc[expected.index].to_numpy() - expected.to_numpy())) <= 1e-9
    ranks = pd.read_csv(out / "ranks.csv").set_index("uCode")
    assert ranks.equals(oracle(EXAMPLE / "asem_results_example_ranks.csv").loc[ranks.index]
                        .astype(ranks.dtypes.iloc[0]))
    line = (out / "scores.csv").read_text().splitlines()[1]
    assert "79.96111572033891" in line


@needs_oracle
def test_uncertainty_replays_a_design(tmp_path):
    out = tmp_path / "ua"
    res = runner.invoke(app, ["index", "uncertainty", "--data", ASEM / "ASEM_iData.csv",
                              "--meta", ASEM / "ASEM_iMeta.csv", "--pipeline",
                              _pipeline(tmp_path), "--design",
                              SENS / "asem_sa_UA_N100_design.csv", "--weight-sets",
                              SENS / "asem_sa_noisy_weights.csv", "--out", out])
    assert res.exit_code == 0, res.output
    for name in ("scores", "rankstats"):
        got = pd.read_csv(out / f"{name}.csv").set_index("uCode")
        expected = oracle(SENS / f"asem_sa_UA_N100_{name}.csv")
        assert list(got.columns) == list(expected.columns)
        assert np.max(np.abs(got.loc[expected.index].to_numpy()
                             - expected.to_numpy())) <= 1e-9


@needs_oracle
def test_uncertainty_draws_from_a_specification_with_a_seed(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"N": 20, "seed": 5, "type": "SA", "inputs": {
        "winmax": [1, 3, 5], "aggregation": ["amean", "gmean"], "weights": "all",
        "normalisation": [{"method": "minmax", "params": [1, 100]}]}}, sort_keys=False))
    outs = []
    for k in range(2):
        out = tmp_path / f"sa{k}"
        res = runner.invoke(app, ["index", "uncertainty", "--example", "asem", "--spec", spec,
                                  "--weight-sets", SENS / "asem_sa_noisy_weights.csv",
                                  "--out", out])
        assert res.exit_code == 0, res.output
        outs.append(out)
    a, b = (pd.read_csv(o / "scores.csv") for o in outs)
    assert a.shape == (51, 2 + 20 * 6) and a.equals(b) and not a.isna().any().any()
    sens = pd.read_csv(outs[0] / "sensitivity_indices.csv")
    assert list(sens.Variable) == ["winmax", "aggregation", "weights", "normalisation"]
    assert sens.STi.iloc[3] == 0
    replay = tmp_path / "replay"
    res = runner.invoke(app, ["index", "uncertainty", "--example", "asem", "--design",
                              outs[0] / "design.csv", "--weight-sets",
                              SENS / "asem_sa_noisy_weights.csv", "--out", replay])
    assert res.exit_code == 0, res.output
    assert pd.read_csv(replay / "scores.csv").equals(a)


@pytest.mark.parametrize("example", ["asem", "desi2022"])
def test_bundled_examples_build(tmp_path, example):
    res = runner.invoke(app, ["index", "build", "--example", example, "--out", tmp_path])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "scores.csv").exists() and (tmp_path / "ranks.csv").exists()


@pytest.mark.parametrize("edit, fragment", [
    (lambda p: p["steps"][3]["treat"].update(winmax="lots"), "step 4 (treat)"),
    (lambda p: p["steps"][4]["normalise"].update(method="n_magic"), "unknown normalisation"),
    (lambda p: p["steps"][5]["aggregate"].update(method="gmean"), "geometric mean"),
    (lambda p: p["steps"].append({"smooth": {}}), "unknown step 'smooth'"),
    (lambda p: p["steps"][1]["impute"].update(group="Continent"), "group 'Continent'"),
])
def test_bad_pipelines_give_one_line_and_no_traceback(tmp_path, edit, fragment):
    obj = yaml.safe_load(yaml.safe_dump(PIPELINE_A))
    edit(obj)
    if fragment == "geometric mean":
        obj["steps"][4]["normalise"]["params"] = [0, 100]
    proc = _digimeter("index", "build", "--data", ASEM / "ASEM_iData.csv", "--meta",
                      ASEM / "ASEM_iMeta.csv", "--pipeline", _pipeline(tmp_path, obj),
                      "--out", tmp_path / "o")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr


def test_bad_data_cell_names_file_row_and_column(tmp_path):
    meta = tmp_path / "m.csv"
    meta.write_text("Level,iCode,Direction,Weight,Parent,Type\n1,a,1,1,T,Indicator\n"
                    "1,b,1,1,T,Indicator\n2,T,1,1,,Aggregate\n")
    data = tmp_path / "d.csv"
    data.write_text("uCode,a,b\nX,1,2\nY,3,three\n")
    proc = _digimeter("index", "build", "--data", data, "--meta", meta, "--pipeline",
                      _pipeline(tmp_path, {"steps": [{"normalise": {}}, {"aggregate": {}}]}),
                      "--out", tmp_path / "o")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "d.csv, row 3, column 'b'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, fragment", [
    (["build", "--example", "asem"], "give --out, --save NAME, or both"),
    (["build", "--example", "asem", "--save", " "], "--save: an index run needs a name"),
    (["build", "--example", "asem", "--data", "d.csv", "--out", "o"],
     "give one of --example, --data/--meta or --store, not --example and --data"),
    (["build", "--example", "nope", "--out", "o"], "unknown example 'nope'"),
    (["build", "--example", "asem", "--save", "x", "--db", "sqlite:////no/such/dir/x.db"],
     "does not exist"),
    (["runs", "--db", "mysql://h/x"], "unsupported database"),
    (["uncertainty", "--example", "asem", "--out", "o"], "give --design to replay, or --spec"),
])
def test_store_and_input_options_bad_input_is_one_line(tmp_path, args, fragment):
    proc = subprocess.run([sys.executable, "-m", "digimeter", "index", *args],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr


def test_an_example_with_another_pipeline(tmp_path):
    pipe = _pipeline(tmp_path, {"steps": [{"normalise": {"method": "goalposts",
                                                         "params": "meta"}},
                                          {"aggregate": {"method": "median"}}]})
    res = runner.invoke(app, ["index", "build", "--example", "desi2022", "--pipeline", pipe,
                              "--out", tmp_path / "o"])
    assert res.exit_code == 0, res.output
    mine = pd.read_csv(tmp_path / "o" / "scores.csv").set_index("uCode")
    res = runner.invoke(app, ["index", "build", "--example", "desi2022", "--out",
                              tmp_path / "d"])
    default = pd.read_csv(tmp_path / "d" / "scores.csv").set_index("uCode")
    assert list(mine.columns) == list(default.columns)
    assert not np.allclose(mine["DESI"], default["DESI"])


def test_uncertainty_says_how_many_replicates_gave_no_score(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"N": 40, "seed": 1, "inputs": {
        "aggregation": ["amean", "gmean"],
        "normalisation": [{"method": "goalposts", "params": "meta"}]}}), encoding="utf-8")
    proc = run_cli("index", "uncertainty", "--example", "desi2022", "--spec", str(spec),
                   "--out", str(tmp_path / "ua"), check=True)
    scores = pd.read_csv(tmp_path / "ua" / "scores.csv")
    empty = int(scores.drop(columns=["uCode", "Nominal"]).isna().all().sum())
    assert 0 < empty < 40  # DESI's goalposts give zero and negative scores: gmean fails
    assert f"{empty} of 40 replicates gave no score to any unit" in proc.stderr
