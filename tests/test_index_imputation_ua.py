"""Imputation as an uncertain input of the Monte Carlo: each replicate imputes with one of
the alternatives, exactly as a build with that imputation would."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from digimeter.errors import InputError
from digimeter.index.data import load
from digimeter.index.examples import example_files
from digimeter.index.pipeline import build, load_pipeline, parse_pipeline
from digimeter.index.sensitivity import check_inputs, read_design, read_spec, to_choices
from digimeter.index.uncertainty import Job, Replicate, replay, replicate_pipeline

ASEM_DATA, ASEM_META, ASEM_PIPE = example_files("asem")
STEPS = yaml.safe_load(ASEM_PIPE.read_text(encoding="utf-8"))["steps"]


def _job(steps=STEPS) -> Job:
    return Job(load(ASEM_DATA, ASEM_META)[0], parse_pipeline({"steps": steps}))


def _built(job: Job, impute: dict) -> np.ndarray:
    steps = [({"impute": impute} if "impute" in s else s) for s in STEPS]
    coin = build(job.data, parse_pipeline({"steps": steps}))
    table = coin.dsets["Aggregated"]
    out = np.full(len(job.units), np.nan)
    out[job.data.units.lookup(table.units)] = table.column("Index")
    return out


def test_each_replicate_imputes_as_a_build_with_that_method_would():
    job = _job()
    choices = [{"method": "mean"}, {"method": "median"},
               {"method": "median_group", "group": "GDP_group"}]
    scores = replay(job, [Replicate({"impute": c}) for c in choices])
    for k, c in enumerate(choices):
        assert scores[:, k] == pytest.approx(_built(job, c), abs=1e-12, nan_ok=True)
    assert np.nanmax(np.abs(scores[:, 0] - scores[:, 1])) > 0.01


def test_an_imputation_is_added_where_coinr_imputes_when_the_pipeline_has_none():
    steps = [s for s in STEPS if "impute" not in s]
    pipe = replicate_pipeline(parse_pipeline({"steps": steps}),
                              Replicate({"impute": {"method": "mean"}}))
    assert [s.name for s in pipe.steps] == ["denominate", "impute", "screen", "treat",
                                            "normalise", "aggregate"]
    treat_only = replicate_pipeline(parse_pipeline({"steps": [{"normalise": {}},
                                                              {"aggregate": {}}]}),
                                    Replicate({"treat": {"winmax": 3}}))
    assert [s.name for s in treat_only.steps] == ["treat", "normalise", "aggregate"]


def test_a_design_with_an_imputation_column_replays(tmp_path):
    design = tmp_path / "design.csv"
    design.write_text("rep,winmax,f_i,impute_group\n1,5,i_mean,\n2,3,i_median_grp,GDP_group\n",
                      encoding="utf-8")
    reps = read_design(design)
    assert reps[1].overrides["impute"] == {"method": "i_median_grp", "group": "GDP_group"}
    job = _job()
    scores = replay(job, reps)
    steps = [({"impute": {"method": "median_group", "group": "GDP_group"}} if "impute" in s
              else {"treat": {**s["treat"], "winmax": 3}} if "treat" in s else s)
             for s in STEPS]
    coin = build(job.data, parse_pipeline({"steps": steps}))
    table = coin.dsets["Aggregated"]
    rows = job.data.units.lookup(table.units)
    assert scores[rows, 1] == pytest.approx(table.column("Index"), abs=1e-12)


def test_drawn_imputations_come_from_the_alternatives(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"inputs": {
        "imputation": ["mean", "median", {"method": "mean_group", "group": "EurAsia_group"}],
        "winmax": [2, 5]}}), encoding="utf-8")
    _, inputs = read_spec(spec)
    check_inputs(_job(), inputs, str(spec))
    reps = to_choices(np.random.default_rng(4).random((60, 2)), inputs)
    methods = {r.overrides["impute"]["method"] for r in reps}
    assert methods == {"mean", "median", "mean_group"}
    assert all(r.overrides["treat"]["winmax"] in (2, 5) for r in reps)


def test_a_bad_alternative_is_named_before_anything_runs(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"inputs": {
        "imputation": ["mean", "mode"], "winmax": [2, 5]}}), encoding="utf-8")
    _, inputs = read_spec(spec)
    with pytest.raises(InputError, match=r"input imputation: alternative 2: .*unknown "
                       r"imputation method 'mode'"):
        check_inputs(_job(), inputs, str(spec))
    proc = subprocess.run([sys.executable, "-m", "digimeter", "index", "uncertainty",
                           "--example", "asem", "--spec", str(spec), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown imputation method 'mode'" in lines[0], proc.stderr
    group = tmp_path / "group.yaml"
    group.write_text(yaml.safe_dump({"inputs": {"imputation": [
        {"method": "mean_group", "group": "Continent"}]}}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "digimeter", "index", "uncertainty",
                           "--example", "asem", "--spec", str(group), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode != 0 and "group 'Continent'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_cli_draws_imputations_and_writes_them_in_the_design(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"N": 8, "seed": 2, "inputs": {
        "imputation": ["mean", "median"]}}), encoding="utf-8")
    out = tmp_path / "ua"
    proc = subprocess.run([sys.executable, "-m", "digimeter", "index", "uncertainty",
                           "--example", "asem", "--spec", str(spec), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    design = pd.read_csv(out / "design.csv")
    assert {yaml.safe_load(o)["impute"]["method"] for o in design.overrides} <= {"mean",
                                                                                  "median"}
    assert pd.read_csv(out / "scores.csv").shape == (51, 10)


def test_the_asem_example_pipeline_loads():
    assert load_pipeline(ASEM_PIPE).index_of("impute") == 1


def test_row_quantiles_are_rs_type_7_with_missing_values_skipped():
    import warnings

    from digimeter.index.stats import row_quantiles
    from digimeter.index.uncertainty import summary

    rng = np.random.default_rng(0)
    x = rng.random((300, 41))
    x[rng.random(x.shape) < 0.2] = np.nan
    x[3] = np.nan
    x[4, :-1] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(x, [0.05, 0.5, 0.95], axis=1)
    got = row_quantiles(x, (0.05, 0.5, 0.95))
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.nanmax(np.abs(got - expected)) <= 1e-12
    s = summary(x[:, 0], x)
    assert s["replicates"][3] == 0 and s["replicates"][4] == 1
    assert s["score_median"][4] == x[4, -1] and np.isnan(s["score_q05"][3])
