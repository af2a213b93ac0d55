"""``digimeter index build`` and ``digimeter index uncertainty``: the composite index."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from digimeter.batch import Runner
from digimeter.cli.problems import note
from digimeter.errors import InputError
from digimeter.index.data import IndexData, load
from digimeter.index.examples import example_files
from digimeter.index.output import write_matrix, write_scores_and_ranks
from digimeter.index.pipeline import Pipeline, build, load_pipeline
from digimeter.index.sensitivity import (
    read_design,
    read_spec,
    sample_sa,
    sample_ua,
    sobol,
    to_choices,
)
from digimeter.index.uncertainty import Job, Replicate, nominal, rank_stats, replay
from digimeter.index.weights import read_weight_sets

app = typer.Typer(help="The composite index: build it, and test its robustness.",
                  no_args_is_help=True)

DataOpt = Annotated[Path | None, typer.Option("--data", help="COINr iData (CSV or Excel).")]
MetaOpt = Annotated[Path | None, typer.Option("--meta", help="COINr iMeta (CSV or Excel).")]
PipeOpt = Annotated[Path | None, typer.Option("--pipeline", help="Pipeline YAML.")]
ExampleOpt = Annotated[str | None, typer.Option(
    "--example", help="A bundled example instead of --data/--meta/--pipeline: asem, desi2022.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for the CSV results.")]


def _inputs(data: Path | None, meta: Path | None, pipeline: Path | None,
            example: str | None) -> tuple[list[IndexData], Pipeline]:
    if example:
        data, meta, pipeline = example_files(example)
    missing = [n for n, v in (("--data", data), ("--meta", meta), ("--pipeline", pipeline))
               if v is None]
    if missing:
        raise InputError(f"give {', '.join(missing)} (or --example)", where="index")
    assert data and meta and pipeline
    return load(data, meta), load_pipeline(pipeline)


@app.command("build")
def build_cmd(out: OutOpt, data: DataOpt = None, meta: MetaOpt = None,
              pipeline: PipeOpt = None, example: ExampleOpt = None) -> None:
    """Run the pipeline; write scores.csv and ranks.csv (one subfolder per Time for a panel)."""
    datasets, pipe = _inputs(data, meta, pipeline, example)
    for d in datasets:
        coin = build(d, pipe)
        target = out
        if len(datasets) > 1 and d.units.time is not None:
            target = out / f"{d.units.time[0]:g}"
        write_scores_and_ranks(target, coin.dsets[coin.latest])
        note(f"{len(coin.dsets[coin.latest].units)} units, "
             f"{len(coin.dsets[coin.latest].codes)} columns -> {target}")


@app.command("uncertainty")
def uncertainty_cmd(
    out: OutOpt, data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None,
    design: Annotated[Path | None, typer.Option(
        help="Replay this design (rep, winmax, norm_f_n, norm_para, weight_set, f_ag).")] = None,
    weight_sets: Annotated[Path | None, typer.Option(
        "--weight-sets", help="Weight sets, long form: wset, iCode, Level, Weight.")] = None,
    spec: Annotated[Path | None, typer.Option(
        help="Without --design: YAML of uncertain inputs to draw from.")] = None,
    n: Annotated[int | None, typer.Option("--n", "-n", help="Replicates (SA: base N).")]
    = None,
    seed: Annotated[int | None, typer.Option(help="Random seed for drawing.")] = None,
    sa: Annotated[bool, typer.Option("--sa", help="Sobol design and sensitivity indices.")]
    = False,
    target: Annotated[str | None, typer.Option(help="Aggregate to analyse (default: top).")]
    = None,
    workers: Annotated[int | None, typer.Option(help="Local Dask worker processes.")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address.")] = None,
) -> None:
    """Replicates of the pipeline: scores.csv (uCode, Nominal, r_1..) and rankstats.csv."""
    datasets, pipe = _inputs(data, meta, pipeline, example)
    if len(datasets) != 1:
        raise InputError("uncertainty runs on one Time at a time", where=str(data))
    sets = read_weight_sets(weight_sets) if weight_sets else {}
    job = Job(datasets[0], pipe, sets, target)
    runner = Runner(workers=workers, scheduler=scheduler)
    sobol_n = None
    names: list[str] = []
    if design is not None:
        reps = read_design(design)
    else:
        reps, sobol_n, names = _drawn(spec, sets, n, seed, sa, out)
    scores = replay(job, reps, runner)
    nom = nominal(job)
    cols = ["Nominal", *(f"r_{i}" for i in range(1, len(reps) + 1))]
    write_matrix(out / "scores.csv", "uCode", job.units, cols, np.column_stack([nom, scores]))
    used = scores[:, :2 * sobol_n] if sobol_n else scores
    rs = rank_stats(nom, used)
    write_matrix(out / "rankstats.csv", "uCode", job.units,
                 ["Nominal", "Mean", "Median", "Q5", "Q95"],
                 np.column_stack([rs.nominal, rs.mean, rs.median, rs.q5, rs.q95]))
    if sobol_n:
        _write_sobol(out, nom, scores, sobol_n, names, seed)
    note(f"{len(reps)} replicates ({runner.describe()}) -> {out}")


def _drawn(spec: Path | None, sets: dict[str, Any], n: int | None, seed: int | None, sa: bool,
           out: Path) -> tuple[list[Replicate], int | None, list[str]]:
    if spec is None:
        raise InputError("give --design to replay, or --spec to draw replicates",
                         where="index uncertainty")
    settings, inputs = read_spec(spec, list(sets))
    n = int(n or settings.get("N", 100))
    seed = seed if seed is not None else settings.get("seed")
    sa = sa or str(settings.get("type", "UA")).upper() == "SA"
    rng = np.random.default_rng(seed)
    if sa and len(inputs) < 2:
        raise InputError("a sensitivity analysis needs at least two inputs", where=str(spec))
    u = sample_sa(n, len(inputs), rng) if sa else sample_ua(n, len(inputs), rng)
    reps = to_choices(u, inputs)
    _write_design(out / "design.csv", reps)
    return reps, (n if sa else None), [i.name for i in inputs]


def _write_design(path: Path, reps: list[Replicate]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["rep", "weight_set", "overrides"])
        for i, r in enumerate(reps, start=1):
            w.writerow([i, r.weight_set or "", json.dumps(r.overrides, sort_keys=True)])


def _write_sobol(out: Path, nom: np.ndarray, scores: np.ndarray, n: int, names: list[str],
                 seed: int | None) -> None:
    from digimeter.index.analysis import mean_abs_rank_change

    y = mean_abs_rank_change(nom, scores)
    res = sobol(y, n, len(names), 1000, np.random.default_rng(seed))
    rows = np.column_stack([res.si, res.sti, res.si_q5, res.si_q95, res.sti_q5, res.sti_q95])
    write_matrix(out / "sensitivity_indices.csv", "Variable", names,
                 ["Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95"], rows)
