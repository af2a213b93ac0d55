"""The store: migrations, connection settings, reference data, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from digimeter.errors import StoreError
from digimeter.indicators import load_taxonomy
from digimeter.regions import load_regions
from digimeter.store import open_store, resolve_url
from digimeter.store.schema import indicators, metadata, reference_data, regions


def test_migrations_create_exactly_the_schema(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'x.db'}", load_reference=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reference_data_is_loaded_once(engine):
    with engine.connect() as conn:
        n_regions = conn.execute(select(func.count()).select_from(regions)).scalar()
        n_indicators = conn.execute(select(func.count()).select_from(indicators)).scalar()
        loaded = dict(conn.execute(select(reference_data.c.name,
                                          reference_data.c.loaded_at)).all())
    assert n_regions == len(load_regions())
    assert n_indicators == len(load_taxonomy())
    open_store(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        again = dict(conn.execute(select(reference_data.c.name,
                                         reference_data.c.loaded_at)).all())
    assert again == loaded


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(Exception, match="(?i)foreign key"):
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO observations (region_code, indicator, period, year, value, unit, "
                "source, vintage, origin) VALUES ('999999', 'fiveg_base_stations', '2022', "
                "2022, 1, 'count', 's', '2022', 'import')"))


def test_url_resolution(monkeypatch):
    monkeypatch.delenv("DIGIMETER_DB", raising=False)
    assert resolve_url() == "sqlite:///digimeter.db"
    monkeypatch.setenv("DIGIMETER_DB", "sqlite:///env.db")
    assert resolve_url() == "sqlite:///env.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_bad_urls_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("no-such-thing")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path}/missing/folder/x.db")
    with pytest.raises(StoreError, match="unsupported"):
        open_store("mysql://u@h/db")
