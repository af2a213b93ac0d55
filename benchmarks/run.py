"""Throughput benchmarks: document ingest and observation import. Prints its figures.

    make bench                                   # SQLite only
    DIGIMETER_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:54329/postgres make bench

Goal (issue #2): 1,000,000 observation rows into SQLite in under 20 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from digimeter.imports import import_file
from digimeter.indicators import load_taxonomy
from digimeter.ingest.run import ingest
from digimeter.regions import load_regions
from digimeter.store import open_store, resolve_url

SEEDS = Path(__file__).resolve().parents[1] / "src" / "digimeter" / "demo" / "corpus" / "seeds"


def make_documents(folder: Path, n: int) -> int:
    """``n`` distinct documents built from the seed texts; returns their total bytes."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    total = 0
    for i in range(n):
        body = f"Document {i}\n\n" + seeds[i % len(seeds)]
        data = body.encode("utf-8")
        (folder / f"doc{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def make_rows(path: Path, n: int) -> None:
    """``n`` long-layout rows: county-level regions x indicators x years, in 亿元 / 万 units."""
    regions = [r.code for r in load_regions() if r.is_current and r.level >= 1]
    indicators = [(i.id, "亿元" if i.unit == "CNY" else "万" if i.unit == "count" else "")
                  for i in load_taxonomy()]
    combos = itertools.product(range(2015, 2035), indicators, regions)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "indicator", "year", "value", "unit", "source"])
        for k, (year, (ind, unit), region) in enumerate(itertools.islice(combos, n)):
            w.writerow([region, ind, year, f"{(k % 9973) * 1.37:.2f}", unit, "bench"])


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'bench.db'}"


class PostgresDatabase:
    """A fresh database on the given server, dropped afterwards."""

    def __init__(self, server: str) -> None:
        self.admin = create_engine(resolve_url(server), isolation_level="AUTOCOMMIT")
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.url = make_url(resolve_url(server)).set(database=self.name).render_as_string(
            hide_password=False)

    def __enter__(self) -> str:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc: object) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def bench_ingest(url: str, docs: Path, n: int, size: int) -> None:
    engine = open_store(url)
    start = time.perf_counter()
    outcomes = ingest(engine, [str(docs)])
    elapsed = time.perf_counter() - start
    failed = sum(o.error is not None for o in outcomes)
    print(f"  ingest   {n:>9,} documents {size / 2**20:8.1f} MB  {elapsed:7.2f} s  "
          f"{n / elapsed:8.1f} docs/s  {size / 2**20 / elapsed:6.2f} MB/s  ({failed} failed)")
    engine.dispose()


def bench_import(url: str, rows_csv: Path, n: int) -> None:
    engine = open_store(url)
    start = time.perf_counter()
    result = import_file(engine, rows_csv)
    elapsed = time.perf_counter() - start
    print(f"  import   {n:>9,} rows                 {elapsed:7.2f} s  "
          f"{result.stored / elapsed:10,.0f} rows/s  ({result.stored:,} stored, "
          f"{len(result.errors)} rejected)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    server = os.environ.get("DIGIMETER_BENCH_POSTGRES")
    work = Path(tempfile.mkdtemp(prefix="digimeter-bench-"))
    try:
        docs = work / "docs"
        docs.mkdir()
        size = make_documents(docs, args.docs)
        rows_csv = work / "rows.csv"
        make_rows(rows_csv, args.rows)
        print(f"digimeter benchmarks ({os.cpu_count()} cores, Python "
              f"{sys.version.split()[0]})")
        print("SQLite")
        for name, run in (("ingest", lambda u: bench_ingest(u, docs, args.docs, size)),
                          ("import", lambda u: bench_import(u, rows_csv, args.rows))):
            folder = work / f"sqlite-{name}"
            folder.mkdir()
            run(sqlite_url(folder))
        if server:
            print(f"PostgreSQL ({make_url(resolve_url(server)).host})")
            with PostgresDatabase(server) as url:
                bench_ingest(url, docs, args.docs, size)
            with PostgresDatabase(server) as url:
                bench_import(url, rows_csv, args.rows)
        else:
            print("PostgreSQL skipped: set DIGIMETER_BENCH_POSTGRES to a server URL")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
