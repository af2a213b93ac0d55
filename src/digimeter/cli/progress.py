"""``digimeter progress``: every target against its observations."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import Problems, note
from digimeter.errors import InputError
from digimeter.progress import OUTPUT, assess, get_method, load_methods
from digimeter.progress.files import read_observations, read_targets
from digimeter.progress.history import changes as run_changes
from digimeter.progress.store import track

TABLE = ("id", "status", "ratio", "baseline_year", "baseline_value", "latest_year",
         "latest_value", "target_value", "target_year", "projected_value")


CHANGES = ("target", "before", "after", "why")


def _finite(value: object) -> object:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _rows(frame: pd.DataFrame) -> list[dict]:
    return [{k: _finite(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _assess(targets: pd.DataFrame, observations: pd.DataFrame, method) -> pd.DataFrame:  # noqa: ANN001
    if targets.empty:
        return pd.DataFrame(columns=OUTPUT)
    return assess(targets, observations, method)


def progress(
    targets: Annotated[Path | None, typer.Option(
        help="Targets CSV/Excel (id, region_code, indicator, value, unit, comparator, year, "
             "baseline_year, baseline_value); without it, the store's targets.")] = None,
    observations: Annotated[Path | None, typer.Option(
        help="Observations CSV/Excel (region_code, indicator, year, value, unit).")] = None,
    method: Annotated[str, typer.Option(
        help=f"Assessment method: {', '.join(load_methods())}.")] = "open-sdg",
    methods: Annotated[Path | None, typer.Option(
        help="A methods YAML of your own (the format of progress/methods.yaml).")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region code.")] = None,
    confirmed_only: Annotated[bool, typer.Option(
        help="Count only records a person confirmed or corrected.")] = False,
    changes: Annotated[bool, typer.Option(
        help="Show the targets whose status changed since the previous run, and why.")]
    = False,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Assess every target: achieved, on track, moderate, limited, deterioration, missed."""
    chosen = get_method(method, methods)
    problems = Problems()
    if (targets is None) != (observations is None):
        raise InputError("give both --targets and --observations, or neither to use the store",
                         where="--targets" if targets is None else "--observations")
    if targets is not None and observations is not None:
        loaded_t, loaded_o = read_targets(targets), read_observations(observations)
        for error in [*loaded_t.errors, *loaded_o.errors]:
            problems.report(error)
        t_frame, o_frame = loaded_t.frame, loaded_o.frame
        if region:
            t_frame = t_frame[t_frame["region_code"] == region]
        result = _assess(t_frame, o_frame, chosen).assign(conflicts="")
    else:
        engine = store(db)
        result = track(engine, chosen, region, confirmed_only)
        if changes:
            changed = run_changes(engine, chosen.name)
            emit(changed, CHANGES, fmt, title="Changes since the previous run")
            note(f"{len(changed)} targets changed status since the previous run")
            raise typer.Exit(problems.exit_code)
    emit(_rows(result), TABLE if fmt is Format.table else [*OUTPUT, "conflicts"], fmt,
         title=f"Progress ({chosen.name})")
    counts = result["status"].value_counts().to_dict() if not result.empty else {}
    note(f"{len(result)} targets assessed with {chosen.name}: "
         + (", ".join(f"{n} {s}" for s, n in counts.items()) or "none"))
    raise typer.Exit(problems.exit_code)


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
