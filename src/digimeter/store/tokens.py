"""Access tokens: who may change what. Only a token's SHA-256 is stored; the token itself is
shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from digimeter.errors import InputError
from digimeter.store.schema import tokens

ROLES = ("viewer", "editor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Holder:
    """Whoever presented a valid token."""

    id: int
    name: str
    role: str

    def may(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(engine: Engine, name: str, role: str) -> str:
    """A new token for ``name`` with ``role``; the caller shows it once, it is not kept."""
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {', '.join(ROLES)}", where="--role")
    if not name.strip():
        raise InputError("a token needs the name of its holder", where="--name")
    token = "dgm_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(tokens).values(name=name.strip(), role=role,
                                           token_hash=digest(token),
                                           created_at=datetime.now(UTC)))
    return token


def holder_of(engine: Engine, token: str | None) -> Holder | None:
    """The holder of a valid, unrevoked token, else None."""
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(tokens.c.id, tokens.c.name, tokens.c.role).where(
            tokens.c.token_hash == digest(token), tokens.c.revoked_at.is_(None))).first()
    return Holder(*row) if row else None


def list_tokens(engine: Engine) -> list[dict]:
    query = select(tokens.c.id, tokens.c.name, tokens.c.role, tokens.c.created_at,
                   tokens.c.revoked_at).order_by(tokens.c.id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def revoke_token(engine: Engine, token_id: int) -> None:
    with engine.begin() as conn:
        done = conn.execute(update(tokens).where(tokens.c.id == token_id,
                                                 tokens.c.revoked_at.is_(None))
                            .values(revoked_at=datetime.now(UTC))).rowcount
    if not done:
        raise InputError("no active token has this id", where=f"token {token_id}")
