"""``digimeter records``: list extracted records; confirm, correct or reject one."""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer

from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import note
from digimeter.errors import InputError
from digimeter.store.curation import confirm, correct, history, list_records, parse_change, reject

app = typer.Typer(help="Extracted records and their curation.", invoke_without_command=True)

COLUMNS = ("id", "doc", "status", "kind", "region_code", "region_name", "indicator",
           "indicator_text", "value", "value_max", "unit", "comparator", "year",
           "baseline_year", "baseline_value", "quote", "start", "end")
TABLE = ("id", "status", "kind", "region_code", "indicator", "value", "unit", "comparator",
         "year", "quote")
HISTORY = ("id", "at", "actor", "action", "reason", "changed")

ActorOption = Annotated[str | None, typer.Option(
    "--actor", envvar="DIGIMETER_ACTOR", help="Who decides [default: the login name].")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why.")]


def _actor(actor: str | None) -> str:
    return actor or getpass.getuser()


@app.callback()
def records(
    ctx: typer.Context,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    region: Annotated[str | None, typer.Option(help="Region code.")] = None,
    indicator: Annotated[str | None, typer.Option(help="Indicator id.")] = None,
    kind: Annotated[str | None, typer.Option(help="target, observation or measure.")] = None,
    document: Annotated[int | None, typer.Option(help="Document id.")] = None,
    status: Annotated[str | None, typer.Option(
        help="machine, confirmed, corrected or rejected.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
) -> None:
    """List extracted records as they stand after curation (filters apply to that)."""
    if ctx.invoked_subcommand:
        ctx.obj = {"db": db}
        return
    rows = list_records(store(db), region=region, indicator=indicator, kind=kind,
                        document=document, status=status, limit=limit)
    emit(rows, TABLE if fmt is Format.table else COLUMNS, fmt, title="Records")


def _db(ctx: typer.Context, db: str | None) -> str | None:
    return db or (ctx.obj or {}).get("db")


@app.command("confirm")
def confirm_(ctx: typer.Context, record_id: int, actor: ActorOption = None,
             reason: ReasonOption = None, db: DbOption = None) -> None:
    """Confirm a record as right."""
    confirm(store(_db(ctx, db)), record_id, _actor(actor), reason)
    note(f"record {record_id} confirmed")


@app.command("reject")
def reject_(ctx: typer.Context, record_id: int, actor: ActorOption = None,
            reason: ReasonOption = None, db: DbOption = None) -> None:
    """Reject a record: tracking ignores it; the machine's version stays visible."""
    reject(store(_db(ctx, db)), record_id, _actor(actor), reason)
    note(f"record {record_id} rejected")


@app.command("correct")
def correct_(
    ctx: typer.Context,
    record_id: int,
    changes: Annotated[list[str], typer.Argument(help="FIELD=VALUE, e.g. value=38900 year=2022")],
    actor: ActorOption = None, reason: ReasonOption = None, db: DbOption = None,
) -> None:
    """Correct fields of a record; the machine's original is kept beside the correction."""
    parsed = {}
    for change in changes:
        field, sep, value = change.partition("=")
        if not sep:
            raise InputError(f"{change!r} is not FIELD=VALUE", where="correct")
        parsed[field.strip()] = parse_change(field.strip(), value.strip())
    correct(store(_db(ctx, db)), record_id, parsed, _actor(actor), reason)
    note(f"record {record_id} corrected: " + ", ".join(f"{k}={v}" for k, v in parsed.items()))


@app.command("history")
def history_(ctx: typer.Context, record_id: int, db: DbOption = None,
             fmt: FormatOption = Format.table) -> None:
    """Every decision on a record: who, when, why, and what changed."""
    rows = []
    for event in history(store(_db(ctx, db)), record_id):
        before, after = event["before"] or {}, event["after"] or {}
        changed = {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
        rows.append({**event, "changed": json.dumps(changed, ensure_ascii=False)})
    emit(rows, HISTORY, fmt, title=f"History of record {record_id}")
