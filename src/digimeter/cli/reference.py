"""``digimeter regions`` and ``digimeter indicators``: the reference data."""

from __future__ import annotations

from typing import Annotated

import typer

from digimeter.cli.common import FormatOption
from digimeter.cli.output import Format, emit
from digimeter.indicators import load_taxonomy
from digimeter.regions import load_regions

INDICATOR_COLUMNS = ("id", "name_zh", "name_en", "unit", "direction", "category", "aliases_zh",
                     "aliases_en")
REGION_COLUMNS = ("code", "name_zh", "name_en", "level", "parent_code", "valid_from",
                  "valid_to", "successor_code")


def indicators(
    fmt: FormatOption = Format.table,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
) -> None:
    """List the indicator taxonomy."""
    rows = [{**i.__dict__, "aliases_zh": ";".join(i.aliases_zh),
             "aliases_en": ";".join(i.aliases_en)}
            for i in load_taxonomy() if category in (None, i.category)]
    emit(rows, INDICATOR_COLUMNS, fmt, title="Indicators")


def regions(
    fmt: FormatOption = Format.table,
    level: Annotated[int | None, typer.Option(help="1 province, 2 prefecture, 3 county.")] = None,
    parent: Annotated[str | None, typer.Option(help="Only the children of this code.")] = None,
    search: Annotated[str | None, typer.Option(help="Name, alias or code to resolve.")] = None,
    history: Annotated[bool, typer.Option(help="Include codes no longer in use.")] = False,
) -> None:
    """List GB/T 2260 regions, or resolve a name with --search."""
    table = load_regions()
    if search:
        found = table.candidates(search)
    else:
        found = [r for r in table
                 if (history or r.is_current)
                 and (level is None or r.level == level)
                 and (parent is None or r.parent_code == parent)]
    emit([r.__dict__ for r in found], REGION_COLUMNS, fmt, title="Regions")


def register(app: typer.Typer) -> None:
    app.command("indicators")(indicators)
    app.command("regions")(regions)
