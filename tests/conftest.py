"""Shared fixtures: a fresh store on every backend under test.

SQLite always runs. PostgreSQL runs when DIGIMETER_TEST_POSTGRES names a server (``.ci/run``
starts one); then an unreachable server fails the tests rather than skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from digimeter.store import open_store
from digimeter.store.engine import resolve_url

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
PG_URL = os.environ.get("DIGIMETER_TEST_POSTGRES")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
TEMPLATE_DB = "digimeter_test_template"


def _pg_admin():
    return create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = open_store(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> str:
    """A migrated PostgreSQL database with reference data, copied for each test."""
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}"'))
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
    url = make_url(resolve_url(PG_URL)).set(database=TEMPLATE_DB)
    open_store(url.render_as_string(hide_password=False)).dispose()
    return TEMPLATE_DB


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty, migrated store with reference data loaded."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(resolve_url(PG_URL)).set(database=name).render_as_string(
        hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(store_url: str):
    eng = open_store(store_url)
    yield eng
    eng.dispose()


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run the real ``digimeter`` command in a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if k != "DIGIMETER_DB"}
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "digimeter", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"digimeter {' '.join(args)} failed:\n{proc.stderr}")
    return proc


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(url: str) -> Iterator[str]:
    """``digimeter serve`` on a free loopback port over ``url``; yields its base address."""
    import time

    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DIGIMETER_DB"}
    server = subprocess.Popen([sys.executable, "-m", "digimeter", "serve", "--db", url,
                               "--port", str(port)], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, \
                    server.stderr.read()
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
