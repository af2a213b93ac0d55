"""``digimeter index build``, ``uncertainty``, ``profile`` and ``correlations``: the
composite index."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from digimeter.batch import Runner
from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import note
from digimeter.errors import InputError
from digimeter.index.analysis import correlations, unit_profile
from digimeter.index.data import IndexData, load
from digimeter.index.examples import example_files
from digimeter.index.output import write_matrix, write_scores_and_ranks
from digimeter.index.pipeline import Coin, Pipeline, build_panel, load_pipeline
from digimeter.index.sensitivity import (
    read_design,
    read_spec,
    sample_sa,
    sample_ua,
    sobol,
    to_choices,
)
from digimeter.index.stored import from_store
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


def _stored(db: str | None, framework: Path | None, pipeline: Path | None, year: int | None,
            source: str | None) -> tuple[list[IndexData], Pipeline]:
    missing = [n for n, v in (("--framework", framework), ("--pipeline", pipeline))
               if v is None]
    if missing:
        raise InputError(f"--store needs {', '.join(missing)}", where="index build")
    assert framework and pipeline
    pipe = load_pipeline(pipeline)
    engine = store(db)
    try:
        return from_store(engine, framework, year, source), pipe
    finally:
        engine.dispose()


@app.command("build")
def build_cmd(
    out: OutOpt, data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None,
    from_db: Annotated[bool, typer.Option(
        "--store", help="Indicators from the store instead of --data/--meta.")] = False,
    framework: Annotated[Path | None, typer.Option(
        help="With --store: iMeta whose Indicator codes are taxonomy indicator ids.")] = None,
    year: Annotated[int | None, typer.Option(
        help="With --store: the year (default: every year with data, one folder each).")]
    = None,
    source: Annotated[str | None, typer.Option(
        help="With --store: only observations from this source.")] = None,
    db: DbOption = None,
) -> None:
    """Run the pipeline; write scores.csv and ranks.csv (one subfolder per Time for a panel)."""
    if from_db:
        datasets, pipe = _stored(db, framework, pipeline, year, source)
    else:
        datasets, pipe = _inputs(data, meta, pipeline, example)
    for d, coin in zip(datasets, build_panel(datasets, pipe), strict=True):
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


TimeOpt = Annotated[float | None, typer.Option(
    "--time", help="For a panel: the Time to use (default: the latest).")]


def _coin(data: Path | None, meta: Path | None, pipeline: Path | None, example: str | None,
          time: float | None) -> Coin:
    datasets, pipe = _inputs(data, meta, pipeline, example)
    coins = build_panel(datasets, pipe)
    if time is None:
        return coins[-1]
    for d, coin in zip(datasets, coins, strict=True):
        if d.units.time is not None and d.units.time[0] == time:
            return coin
    raise InputError(f"no Time {time:g} in the data", where=str(data))


@app.command("profile")
def profile_cmd(
    unit: Annotated[str, typer.Option(help="The unit's uCode.")],
    data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, time: TimeOpt = None,
    n: Annotated[int, typer.Option("--n", help="Strengths and weaknesses to list.")] = 5,
    fmt: FormatOption = Format.table,
) -> None:
    """A unit's scores and ranks on every aggregate, and its strongest and weakest
    indicators."""
    coin = _coin(data, meta, pipeline, example, time)
    rows = [{**r, "value": _number(r["value"])}  # type: ignore[arg-type]
            for r in unit_profile(coin.dset(), coin.framework, unit, n)]
    emit(rows, ["kind", "iCode", "iName", "level", "value", "rank", "of"], fmt,
         title=f"{unit}")


@app.command("correlations")
def correlations_cmd(
    data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, time: TimeOpt = None,
    levels: Annotated[tuple[int, int], typer.Option(
        help="Two levels to correlate, e.g. --levels 1 2.")] = (1, 2),
    method: Annotated[str, typer.Option(help="pearson, spearman or kendall.")] = "pearson",
    withparent: Annotated[bool, typer.Option(
        "--withparent/--all", help="Each code only against its ancestor.")] = True,
    pval: Annotated[float, typer.Option(
        help="Blank correlations whose p-value is above this (0: keep all).")] = 0.0,
    dset: Annotated[str | None, typer.Option(help="Data set (default: the latest).")]
    = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Correlations between two levels with their p-values (COINr's get_corr)."""
    coin = _coin(data, meta, pipeline, example, time)
    rows = correlations(coin.dset(dset), coin.framework, levels[0], levels[1], method,
                        withparent, pval)
    emit(({"var1": r.var1, "var2": r.var2, "correlation": _number(r.value),
           "pvalue": _number(r.pvalue)} for r in rows),
         ["var1", "var2", "correlation", "pvalue"], fmt)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else value
