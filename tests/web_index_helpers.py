"""Index runs over Chinese regions for the web tests: one of eight provinces (with an
uncertainty analysis stored through the real CLI), one of the four NBS macro-regions, and
the DESI 2022 example (units that are not regions)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from digimeter.index.data import load
from digimeter.index.examples import example_files
from digimeter.index.pipeline import build, load_pipeline
from digimeter.store import open_store
from digimeter.store.indexes import save_index_run
from tests.conftest import run_cli

PROVINCES = {"110000": "北京市", "310000": "上海市", "440000": "广东省", "330000": "浙江省",
             "320000": "江苏省", "510000": "四川省", "420000": "湖北省", "610000": "陕西省"}
GROUPS = {"CN-E": "东部地区", "CN-C": "中部地区", "CN-W": "西部地区", "CN-NE": "东北地区"}
META = """Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type
1,fiveg,5G base stations per 10k people,1,1,count,,,Infra,Indicator
1,gigabit,Gigabit broadband share,1,1,percent,,,Infra,Indicator
1,software,Software revenue per head,1,2,CNY,,,Industry,Indicator
1,ecommerce,Online retail share,1,1,percent,,,Industry,Indicator
2,Infra,Digital infrastructure,1,1,,,,Index,Aggregate
2,Industry,Digital industry,1,1,,,,Index,Aggregate
3,Index,Digital economy index,1,1,,,,,Aggregate
"""
PIPELINE = {"steps": [{"normalise": {"method": "minmax", "params": [0, 100]}},
                      {"aggregate": {"method": "amean"}}]}
SPEC = {"N": 40, "seed": 11, "inputs": {
    "aggregation": ["amean", "gmean"],
    "normalisation": [{"method": "minmax", "params": [1, 100]},
                      {"method": "rank", "params": []}]}}


def write_inputs(folder: Path, units: dict[str, str], seed: int) -> tuple[Path, Path, Path]:
    """iData with values drawn once from a seeded generator, iMeta and a pipeline."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"uName": list(units.values()), "uCode": list(units),
                         "Time": 2023, "fiveg": rng.uniform(5, 40, len(units)),
                         "gigabit": rng.uniform(5, 30, len(units)),
                         "software": rng.uniform(1e3, 5e4, len(units)),
                         "ecommerce": rng.uniform(10, 40, len(units))})
    paths = folder / "iData.csv", folder / "iMeta.csv", folder / "pipeline.yaml"
    data.to_csv(paths[0], index=False)
    paths[1].write_text(META, encoding="utf-8")
    paths[2].write_text(yaml.safe_dump(PIPELINE), encoding="utf-8")
    return paths


def save(url: str, paths: tuple[Path, Path, Path], name: str) -> int:
    engine = open_store(url)
    coin = build(load(paths[0], paths[1])[0], load_pipeline(paths[2]))
    run_id = save_index_run(engine, coin, name=name, year=None,
                            source=f"files:{paths[0].name}",
                            settings_text=paths[2].read_text(encoding="utf-8"))
    engine.dispose()
    return run_id


def store_runs(url: str, folder: Path) -> dict[str, int | Path]:
    """The three runs; the provinces' run with 40 replicates of uncertainty analysis."""
    (folder / "prov").mkdir()
    (folder / "group").mkdir()
    prov = write_inputs(folder / "prov", PROVINCES, seed=7)
    groups = write_inputs(folder / "group", GROUPS, seed=8)
    desi_data, desi_meta, desi_pipe = example_files("desi2022")
    engine = open_store(url)
    desi = save_index_run(engine, build(load(desi_data, desi_meta)[0], load_pipeline(desi_pipe)),
                          name="DESI 2022", year=None, source="example:desi2022",
                          settings_text=desi_pipe.read_text(encoding="utf-8"))
    engine.dispose()
    ids = {"desi": desi, "groups": save(url, groups, "Macro-regions"),
           "provinces": save(url, prov, "Provinces")}
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    run_cli("index", "uncertainty", "--data", str(prov[0]), "--meta", str(prov[1]),
            "--pipeline", str(prov[2]), "--spec", str(spec), "--out", str(folder / "ua"),
            "--save-to", str(ids["provinces"]), "--db", url, check=True)
    return {**ids, "prov_data": prov[0], "prov_meta": prov[1], "prov_pipeline": prov[2],
            "ua": folder / "ua"}
