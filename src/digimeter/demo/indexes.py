"""The indices the demo keeps in its store: each built from its example or from the store's
observations, saved once (a re-run finds it and stores nothing new), and given the
uncertainty analysis the manifest names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from digimeter.index.data import load
from digimeter.index.examples import example_files
from digimeter.index.pipeline import build, load_pipeline
from digimeter.index.runs import analyse_run
from digimeter.index.stored import from_store
from digimeter.store.indexes import list_index_runs, save_index_run


@dataclass
class IndexOutcome:
    name: str
    run_id: int
    units: int
    replicates: int
    new: bool


def build_index(engine: Engine, spec: dict[str, Any], here: Path) -> IndexOutcome:
    """One ``indexes:`` entry of the manifest: ``example`` or ``framework`` (with
    ``pipeline`` and ``year``), a ``name`` and an ``uncertainty`` specification."""
    if "example" in spec:
        data_file, meta_file, pipe_file = example_files(spec["example"])
        datasets = load(data_file, meta_file)
        source = f"example:{spec['example']}"
    else:
        pipe_file = here / spec["pipeline"]
        datasets = from_store(engine, here / spec["framework"], spec.get("year"))
        source = "store"
    data, pipeline = datasets[0], load_pipeline(pipe_file)
    year = int(data.units.time[0]) if len(data.units.time) else None
    for run in list_index_runs(engine):
        if (run.name, run.source, run.year) == (spec["name"], source, year):
            return IndexOutcome(run.name, run.id, len(data.units.codes), 0, new=False)
    coin = build(data, pipeline)
    run_id = save_index_run(engine, coin, name=spec["name"], year=year, source=source,
                            settings_text=pipe_file.read_text(encoding="utf-8"),
                            actor="digimeter demo")
    replicates = 0
    if spec.get("uncertainty"):
        replicates = analyse_run(engine, run_id, data, pipeline, here / spec["uncertainty"])
    return IndexOutcome(spec["name"], run_id, len(data.units.codes), replicates, new=True)
