"""Web load benchmark: a second process sends a fixed rate of requests on loopback to
``digimeter serve`` over a store of 1,000,000 observations and 10,000 targets, and prints
requests/s and p50/p99 latency for the region API and the region page. Prints its figures.

    .venv/bin/python benchmarks/web.py [--rate 200] [--seconds 10]

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


async def load(url: str, rate: float, seconds: float) -> tuple[int, int, list[float]]:
    """Open-loop load: a request every 1/rate s for ``seconds``; latencies in ms."""
    latencies: list[float] = []
    errors = 0

    async def one(client: httpx.AsyncClient) -> None:
        nonlocal errors
        start = time.perf_counter()
        try:
            response = await client.get(url)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        latencies.append((time.perf_counter() - start) * 1000)
        errors += not ok

    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        tasks = []
        begin = time.perf_counter()
        for k in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, begin + k / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(client)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - begin
    return int(len(latencies) / elapsed), errors, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--targets", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="digimeter-web-bench-"))
    server = None
    try:
        rows = work / "rows.csv"
        make_rows(rows, args.observations)
        url = f"sqlite:///{work / 'store.db'}"
        fill(url, rows, args.targets)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "DIGIMETER_DB"}
        server = subprocess.Popen([sys.executable, "-m", "digimeter", "serve", "--db", url,
                                   "--port", str(port)], env=env)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                httpx.get(base + "/api/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        start = time.perf_counter()
        httpx.get(base + f"/api/v1/progress?region={REGION}", timeout=300)
        print(f"digimeter web benchmark: {args.observations:,} observations, "
              f"{args.targets:,} targets, SQLite; first assessment (cold cache) "
              f"{time.perf_counter() - start:.2f} s")
        for name, path in (("region API ", f"/api/v1/progress?region={REGION}"),
                           ("region page", f"/regions/{REGION}?lang=en")):
            done, errors, lat = asyncio.run(load(base + path, args.rate, args.seconds))
            p50, p99 = np.percentile(lat, [50, 99])
            print(f"  {name}  offered {args.rate:.0f}/s  served {done}/s  p50 {p50:6.1f} ms  "
                  f"p99 {p99:6.1f} ms  errors {errors}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
