"""``digimeter token``: access tokens for writing through the web (stored hashed)."""

from __future__ import annotations

from typing import Annotated

import typer

from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import note
from digimeter.store.tokens import create_token, list_tokens, revoke_token

app = typer.Typer(help="Access tokens for the web: viewer, editor, admin.",
                  no_args_is_help=True)


@app.command("create")
def create(
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")],
    name: Annotated[str, typer.Option(help="Who holds it; written into the audit trail.")],
    db: DbOption = None,
) -> None:
    """Make a token and print it once (only its hash is stored)."""
    token = create_token(store(db), name, role)
    typer.echo(token)
    note(f"token for {name} ({role}) created; keep it now, it cannot be shown again")


@app.command("list")
def list_(db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """Tokens by id, holder and role (never the tokens themselves)."""
    emit(list_tokens(store(db)), ("id", "name", "role", "created_at", "revoked_at"), fmt,
         title="Tokens")


@app.command("revoke")
def revoke(token_id: int, db: DbOption = None) -> None:
    """Revoke a token: it stops working at once."""
    revoke_token(store(db), token_id)
    note(f"token {token_id} revoked")
