"""Index benchmarks: prints an ASEM build, a 1,000-replicate uncertainty run and a synthetic
3,000 units x 100 indicators x 10,000 replicates run (in-process and on a 2-worker Dask
LocalCluster) with peak memory, beside COINr's timings from ../shared/coinr/README.md.

    .venv/bin/python benchmarks/index.py [--units 3000 --indicators 100 --replicates 10000]

Goals (issue #4): build >= 50x faster than COINr, 1,000 replicates >= 100x faster, the
synthetic run under 60 s and under 4 GiB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence

import numpy as np

from digimeter.batch import Runner, partitions, reduce_partitions
from digimeter.index.data import IndexData, Table, Units
from digimeter.index.examples import example_files
from digimeter.index.framework import Element, Framework
from digimeter.index.pipeline import build, load_pipeline, parse_pipeline
from digimeter.index.sensitivity import parse_input, to_choices
from digimeter.index.uncertainty import (
    Job,
    RankHistogram,
    Replicate,
    nominal,
    rank_stats,
    replay,
    scores,
)
from digimeter.index.weights import noisy_weights

COINR_BUILD_S = 0.07
COINR_1000_S = 94.0


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_build(repeat: int = 50) -> None:
    from digimeter.index.data import load

    data, meta, pipe = example_files("asem")
    d, p = load(data, meta)[0], load_pipeline(pipe)
    build(d, p)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        build(d, p)
        times.append(time.perf_counter() - t)
    best, med = min(times), float(np.median(times))
    print(f"  ASEM build (pipeline A)            median {med * 1000:7.1f} ms  best "
          f"{best * 1000:6.1f} ms   COINr {COINR_BUILD_S * 1000:.0f} ms  "
          f"-> {COINR_BUILD_S / med:5.0f}x")


def _asem_inputs(job: Job, impute: bool = False) -> list:
    inputs = [parse_input("winmax", [1, 2, 3, 4, 5], [], "bench"),
              parse_input("normalisation", [{"method": "minmax", "params": [1, 100]},
                                            {"method": "zscore", "params": [10, 2]}], [],
                          "bench"),
              parse_input("weights", "all", list(job.weight_sets), "bench"),
              parse_input("aggregation", ["amean", "gmean"], [], "bench")]
    if impute:
        inputs.append(parse_input("imputation", [
            "mean", "median", {"method": "mean_group", "group": "EurAsia_group"}], [], "bench"))
    return inputs


def bench_asem_uncertainty(n: int = 1000, impute: bool = False) -> None:
    from digimeter.index.data import load

    data, meta, pipe = example_files("asem")
    d = load(data, meta)[0]
    rng = np.random.default_rng(1)
    sets = noisy_weights(d.framework.weights(), d.framework, {2: 0.25, 3: 0.25}, 100, rng)
    job = Job(d, load_pipeline(pipe), {str(i + 1): w for i, w in enumerate(sets)})
    inputs = _asem_inputs(job, impute)
    reps = to_choices(rng.random((n, len(inputs))), inputs)
    t = time.perf_counter()
    s = replay(job, reps)
    rank_stats(nominal(job), s)
    el = time.perf_counter() - t
    label = "ASEM uncertainty + imputation" if impute else "ASEM uncertainty"
    print(f"  {label}, {n:,} replicates".ljust(50) + f"{el:7.2f} s   "
          f"COINr {COINR_1000_S:.0f} s   -> {COINR_1000_S / el:5.0f}x")


def bench_store(units: int, indicators: int, n: int = 200) -> None:
    """Storing a built synthetic index and the uncertainty of its aggregates in SQLite."""
    import tempfile

    from digimeter.index.uncertainty import replay_codes, summary
    from digimeter.store import open_store
    from digimeter.store.indexes import (
        index_scores,
        save_index_run,
        save_index_uncertainty,
        uncertainty_rows,
    )

    d = synthetic(units, indicators)
    pipe = parse_pipeline(SYNTH_PIPELINE, "synthetic")
    coin = build(d, pipe)
    job = Job(d, pipe)
    fw = d.framework
    codes = [c for level in range(fw.max_level, 1, -1) for c in fw.level_codes(level)]
    rng = np.random.default_rng(3)
    reps = to_choices(rng.random((n, 1)), [parse_input("winmax", [1, 3, 5], [], "bench")])
    every, noms = replay_codes(job, reps, codes), nominal(job, codes)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_store(f"sqlite:///{tmp}/bench.db", load_reference=False)
        t = time.perf_counter()
        run_id = save_index_run(engine, coin, name="synthetic", year=None, source="bench",
                                settings_text="")
        saved = time.perf_counter() - t
        t = time.perf_counter()
        rows = [r for k, c in enumerate(codes) for r in uncertainty_rows(
            run_id, job.units, c, summary(noms[:, k], every[:, :, k]))]
        save_index_uncertainty(engine, run_id, rows)
        unc = time.perf_counter() - t
        t = time.perf_counter()
        top = index_scores(engine, run_id, level=fw.max_level)
        read = time.perf_counter() - t
        engine.dispose()
    cells = len(coin.dset().units) * len(coin.dset().codes)
    print(f"  store a {units:,} x {indicators} run ({cells:,} scores, SQLite): save "
          f"{saved:5.2f} s; uncertainty of {len(codes)} aggregates ({len(rows):,} rows, "
          f"{n} replicates) {unc:5.2f} s; read the ranking ({len(top):,}) {read:5.3f} s")


def synthetic(units: int, indicators: int, pillars: int = 10, seed: int = 0) -> IndexData:
    """Lognormal indicators, some reversed, ~2 % missing; pillars in two sub-indices."""
    rng = np.random.default_rng(seed)
    per = indicators // pillars
    elements = []
    for i in range(indicators):
        elements.append(Element(f"x{i:03d}", f"x{i:03d}", 1, f"P{i // per:02d}", 1.0,
                                -1 if i % 7 == 0 else 1, "Indicator"))
    for p in range(pillars):
        elements.append(Element(f"P{p:02d}", f"P{p:02d}", 2, f"S{p % 2}", 1.0, 1, "Aggregate"))
    elements += [Element("S0", "S0", 3, "Index", 1.0, 1, "Aggregate"),
                 Element("S1", "S1", 3, "Index", 1.0, 1, "Aggregate"),
                 Element("Index", "Index", 4, None, 1.0, 1, "Aggregate")]
    fw = Framework(tuple(elements))
    x = rng.lognormal(0.0, rng.uniform(0.2, 1.2, indicators), size=(units, indicators))
    x[rng.random(x.shape) < 0.02] = np.nan
    codes = tuple(f"u{i:05d}" for i in range(units))
    return IndexData(fw, Units(codes, codes), Table(codes, fw.indicators, x))


SYNTH_PIPELINE = {"steps": [
    {"impute": {"method": "mean"}},
    {"treat": {"winmax": 5}},
    {"normalise": {"method": "minmax", "params": [1, 100]}},
    {"aggregate": {"method": "amean"}},
]}


def _part(part: Sequence[Replicate], job: Job) -> tuple[RankHistogram, float]:
    return RankHistogram.of(scores(job, part)[:, :, 0]), _peak_rss_mib()


def _combine(a: tuple[RankHistogram, float], b: tuple[RankHistogram, float]
             ) -> tuple[RankHistogram, float]:
    return a[0] + b[0], max(a[1], b[1])


def bench_synthetic(units: int, indicators: int, n: int, runner: Runner, size: int) -> None:
    d = synthetic(units, indicators)
    rng = np.random.default_rng(2)
    sets = noisy_weights(d.framework.weights(), d.framework, {1: 0.25, 2: 0.25}, 100, rng)
    job = Job(d, parse_pipeline(SYNTH_PIPELINE, "synthetic"),
              {str(i + 1): w for i, w in enumerate(sets)})
    reps = to_choices(rng.random((n, 4)), _asem_inputs(job))
    reps.sort(key=lambda r: str(sorted(r.overrides.items())))
    base_rss = _peak_rss_mib()
    tracemalloc.start()
    t = time.perf_counter()
    hist, worker_rss = reduce_partitions(_part, partitions(reps, size), _combine, runner,
                                         job=job)
    stats = hist.stats(np.zeros(units))
    el = time.perf_counter() - t
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.isfinite(stats.median).all()
    where = runner.describe()
    if runner.distributed:
        mem = f"peak RSS per worker {worker_rss:7.0f} MiB"
    else:
        mem = (f"peak RSS {_peak_rss_mib():6.0f} MiB (before {base_rss:.0f}), "
               f"numpy peak {traced / 2**20:6.0f} MiB")
    print(f"  synthetic {units:,} x {indicators} x {n:,} ({where}): {el:7.2f} s  "
          f"{n / el:8.0f} replicates/s  {mem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--replicates", type=int, default=10_000)
    parser.add_argument("--partition", type=int, default=500)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    print(f"digimeter index benchmarks ({os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]})")
    bench_build()
    bench_asem_uncertainty()
    bench_asem_uncertainty(impute=True)
    bench_store(args.units, args.indicators)
    bench_synthetic(args.units, args.indicators, args.replicates, Runner(), args.partition)
    if not args.no_dask:
        bench_synthetic(args.units, args.indicators, args.replicates, Runner(workers=2),
                        args.partition)


if __name__ == "__main__":
    main()
