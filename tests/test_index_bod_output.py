"""Benefit of the doubt in ``index build``: each unit's own weights in weights.csv, beside
scores.csv."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

META = """Level,iCode,iName,Parent,Direction,Weight,Type
1,a1,a1,A,1,1,Indicator
1,a2,a2,A,1,1,Indicator
1,b1,b1,B,1,1,Indicator
1,b2,b2,B,1,1,Indicator
2,A,A,Index,1,1,Aggregate
2,B,B,Index,1,1,Aggregate
3,Index,Index,,1,1,Aggregate
"""
# Pillar A is the frontier of tests/test_index_weights_opt.py: U2's best weights are
# 1/1.2 each, its score 5/6.
DATA = """uCode,a1,a2,b1,b2
U1,1.0,0.2,0.3,0.9
U2,0.5,0.5,0.8,0.1
U3,0.2,1.0,0.5,0.5
U4,0.4,0.4,0.2,0.2
"""


def _files(tmp_path, aggregate):
    (tmp_path / "m.csv").write_text(META, encoding="utf-8")
    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(yaml.safe_dump({"steps": [{"aggregate": aggregate}]}),
                                     encoding="utf-8")
    return ["--data", str(tmp_path / "d.csv"), "--meta", str(tmp_path / "m.csv"),
            "--pipeline", str(tmp_path / "p.yaml")]


def _build(*args):
    return subprocess.run([sys.executable, "-m", "digimeter", "index", "build", *args],
                          capture_output=True, text=True)


def test_weights_csv_holds_every_units_own_weights(tmp_path):
    out = tmp_path / "out"
    proc = _build(*_files(tmp_path, {"method": "amean", "levels": {2: "bod"}}),
                  "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    weights = pd.read_csv(out / "weights.csv").set_index("uCode")
    scores = pd.read_csv(out / "scores.csv").set_index("uCode")
    assert list(weights.columns) == ["a1", "a2", "b1", "b2"]
    assert list(weights.index) == ["U1", "U2", "U3", "U4"]
    assert weights.loc["U2", ["a1", "a2"]].tolist() == pytest.approx([1 / 1.2, 1 / 1.2],
                                                                     abs=1e-9)
    assert scores.loc["U2", "A"] == pytest.approx(5 / 6, abs=1e-9)
    for pillar, kids in (("A", ["a1", "a2"]), ("B", ["b1", "b2"])):
        x = scores[kids].to_numpy()
        w = weights[kids].to_numpy()
        # Each unit's score is its own weighted sum, and no unit beats 1 under its weights.
        assert (x * w).sum(axis=1) == pytest.approx(scores[pillar].to_numpy(), abs=1e-9)
        assert (x @ w.T <= 1 + 1e-9).all()
        assert (w >= -1e-12).all()
    assert scores["Index"].to_numpy() == pytest.approx(
        scores[["A", "B"]].mean(axis=1).to_numpy(), abs=1e-12)


def test_no_weights_csv_without_benefit_of_the_doubt(tmp_path):
    out = tmp_path / "out"
    proc = _build(*_files(tmp_path, {"method": "amean"}), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "scores.csv").exists() and not (out / "weights.csv").exists()


def test_benefit_of_the_doubt_over_missing_values_is_one_line(tmp_path):
    args = _files(tmp_path, {"method": "bod"})
    (tmp_path / "d.csv").write_text(DATA.replace("U4,0.4,0.4", "U4,,0.4"), encoding="utf-8")
    proc = _build(*args, "--out", str(tmp_path / "o"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing or negative values" in lines[0], proc.stderr
    assert "unit U4" in lines[0]


def test_weights_by_code_only_for_the_bod_pillar(tmp_path):
    out = tmp_path / "out"
    proc = _build(*_files(tmp_path, {"method": "amean", "by_code": {"B": "bod"}}),
                  "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    weights = pd.read_csv(out / "weights.csv").set_index("uCode")
    assert list(weights.columns) == ["b1", "b2"]
    assert np.isfinite(weights.to_numpy()).all()
