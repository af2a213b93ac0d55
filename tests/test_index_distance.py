"""``digimeter index distance``: how far a unit is from a benchmark unit, and which
indicators make the gap."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from digimeter.errors import InputError
from digimeter.index.analysis import distance
from digimeter.index.data import load
from digimeter.index.examples import example_files
from digimeter.index.framework import effective_weights
from digimeter.index.pipeline import build, load_pipeline, parse_pipeline


def _coin(name: str = "asem"):
    data, meta, pipe = example_files(name)
    return build(load(data, meta)[0], load_pipeline(pipe))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digimeter", "index", "distance", *args],
                          capture_output=True, text=True)


def test_indicator_contributions_add_up_to_the_index_gap():
    coin = _coin()
    table = coin.dset()
    rows = distance(coin, "CHN", "DEU", 0)
    aggs = [r for r in rows if r["kind"] == "aggregate"]
    inds = [r for r in rows if r["kind"] == "indicator"]
    assert aggs[0]["iCode"] == "Index" and aggs[0]["share"] == 1.0
    gap = table.column("Index")[table.units.index("DEU")] \
        - table.column("Index")[table.units.index("CHN")]
    assert aggs[0]["gap"] == pytest.approx(gap, abs=1e-12)
    # ASEM aggregates by arithmetic means over complete (imputed) data: exact decomposition.
    assert sum(r["contribution"] for r in inds) == pytest.approx(gap, abs=1e-9)
    assert sum(r["share"] for r in inds) == pytest.approx(1.0, abs=1e-9)
    pillars = [r for r in aggs if r["level"] == 2]
    assert sum(r["contribution"] for r in pillars) == pytest.approx(gap, abs=1e-9)
    contributions = [r["contribution"] for r in inds]
    assert contributions == sorted(contributions, reverse=True)
    eff = effective_weights(coin.framework, coin.weights)
    first = inds[0]
    assert first["contribution"] == pytest.approx(eff[first["iCode"]] * first["gap"],
                                                  abs=1e-12)
    assert len(distance(coin, "CHN", "DEU", 3)) == len(aggs) + 3


def test_desi_distance_to_the_leader():
    coin = _coin("desi2022")
    rows = distance(coin, "RO", "FI", 5)
    top = rows[0]
    assert top["iCode"] == "DESI" and top["gap"] > 0
    assert [r["level"] for r in rows if r["kind"] == "aggregate"] == sorted(
        (r["level"] for r in rows if r["kind"] == "aggregate"), reverse=True)


def test_bad_units():
    coin = _coin()
    with pytest.raises(InputError, match="unit 'XYZ' is not in the data") as info:
        distance(coin, "XYZ", "DEU")
    assert info.value.where == "--unit"
    with pytest.raises(InputError, match="its own benchmark"):
        distance(coin, "DEU", "DEU")


def test_cli_prints_csv_and_jsonl(tmp_path):
    proc = _cli("--example", "asem", "--unit", "CHN", "--benchmark", "DEU", "--n", "4",
                "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["kind"] for r in rows].count("indicator") == 4
    assert set(rows[0]) == {"kind", "iCode", "iName", "level", "unit", "benchmark", "gap",
                            "contribution", "share"}
    proc = _cli("--example", "asem", "--unit", "CHN", "--benchmark", "DEU", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "kind,iCode,iName,level,unit,benchmark,gap,contribution,share"
    assert lines[1].startswith("aggregate,Index,")


@pytest.mark.parametrize("args, fragment", [
    (["--unit", "XYZ", "--benchmark", "DEU"], "--unit: unit 'XYZ' is not in the data"),
    (["--unit", "CHN", "--benchmark", "QQQ"], "--benchmark: unit 'QQQ' is not in the data"),
    (["--unit", "CHN", "--benchmark", "CHN"], "CHN is its own benchmark"),
    (["--unit", "CHN", "--benchmark", "DEU", "--n", "-1"], "--n -1 is negative"),
    (["--unit", "CHN", "--benchmark", "DEU", "--data", "x.csv"],
     "give one of --example, --data/--meta or --store"),
    (["--unit", "CHN", "--benchmark", "DEU", "--time", "1999"], "no Time 1999"),
])
def test_cli_bad_input_is_one_line(args, fragment):
    proc = _cli("--example", "asem", *args)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr


def test_screened_out_units_say_so():
    data, meta, _ = example_files("asem")
    coin = build(load(data, meta)[0], parse_pipeline({"steps": [
        {"screen": {"dat_thresh": 0.95, "by": "na"}}, {"impute": {"method": "mean"}},
        {"normalise": {}}, {"aggregate": {}}]}))
    dropped = [u for u in coin.data.units.codes if u not in coin.dset().units]
    assert dropped
    with pytest.raises(InputError, match="screened out"):
        distance(coin, dropped[0], coin.dset().units[0])
