"""Extraction throughput: MB/s per core on a corpus of the seed and development documents
repeated to about 50 MB, in-process and across processes on Dask (``--workers``, or an
existing cluster with ``--scheduler``).

    python benchmarks/extract.py                  # 50 MB, in-process and 2 workers
    python benchmarks/extract.py --mb 10 --workers 4
    python benchmarks/extract.py --scheduler tcp://host:8786 --dir /shared/tmp

Both runs go through ``digimeter.extract.extract_paths`` (files read where they are extracted,
partitions of documents), so the workers of ``--scheduler`` must see the corpus folder (``--dir``
on a shared file system). Every figure includes reading the files. Each run reports wall-clock
throughput and throughput per CPU second: on a machine that other work shares, wall-clock
figures vary, CPU time much less (``--repeat N`` keeps the fastest of N runs of each kind). For
Dask, starting the cluster and building each worker's tables (``warm_up``) are timed apart from
the run itself; the run's wall-clock rate is compared with the in-process one (the scaling
factor) and its CPU time is the workers' processes'.

Goal (issue #3): at least 1 MB/s per core, near-linear scaling with workers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digimeter.batch import Runner
from digimeter.extract import extract_paths, warm_up

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "digimeter" / "demo" / "corpus" / "seeds",
           ROOT / "src" / "digimeter" / "demo" / "corpus" / "news",
           ROOT.parent / "shared" / "corpus" / "seeds",
           ROOT.parent / "shared" / "corpus" / "dev" / "docs"]


def make_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    """Documents repeated (each copy distinct by its first line) to ``megabytes``."""
    texts = [p.read_text(encoding="utf-8") for src in SOURCES if src.is_dir()
             for p in sorted(src.glob("*.txt"))]
    if not texts:
        sys.exit("no documents to benchmark on")
    target, total, n = int(megabytes * 2**20), 0, 0
    while total < target:
        data = (f"Copy {n}\n" + texts[n % len(texts)]).encode("utf-8")
        sub = folder / f"{n // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc{n:06d}.txt").write_bytes(data)
        total, n = total + len(data), n + 1
    return n, total


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # CPU seconds of the processes that extracted
    records: int
    failed: int


def extract(folder: Path, runner: Runner, partition_size: int) -> tuple[float, int, int]:
    """Wall-clock seconds, records and failed files of one extraction of ``folder``."""
    start = time.perf_counter()
    results = extract_paths([folder], runner=runner, partition_size=partition_size)
    wall = time.perf_counter() - start
    records = sum(len(r) for _, r in results if not isinstance(r, str))
    failed = sum(isinstance(r, str) for _, r in results)
    return wall, records, failed


def in_process(folder: Path, partition_size: int) -> Run:
    cpu = time.process_time()
    wall, records, failed = extract(folder, Runner(), partition_size)
    return Run(wall, time.process_time() - cpu, records, failed)


@contextmanager
def cluster(workers: int, scheduler: str | None) -> Iterator[tuple[Any, float]]:
    """A client of the given scheduler or of a new local cluster of ``workers`` processes
    (set up as ``digimeter.batch`` sets one up), and the seconds it took to start."""
    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    if scheduler:
        with Client(scheduler) as client:
            yield client, time.perf_counter() - start
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as local, Client(local) as client:
        client.wait_for_workers(workers)
        yield client, time.perf_counter() - start


def _worker_cpu(client: Any) -> float:
    return sum(client.run(time.process_time).values())


def warm_workers(client: Any) -> float:
    """Seconds the workers of ``client`` took to build their tables."""
    start = time.perf_counter()
    client.run(warm_up)
    return time.perf_counter() - start


def distributed(folder: Path, client: Any, partition_size: int) -> tuple[Run, float]:
    """The run on the cluster of ``client``, and the CPU seconds this process (the client, and
    the scheduler of a local cluster) spent meanwhile."""
    cpu, here = _worker_cpu(client), time.process_time()
    wall, records, failed = extract(folder, Runner(scheduler=client.scheduler.address),
                                    partition_size)
    here = time.process_time() - here
    return Run(wall, _worker_cpu(client) - cpu, records, failed), here


def fastest(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def report(label: str, run: Run, megabytes: float, cores: int, extra: str = "") -> None:
    rate = megabytes / run.wall
    print(f"  {label:<30} wall {run.wall:7.2f} s {rate:6.2f} MB/s {rate / cores:5.2f} MB/s per core"
          f" | CPU {run.cpu:7.2f} s {megabytes / run.cpu:5.2f} MB/s per core"
          f" | {run.records:,} records ({run.failed} failed){extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size in MB")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    parser.add_argument("--scheduler", default=None, help="an existing Dask scheduler")
    parser.add_argument("--partition-size", type=int, default=64,
                        help="documents per partition")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each kind; the fastest is reported")
    parser.add_argument("--dir", default=None,
                        help="where to write the corpus (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="digimeter-extract-bench-", dir=args.dir))
    try:
        n, size = make_corpus(work, args.mb)
        mb = size / 2**20
        print(f"digimeter extract benchmark ({os.cpu_count()} cores, Python "
              f"{sys.version.split()[0]}): {n:,} documents, {mb:.1f} MB, "
              f"{args.partition_size} documents per partition")
        warm_up()
        alone = fastest([in_process(work, args.partition_size) for _ in range(args.repeat)])
        report("in-process", alone, mb, 1)
        if not args.scheduler and args.workers < 2:
            return
        with cluster(args.workers, args.scheduler) as (client, started):
            cores = sum(client.nthreads().values())
            warm = warm_workers(client)
            run, here = min((distributed(work, client, args.partition_size)
                             for _ in range(args.repeat)), key=lambda r: r[0].wall)
        where = f"scheduler {args.scheduler}" if args.scheduler else "LocalCluster"
        report(f"dask {where}, {cores} workers", run, mb, cores,
               f"; {alone.wall / run.wall:.2f}x in-process")
        print(f"  (cluster start {started:.2f} s and worker warm-up {warm:.2f} s, not in the run;"
              f" this process meanwhile: CPU {here:.2f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
