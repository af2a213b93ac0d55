"""One small map-over-partitions interface for batch work.

Extraction over a large corpus and Monte Carlo over index assumptions both split their input
into partitions and apply a pure function to each. By default the partitions run here, in
this process, in order. With ``workers=N`` they run on a local Dask cluster of N worker
processes; with ``scheduler="tcp://host:8786"`` on an existing dask.distributed cluster.
Results come back in the order of the partitions either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Runner:
    """Where partitions run: in-process (the default), N local processes, or a cluster."""

    workers: int | None = None
    scheduler: str | None = None
    threads_per_worker: int = 1

    @property
    def distributed(self) -> bool:
        return bool(self.scheduler) or (self.workers is not None and self.workers > 1)

    def describe(self) -> str:
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        if self.distributed:
            return f"dask LocalCluster, {self.workers} worker processes"
        return "in-process"


def partitions(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` cut into consecutive slices of at most ``size``."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    return [items[i:i + size] for i in range(0, len(items), size)]


@contextmanager
def client(runner: Runner) -> Iterator[Any]:
    """A dask.distributed Client for ``runner`` (closing what it started), or None."""
    if not runner.distributed:
        yield None
        return
    from dask.distributed import Client, LocalCluster

    if runner.scheduler:
        with Client(runner.scheduler) as c:
            yield c
        return
    with LocalCluster(n_workers=runner.workers, threads_per_worker=runner.threads_per_worker,
                      processes=True, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def map_partitions(fn: Callable[[T], R], parts: Iterable[T], runner: Runner | None = None,
                   **kwargs: Any) -> list[R]:
    """``[fn(p, **kwargs) for p in parts]``, here or on Dask, in the order of ``parts``."""
    runner = runner or Runner()
    parts = list(parts)
    if not runner.distributed:
        return [fn(p, **kwargs) for p in parts]
    with client(runner) as c:
        futures = c.map(fn, parts, pure=False, **kwargs)
        return c.gather(futures)


def reduce_partitions(fn: Callable[[T], R], parts: Iterable[T], combine: Callable[[R, R], R],
                      runner: Runner | None = None, **kwargs: Any) -> R:
    """Apply ``fn`` to each partition and fold the results with ``combine`` as they arrive.

    Memory stays bounded by one partial result per worker rather than one per partition,
    which is what streaming reductions (rank histograms over many replicates) need.
    """
    runner = runner or Runner()
    parts = list(parts)
    if not parts:
        raise ValueError("nothing to reduce")
    if not runner.distributed:
        acc = fn(parts[0], **kwargs)
        for p in parts[1:]:
            acc = combine(acc, fn(p, **kwargs))
        return acc
    from dask.distributed import as_completed

    with client(runner) as c:
        acc = None
        for future in as_completed(c.map(fn, parts, pure=False, **kwargs)):
            result = future.result()
            acc = result if acc is None else combine(acc, result)
            future.release()
        return acc
