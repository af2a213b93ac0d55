"""An uncertainty analysis kept with a stored index run: which aggregates and units it must
cover (checked before any replicate is computed), and its rank and score quantiles saved."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from digimeter.batch import Runner
from digimeter.errors import InputError
from digimeter.index.data import IndexData
from digimeter.index.pipeline import Pipeline
from digimeter.index.sensitivity import check_inputs, read_spec, sample_ua, to_choices
from digimeter.index.uncertainty import Job, Replicate, nominal, replay_codes, summary
from digimeter.store.indexes import (
    get_index_run,
    index_scores,
    save_index_uncertainty,
    uncertainty_rows,
)


def run_codes_and_units(engine: Engine, run_id: int, job: Job) -> tuple[list[str], list[str]]:
    """The target and every aggregate of the stored run, and the run's units."""
    run = get_index_run(engine, run_id)
    stored = {e.code for e in run.framework}
    where = f"--save-to {run_id}"
    if job.target_code not in stored:
        raise InputError(f"index run {run_id} ({run.name}) has no element {job.target_code}",
                         where=where)
    fw = job.data.framework
    codes = [job.target_code, *(c for level in range(fw.max_level, 1, -1)
                                for c in fw.level_codes(level)
                                if c in stored and c != job.target_code)]
    units = sorted({s.unit_code for s in index_scores(engine, run_id, level=run.max_level)})
    foreign = [u for u in units if u not in job.units]
    if foreign:
        raise InputError(f"index run {run_id} ({run.name}) has unit {foreign[0]!r}, which this "
                         "analysis does not: is it the same index?", where=where)
    return codes, units


def save_quantiles(engine: Engine, run_id: int, job: Job, codes: Sequence[str],
                   units: Sequence[str], noms: np.ndarray, every: np.ndarray) -> None:
    """Rank and score quantiles of each of ``codes`` over the replicates ``every``
    (units × replicates × codes), for the run's units."""
    keep = job.data.units.lookup(list(units))
    rows = []
    for k, code in enumerate(codes):
        stats = summary(noms[:, k], every[:, :, k])
        rows += uncertainty_rows(run_id, list(units), code,
                                 {f: v[keep] for f, v in stats.items()})
    save_index_uncertainty(engine, run_id, rows)


def draw(job: Job, spec: Path, n: int | None = None, seed: int | None = None
         ) -> list[Replicate]:
    """Replicates drawn from a specification of uncertain inputs (without weight sets)."""
    settings, inputs = read_spec(spec)
    check_inputs(job, inputs, str(spec))
    rng = np.random.default_rng(seed if seed is not None else settings.get("seed"))
    return to_choices(sample_ua(int(n or settings.get("N", 100)), len(inputs), rng), inputs)


def analyse_run(engine: Engine, run_id: int, data: IndexData, pipeline: Pipeline,
                spec: Path, runner: Runner | None = None) -> int:
    """Draw the replicates of ``spec``, and store the quantiles of the index and every
    aggregate with run ``run_id``; the number of replicates."""
    job = Job(data, pipeline, {}, None)
    codes, units = run_codes_and_units(engine, run_id, job)
    reps = draw(job, spec)
    every = replay_codes(job, reps, codes, runner or Runner())
    save_quantiles(engine, run_id, job, codes, units, nominal(job, codes), every)
    return len(reps)
