"""Extraction throughput: MB/s per core on a corpus of the seed and development documents
repeated to about 50 MB, in-process and on a local Dask cluster (``--workers``).

    python benchmarks/extract.py                  # 50 MB, in-process and 2 workers
    python benchmarks/extract.py --mb 10 --workers 4
    python benchmarks/extract.py --scheduler tcp://host:8786

Goal (issue #3): at least 1 MB/s per core, near-linear scaling with workers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from digimeter.batch import Runner
from digimeter.extract import extract_paths

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


def run(folder: Path, size: int, runner: Runner, cores: int) -> None:
    start = time.perf_counter()
    results = extract_paths([folder], runner=runner, partition_size=64)
    elapsed = time.perf_counter() - start
    records = sum(len(r) for _, r in results if not isinstance(r, str))
    failed = sum(isinstance(r, str) for _, r in results)
    mb = size / 2**20
    print(f"  {runner.describe():<40} {mb:7.1f} MB {elapsed:7.2f} s {mb / elapsed:6.2f} MB/s "
          f"{mb / elapsed / cores:6.2f} MB/s per core  {records:,} records ({failed} failed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size in MB")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    parser.add_argument("--scheduler", default=None, help="an existing Dask scheduler")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="digimeter-extract-bench-"))
    try:
        n, size = make_corpus(work, args.mb)
        print(f"digimeter extract benchmark ({os.cpu_count()} cores, Python "
              f"{sys.version.split()[0]}): {n:,} documents, {size / 2**20:.1f} MB")
        run(work, size, Runner(), 1)
        if args.scheduler:
            run(work, size, Runner(scheduler=args.scheduler), args.workers)
        elif args.workers > 1:
            run(work, size, Runner(workers=args.workers), args.workers)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
