"""Opening the store: URL resolution, SQLite pragmas, migrations, reference data."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from digimeter.errors import StoreError

DEFAULT_URL = "sqlite:///digimeter.db"
ENV_VAR = "DIGIMETER_DB"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | None = None) -> str:
    """``--db`` wins over ``DIGIMETER_DB``, which wins over ``sqlite:///digimeter.db``."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    elif url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: bulk imports maintain big indexes
    cursor.close()


def create(url: str | None = None) -> Engine:
    """An engine for ``url`` with the store's connection settings, not yet migrated."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {exc}", where="--db") from exc
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:":
            parent = Path(db).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"folder {parent} does not exist", where=str(db))
        engine = create_engine(resolved)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r}; "
                         "use sqlite:/// or postgresql://", where="--db")
    return create_engine(resolved, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def _current_and_head(engine: Engine, cfg: Config) -> tuple[str | None, str | None]:
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, head


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; cheap when it is already there."""
    cfg = alembic_config(engine)
    try:
        current, head = _current_and_head(engine, cfg)
        if current != head:
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreError(f"cannot open the store: {exc.orig}",
                         where=engine.url.render_as_string(hide_password=True)) from exc


def open_store(url: str | None = None, *, load_reference: bool = True) -> Engine:
    """Open (creating and migrating if needed) the store at ``url``.

    Reference data (regions, indicators) is loaded when its data files changed since the last
    load, so a new release of the taxonomy reaches existing stores.
    """
    engine = create(url)
    migrate(engine)
    if load_reference:
        from digimeter.store.reference import sync_reference

        sync_reference(engine)
    return engine
