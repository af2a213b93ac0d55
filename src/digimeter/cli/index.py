"""``digimeter index``: build the composite index and store it, test its robustness, and read
it (a unit's profile, correlations, the distance to a benchmark unit)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from sqlalchemy import Engine

from digimeter.batch import Runner
from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import note
from digimeter.errors import InputError
from digimeter.index.analysis import correlations, distance, unit_profile
from digimeter.index.data import IndexData, load
from digimeter.index.examples import example_files
from digimeter.index.output import write_matrix, write_scores_and_ranks
from digimeter.index.pipeline import Coin, Pipeline, build_panel, load_pipeline
from digimeter.index.runs import Drawn, draw, run_codes_and_units, save_quantiles
from digimeter.index.sensitivity import (
    read_design,
    sobol,
)
from digimeter.index.stored import from_store
from digimeter.index.uncertainty import (
    Job,
    Replicate,
    nominal,
    rank_stats,
    replay_codes,
)
from digimeter.index.weights import read_weight_sets
from digimeter.store.indexes import (
    get_index_run,
    list_index_runs,
    save_index_run,
)

app = typer.Typer(help="The composite index: build it, store it, and test its robustness.",
                  no_args_is_help=True)

DataOpt = Annotated[Path | None, typer.Option("--data", help="COINr iData (CSV or Excel).")]
MetaOpt = Annotated[Path | None, typer.Option("--meta", help="COINr iMeta (CSV or Excel).")]
PipeOpt = Annotated[Path | None, typer.Option(
    "--pipeline", help="Pipeline YAML (with --example: instead of the example's own).")]
ExampleOpt = Annotated[str | None, typer.Option(
    "--example", help="A bundled example instead of --data/--meta: asem, desi2022.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for the CSV results.")]
StoreOpt = Annotated[bool, typer.Option(
    "--store", help="Indicators from the store instead of --data/--meta.")]
FrameworkOpt = Annotated[Path | None, typer.Option(
    "--framework", help="With --store: iMeta whose Indicator codes are taxonomy indicator ids.")]
YearOpt = Annotated[int | None, typer.Option(
    "--year", help="With --store: the year (default: every year with data).")]
SourceOpt = Annotated[str | None, typer.Option(
    "--source", help="With --store: only observations from this source.")]
TimeOpt = Annotated[float | None, typer.Option(
    "--time", help="For a panel: the Time to use (default: the latest).")]


@dataclass(frozen=True)
class Inputs:
    """What a command runs on, and how a stored run names it."""

    datasets: list[IndexData]
    pipeline: Pipeline
    source: str  # example:<name>, files:<iData name>, store
    settings: str  # the pipeline YAML text


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read pipeline: {exc}", where=str(path)) from None


def _load(data: Path | None, meta: Path | None, pipeline: Path | None, example: str | None,
          from_db: bool = False, framework: Path | None = None, year: int | None = None,
          source: str | None = None, db: str | None = None) -> Inputs:
    """The input named by --example, --data/--meta or --store (exactly one of them)."""
    given = [n for n, v in (("--example", example), ("--data", data or meta),
                            ("--store", from_db)) if v]
    if len(given) > 1:
        raise InputError(f"give one of --example, --data/--meta or --store, not "
                         f"{' and '.join(given)}", where="index")
    if from_db:
        return _stored(db, framework, pipeline, year, source)
    origin = f"files:{data.name}" if data else ""
    if example:
        edata, meta, epipe = example_files(example)
        data, pipeline, origin = edata, pipeline or epipe, f"example:{example}"
    missing = [n for n, v in (("--data", data), ("--meta", meta), ("--pipeline", pipeline))
               if v is None]
    if missing:
        raise InputError(f"give {', '.join(missing)} (or --example, or --store)", where="index")
    assert data and meta and pipeline
    pipe = load_pipeline(pipeline)
    return Inputs(load(data, meta), pipe, origin, _read_text(pipeline))


def _stored(db: str | None, framework: Path | None, pipeline: Path | None, year: int | None,
            source: str | None) -> Inputs:
    missing = [n for n, v in (("--framework", framework), ("--pipeline", pipeline))
               if v is None]
    if missing:
        raise InputError(f"--store needs {', '.join(missing)}", where="index")
    assert framework and pipeline
    pipe = load_pipeline(pipeline)
    engine = store(db)
    try:
        return Inputs(from_store(engine, framework, year, source), pipe, "store",
                      _read_text(pipeline))
    finally:
        engine.dispose()


def _write_results(target: Path, coin: Coin) -> None:
    """scores.csv and ranks.csv; weights.csv when benefit of the doubt chose each unit's."""
    table = coin.dsets[coin.latest]
    write_scores_and_ranks(target, table)
    bod = coin.analysis.get("BoD")
    if bod is not None:
        write_matrix(target / "weights.csv", "uCode", table.units, bod["codes"],
                     bod["weights"])


@app.command("build")
def build_cmd(
    out: Annotated[Path | None, typer.Option(
        "--out", help="Folder for scores.csv and ranks.csv (and weights.csv for benefit of "
                      "the doubt).")] = None,
    data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, from_db: StoreOpt = False, framework: FrameworkOpt = None,
    year: YearOpt = None, source: SourceOpt = None, db: DbOption = None,
    save: Annotated[str | None, typer.Option(
        "--save", help="Store the run under this name (in --db); prints its id.")] = None,
    actor: Annotated[str | None, typer.Option(
        "--actor", envvar="DIGIMETER_ACTOR", help="With --save: who ran it.")] = None,
) -> None:
    """Run the pipeline; write scores.csv and ranks.csv (one subfolder per Time for a panel)
    and/or store the run (one run per Time)."""
    if out is None and save is None:
        raise InputError("give --out, --save NAME, or both", where="index build")
    if save is not None and not save.strip():
        raise InputError("an index run needs a name", where="--save")
    engine = store(db) if save is not None else None  # a bad --db fails before the build
    try:
        inputs = _load(data, meta, pipeline, example, from_db, framework, year, source, db)
        coins = build_panel(inputs.datasets, inputs.pipeline)
        if out is not None:
            for d, coin in zip(inputs.datasets, coins, strict=True):
                target = out
                if len(inputs.datasets) > 1 and d.units.time is not None:
                    target = out / f"{d.units.time[0]:g}"
                _write_results(target, coin)
                table = coin.dsets[coin.latest]
                note(f"{len(table.units)} units, {len(table.codes)} columns -> {target}")
        if engine is not None and save is not None:
            _save_runs(engine, coins, save, year, inputs, actor)
    finally:
        if engine is not None:
            engine.dispose()


def _save_runs(engine: Engine, coins: list[Coin], name: str, year: int | None,
               inputs: Inputs, actor: str | None) -> None:
    for coin in coins:
        run_id = save_index_run(engine, coin, name=name, year=year, source=inputs.source,
                                settings_text=inputs.settings, actor=actor)
        typer.echo(run_id)
        run = get_index_run(engine, run_id)
        when = f", {run.year}" if run.year is not None else ""
        note(f"stored index run {run_id} ({run.name}{when})")


@app.command("runs")
def runs_cmd(db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """Stored index runs, newest first."""
    engine = store(db)
    try:
        runs = list_index_runs(engine)
    finally:
        engine.dispose()
    emit(({"id": r.id, "name": r.name, "year": r.year, "source": r.source,
           "units_kind": r.units_kind, "elements": len(r.framework),
           "created_at": r.created_at, "actor": r.actor} for r in runs),
         ["id", "name", "year", "source", "units_kind", "elements", "created_at", "actor"],
         fmt)


@app.command("uncertainty")
def uncertainty_cmd(
    out: OutOpt, data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, from_db: StoreOpt = False, framework: FrameworkOpt = None,
    year: YearOpt = None, source: SourceOpt = None,
    design: Annotated[Path | None, typer.Option(
        help="Replay this design (rep, winmax, norm_f_n, norm_para, weight_set, f_ag, f_i, "
             "impute_group, overrides).")] = None,
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
    save_to: Annotated[int | None, typer.Option(
        "--save-to", help="Store rank and score quantiles of the target and every aggregate "
                          "with this stored index run (in --db).")] = None,
    db: DbOption = None,
) -> None:
    """Replicates of the pipeline: scores.csv (uCode, Nominal, r_1..) and rankstats.csv."""
    inputs = _load(data, meta, pipeline, example, from_db, framework, year, source, db)
    if len(inputs.datasets) != 1:
        raise InputError("uncertainty runs on one Time at a time"
                         + (": give --year" if from_db else ""), where="index uncertainty")
    sets = read_weight_sets(weight_sets) if weight_sets else {}
    job = Job(inputs.datasets[0], inputs.pipeline, sets, target)
    codes, units, engine = [job.target_code], list(job.units), None
    if save_to is not None:
        engine = store(db)
    try:
        if engine is not None and save_to is not None:
            codes, units = run_codes_and_units(engine, save_to, job)
        runner = Runner(workers=workers, scheduler=scheduler)
        drawn = (Drawn(read_design(design), None, []) if design is not None
                 else _drawn(job, spec, sets, n, seed, sa, out))
        reps = drawn.replicates
        every = replay_codes(job, reps, codes, runner)
        noms = nominal(job, codes)
        scores, nom = every[:, :, 0], noms[:, 0]
        cols = ["Nominal", *(f"r_{i}" for i in range(1, len(reps) + 1))]
        write_matrix(out / "scores.csv", "uCode", job.units, cols,
                     np.column_stack([nom, scores]))
        used = drawn.for_ranks(every)
        rs = rank_stats(nom, used[:, :, 0])
        write_matrix(out / "rankstats.csv", "uCode", job.units,
                     ["Nominal", "Mean", "Median", "Q5", "Q95"],
                     np.column_stack([rs.nominal, rs.mean, rs.median, rs.q5, rs.q95]))
        if drawn.sobol_n:
            _write_sobol(out, nom, scores, drawn.sobol_n, drawn.names, seed)
        note(f"{len(reps)} replicates ({runner.describe()}) -> {out}")
        empty = int(np.isnan(scores).all(axis=0).sum())
        if empty:
            note(f"{empty} of {len(reps)} replicates gave no score to any unit (a geometric or "
                 "harmonic mean over values that are not positive?); rank statistics leave "
                 "them out")
        if engine is not None and save_to is not None:
            save_quantiles(engine, save_to, job, codes, units, noms, used)
            note(f"stored the uncertainty of {len(codes)} element(s) with index run {save_to}")
    finally:
        if engine is not None:
            engine.dispose()


def _drawn(job: Job, spec: Path | None, sets: dict[str, Any], n: int | None, seed: int | None,
           sa: bool, out: Path) -> Drawn:
    if spec is None:
        raise InputError("give --design to replay, or --spec to draw replicates",
                         where="index uncertainty")
    drawn = draw(job, spec, list(sets), n, seed, sa)
    _write_design(out / "design.csv", drawn.replicates)
    return drawn


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


def _coin(inputs: Inputs, time: float | None) -> Coin:
    coins = build_panel(inputs.datasets, inputs.pipeline)
    if time is None:
        return coins[-1]
    for d, coin in zip(inputs.datasets, coins, strict=True):
        if d.units.time is not None and d.units.time[0] == time:
            return coin
    raise InputError(f"no Time {time:g} in the data", where="--time")


@app.command("profile")
def profile_cmd(
    unit: Annotated[str, typer.Option(help="The unit's uCode.")],
    data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, from_db: StoreOpt = False, framework: FrameworkOpt = None,
    year: YearOpt = None, source: SourceOpt = None, db: DbOption = None,
    time: TimeOpt = None,
    n: Annotated[int, typer.Option("--n", help="Strengths and weaknesses to list.")] = 5,
    fmt: FormatOption = Format.table,
) -> None:
    """A unit's scores and ranks on every aggregate, and its strongest and weakest
    indicators."""
    coin = _coin(_load(data, meta, pipeline, example, from_db, framework, year, source, db),
                 time)
    rows = [{**r, "value": _number(r["value"])}  # type: ignore[arg-type]
            for r in unit_profile(coin.dset(), coin.framework, unit, n)]
    emit(rows, ["kind", "iCode", "iName", "level", "value", "rank", "of"], fmt,
         title=f"{unit}")


@app.command("correlations")
def correlations_cmd(
    data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, from_db: StoreOpt = False, framework: FrameworkOpt = None,
    year: YearOpt = None, source: SourceOpt = None, db: DbOption = None,
    time: TimeOpt = None,
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
    coin = _coin(_load(data, meta, pipeline, example, from_db, framework, year, source, db),
                 time)
    rows = correlations(coin.dset(dset), coin.framework, levels[0], levels[1], method,
                        withparent, pval)
    emit(({"var1": r.var1, "var2": r.var2, "correlation": _number(r.value),
           "pvalue": _number(r.pvalue)} for r in rows),
         ["var1", "var2", "correlation", "pvalue"], fmt)


DISTANCE = ("kind", "iCode", "iName", "level", "unit", "benchmark", "gap", "contribution",
            "share")


@app.command("distance")
def distance_cmd(
    unit: Annotated[str, typer.Option(help="The unit's uCode.")],
    benchmark: Annotated[str, typer.Option(help="The benchmark unit's uCode.")],
    data: DataOpt = None, meta: MetaOpt = None, pipeline: PipeOpt = None,
    example: ExampleOpt = None, from_db: StoreOpt = False, framework: FrameworkOpt = None,
    year: YearOpt = None, source: SourceOpt = None, db: DbOption = None,
    time: TimeOpt = None,
    n: Annotated[int, typer.Option("--n", help="Indicators to list (0: all).")] = 10,
    fmt: FormatOption = Format.table,
) -> None:
    """How far a unit is from a benchmark unit: the gap (benchmark - unit) on every aggregate,
    then the indicators that make most of it. An element's contribution is its gap times its
    effective weight in the index; share is that over the index gap (exact for arithmetic
    means without missing values, a first-order reading otherwise)."""
    if n < 0:
        raise InputError(f"--n {n} is negative", where="--n")
    coin = _coin(_load(data, meta, pipeline, example, from_db, framework, year, source, db),
                 time)
    rows = distance(coin, unit, benchmark, n)
    emit(({k: (_number(v) if isinstance(v, float) else v) for k, v in r.items()}
          for r in rows), DISTANCE, fmt, title=f"{unit} to {benchmark}")


def _number(value: float) -> float | None:
    return None if np.isnan(value) else value
