"""``digimeter data import`` and ``digimeter observations``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import Problems, note
from digimeter.errors import DigimeterError, InputError
from digimeter.imports import import_file
from digimeter.imports.tables import FIELDS, Crosswalk, Mapping
from digimeter.progress.files import read_targets
from digimeter.store.observations import all_vintages, latest
from digimeter.store.targets import write_targets

app = typer.Typer(help="Indicator data: import yearbook tables.", no_args_is_help=True)

OBS_COLUMNS = ("region_code", "indicator", "period", "value", "unit", "source", "vintage",
               "origin", "value_published", "unit_published", "source_url")


def _date(value: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", where=option) from None


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="CSV or Excel files.")],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(
        help="Source of every row (else a source column).")] = None,
    unit: Annotated[str | None, typer.Option(
        help="Unit of every value (亿元, 万户, %, or 'base'); else a unit column.")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help=f"FIELD=COLUMN, FIELD one of {', '.join(FIELDS)}.")] = None,
    layout: Annotated[str, typer.Option(help="auto, long or wide (one column per year).")]
    = "auto",
    sheet: Annotated[str | None, typer.Option(help="Excel sheet name.")] = None,
    vintage: Annotated[str | None, typer.Option(
        help="Vintage of these figures (default: now).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")]
    = None,
    crosswalk: Annotated[Path | None, typer.Option(
        help="CSV (field,from,to,note) mapping the file's own codes to the project's.")]
    = None,
) -> None:
    """Import observations; bad rows are reported and skipped, the rest go in."""
    if layout not in ("auto", "long", "wide"):
        raise InputError(f"layout {layout!r} is not auto, long or wide", where="--layout")
    engine = store(db)
    mapping = Mapping.parse(map_)
    pub = _date(published, "--published")
    walk = Crosswalk.read(crosswalk) if crosswalk else None
    problems = Problems()
    for path in files:
        try:
            result = import_file(engine, path, source=source, mapping=mapping, unit=unit,
                                 layout=layout, sheet=sheet, vintage=vintage, published=pub,
                                 crosswalk=walk)
        except DigimeterError as exc:
            exc.where = exc.where or str(path)
            problems.report(exc)
            continue
        for error in result.errors:
            problems.report(error)
        note(f"{path}: {result.rows} rows, {result.stored} stored, {result.unchanged} "
             f"unchanged, {result.skipped} left out by the crosswalk, "
             f"{len(result.errors)} rejected")
    raise typer.Exit(problems.exit_code)


@app.command("targets")
def targets_(
    files: Annotated[list[Path], typer.Argument(help="CSV or Excel plan-target tables.")],
    source: Annotated[str, typer.Option(help="The plan or publication the targets are from.")],
    db: DbOption = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN for a file's own column names.")] = None,
    region: Annotated[str | None, typer.Option(
        help="Region of every row, when the file has no region column.")] = None,
    source_url: Annotated[str | None, typer.Option(help="Address of the plan.")] = None,
) -> None:
    """Import plan targets (id, region_code, indicator, value, unit, comparator, year,
    baseline_year, baseline_value) for tracking; bad rows are reported and skipped."""
    columns = {}
    for pair in map_ or []:
        field, sep, column = pair.partition("=")
        if not sep:
            raise InputError(f"{pair!r} is not FIELD=COLUMN", where="--map")
        columns[field.strip()] = column.strip()
    defaults = {"comparator": "=", "baseline_year": "", "baseline_value": ""}
    if region:
        defaults["region_code"] = region
    engine = store(db)
    problems = Problems()
    for path in files:
        try:
            loaded = read_targets(path, columns, defaults)
        except DigimeterError as exc:
            problems.report(exc)
            continue
        for error in loaded.errors:
            problems.report(error)
        stored, already = write_targets(engine, loaded.frame, source, source_url)
        note(f"{path}: {stored} targets stored, {already} already stored, "
             f"{len(loaded.errors)} rejected")
    raise typer.Exit(problems.exit_code)


def observations(
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    indicator: Annotated[str | None, typer.Option(help="Indicator id.")] = None,
    region: Annotated[str | None, typer.Option(help="Region code.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Latest vintage at or before this.")]
    = None,
    all_vintages_: Annotated[bool, typer.Option(
        "--all-vintages", help="Every vintage, not just the latest.")]
    = False,
) -> None:
    """List stored observations (latest vintage unless --all-vintages)."""
    engine = store(db)
    rows = (all_vintages(engine, indicator=indicator, region_code=region) if all_vintages_
            else latest(engine, indicator=indicator, region_code=region, as_of=as_of))
    emit(rows, OBS_COLUMNS, fmt, title="Observations")


def register(root: typer.Typer) -> None:
    root.command("observations")(observations)
