"""The map-over-partitions interface, in-process and on a real local Dask cluster."""

from __future__ import annotations

import os

import pytest

from digimeter.batch import Runner, map_partitions, partitions, reduce_partitions


def square_sum(part: list[int], offset: int = 0) -> int:
    return sum(x * x for x in part) + offset


def pid_of(_part: object) -> int:
    return os.getpid()


def test_partitions_cover_every_item_in_order():
    parts = partitions(list(range(10)), 4)
    assert [list(p) for p in parts] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    with pytest.raises(ValueError):
        partitions([1], 0)


def test_in_process_map_and_reduce():
    parts = partitions(list(range(100)), 7)
    assert map_partitions(square_sum, parts, offset=1) == [square_sum(p) + 1 for p in parts]
    total = reduce_partitions(square_sum, parts, lambda a, b: a + b)
    assert total == sum(x * x for x in range(100))
    assert set(map_partitions(pid_of, parts)) == {os.getpid()}


def test_local_dask_cluster_gives_the_same_results_from_other_processes():
    parts = partitions(list(range(1000)), 50)
    runner = Runner(workers=2)
    assert runner.distributed and "2 worker" in runner.describe()
    assert map_partitions(square_sum, parts, runner) == [square_sum(p) for p in parts]
    assert reduce_partitions(square_sum, parts, lambda a, b: a + b, runner) == sum(
        x * x for x in range(1000))
    pids = set(map_partitions(pid_of, partitions(list(range(40)), 1), runner))
    assert os.getpid() not in pids
