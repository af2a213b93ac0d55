"""Web load benchmark: a second process sends a fixed rate of requests on loopback to
``digimeter serve`` over a store of 1,000,000 observations and 10,000 targets, and prints
requests/s and p50/p99 latency for the region API and the region page. Prints its figures.

    .venv/bin/python benchmarks/web.py [--rate 200] [--seconds 10]

Each address is requested once before its load (the server has then rendered it once, as
after any write to the store): the response kept for the store's state, for anonymous
readers and, with their token checked on each request, signed-in ones. The last two lines
ask for a new address each time (an unused query parameter), so every response is built:
what the server can do when nothing is kept, offered at --miss-rate.
Goal (issue #6): p99 <= 50 ms at 200 requests/s on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from run import make_rows  # noqa: E402

from digimeter.imports import import_file  # noqa: E402
from digimeter.indicators import load_taxonomy  # noqa: E402
from digimeter.regions import load_regions  # noqa: E402
from digimeter.store import open_store  # noqa: E402
from digimeter.store.targets import write_targets  # noqa: E402
from digimeter.store.tokens import create_token  # noqa: E402

REGION = "440100"


def fill(url: str, rows: Path, n_targets: int) -> None:
    engine = open_store(url)
    import_file(engine, rows)
    regions = [r.code for r in load_regions() if r.is_current and r.level >= 1]
    indicators = [i for i in load_taxonomy() if i.unit in ("count", "CNY", "percent")]
    rng = np.random.default_rng(3)
    picks = rng.integers(0, len(indicators), n_targets)
    frame = pd.DataFrame({
        "region_code": [REGION if k % 50 == 0 else regions[k % len(regions)]
                        for k in range(n_targets)],
        "indicator": [indicators[i].id for i in picks],
        "value": rng.uniform(1e3, 1e6, n_targets), "unit": [indicators[i].unit for i in picks],
        "target_unit": [indicators[i].unit for i in picks], "form": "level",
        "comparator": ">=", "year": rng.integers(2026, 2036, n_targets).astype(float),
        "baseline_year": np.nan, "baseline_value": np.nan})
    write_targets(engine, frame.drop_duplicates(["region_code", "indicator", "year", "value"]),
                  "benchmark plan")
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Connections:
    """Keep-alive HTTP/1.1 connections on loopback with the least client work per request
    (a raw request, the status line and Content-Length read back), so that on a small
    machine the load generator takes as little CPU from the server as it can."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.host, self.port = host, port
        self.extra = f"Authorization: Bearer {token}\r\n" if token else ""
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self, path: str) -> int:
        conn = self.idle.pop() if self.idle else await asyncio.open_connection(
            self.host, self.port)
        reader, writer = conn
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.extra}\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        await reader.readexactly(length)
        self.idle.append(conn)
        return status

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def load(host: str, port: int, path: str, rate: float, seconds: float,
               token: str | None = None, unique: bool = False) -> tuple[int, int, list[float]]:
    """Open-loop load: a request every 1/rate s for ``seconds`` whatever the answers'
    speed (no coordinated omission); latencies in ms."""
    latencies: list[float] = []
    errors = 0
    pool = Connections(host, port, token)

    async def one(k: int) -> None:
        nonlocal errors
        start = time.perf_counter()
        try:
            ok = await pool.get(f"{path}&n={k}" if unique else path) == 200
        except (OSError, asyncio.IncompleteReadError, StopIteration, ValueError):
            ok = False
        latencies.append((time.perf_counter() - start) * 1000)
        errors += not ok

    tasks = []
    begin = time.perf_counter()
    for k in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, begin + k / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one(k)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - begin
    pool.close()
    return int(len(latencies) / elapsed), errors, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--store", type=Path,
                        help="Keep the filled SQLite store here and reuse it if it exists.")
    parser.add_argument("--workers", type=int, default=1, help="Server processes.")
    parser.add_argument("--miss-rate", type=float, default=50,
                        help="Requests/s for the addresses built afresh every time.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="digimeter-web-bench-"))
    server = None
    try:
        store = args.store or work / "store.db"
        url = f"sqlite:///{store}"
        if not store.exists():
            rows = work / "rows.csv"
            make_rows(rows, args.observations)
            fill(url, rows, args.targets)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "DIGIMETER_DB"}
        server = subprocess.Popen([sys.executable, "-m", "digimeter", "serve", "--db", url,
                                   "--port", str(port), "--workers", str(args.workers)], env=env)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            if server.poll() is not None:
                sys.exit(f"digimeter serve exited with {server.returncode}")
            try:
                httpx.get(base + "/api/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        start = time.perf_counter()
        for _ in range(4 * args.workers):
            httpx.get(base + f"/api/v1/progress?region={REGION}", timeout=300)
        print(f"digimeter web benchmark: {args.observations:,} observations, "
              f"{args.targets:,} targets, SQLite, {args.workers} server process(es); "
              f"first assessment (cold cache) {time.perf_counter() - start:.2f} s")
        engine = open_store(url)
        token = create_token(engine, "benchmark", "viewer")
        engine.dispose()
        api, page = f"/api/v1/progress?region={REGION}", f"/regions/{REGION}?lang=en"
        rate, miss = args.rate, args.miss_rate
        for name, path, key, offered, unique in (
                ("region API ", api, None, rate, False), ("region page", page, None, rate, False),
                ("region API,  signed in", api, token, rate, False),
                ("region page, signed in", page, token, rate, False),
                ("region API,  a new address each time", api, None, miss, True),
                ("region page, a new address each time", page, None, miss, True)):
            httpx.get(base + path, timeout=300)
            done, errors, lat = asyncio.run(load("127.0.0.1", port, path, offered,
                                                  args.seconds, key, unique))
            p50, p99 = np.percentile(lat, [50, 99])
            print(f"  {name:38s} offered {offered:4.0f}/s  served {done:4d}/s  "
                  f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  errors {errors}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
