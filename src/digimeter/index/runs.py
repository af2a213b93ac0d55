"""An uncertainty analysis kept with a stored index run: which aggregates and units it must
cover (checked before any replicate is computed), and its rank and score quantiles saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from digimeter.batch import Runner
from digimeter.errors import InputError
from digimeter.index.data import IndexData
from digimeter.index.pipeline import Pipeline
from digimeter.index.sensitivity import (
    check_inputs,
    read_spec,
    sample_sa,
    sample_ua,
    to_choices,
)
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


@dataclass(frozen=True)
class Drawn:
    """Replicates drawn from a specification; ``sobol_n`` is N when they are a Sobol design
    (its first 2N replicates are the A and B matrices), else None."""

    replicates: list[Replicate]
    sobol_n: int | None
    names: list[str]

    def for_ranks(self, every: np.ndarray) -> np.ndarray:
        """The replicates (second axis) that rank statistics are taken over."""
        return every[:, :2 * self.sobol_n] if self.sobol_n else every


def draw(job: Job, spec: Path, weight_sets: Sequence[str] = (), n: int | None = None,
         seed: int | None = None, sa: bool = False) -> Drawn:
    """Replicates drawn from a YAML specification of uncertain inputs (``N``, ``seed`` and
    ``type`` there, unless given here), every alternative tried once before drawing."""
    settings, inputs = read_spec(spec, list(weight_sets))
    n = int(n or settings.get("N", 100))
    seed = seed if seed is not None else settings.get("seed")
    sa = sa or str(settings.get("type", "UA")).upper() == "SA"
    if sa and len(inputs) < 2:
        raise InputError("a sensitivity analysis needs at least two inputs", where=str(spec))
    check_inputs(job, inputs, str(spec))
    rng = np.random.default_rng(seed)
    u = sample_sa(n, len(inputs), rng) if sa else sample_ua(n, len(inputs), rng)
    return Drawn(to_choices(u, inputs), n if sa else None, [i.name for i in inputs])


def analyse_run(engine: Engine, run_id: int, data: IndexData, pipeline: Pipeline,
                spec: Path, runner: Runner | None = None) -> int:
    """Draw the replicates of ``spec``, and store the quantiles of the index and every
    aggregate with run ``run_id``; the number of replicates."""
    job = Job(data, pipeline, {}, None)
    codes, units = run_codes_and_units(engine, run_id, job)
    drawn = draw(job, spec)
    every = replay_codes(job, drawn.replicates, codes, runner or Runner())
    save_quantiles(engine, run_id, job, codes, units, nominal(job, codes),
                   drawn.for_ranks(every))
    return len(drawn.replicates)
