"""Uncertainty analysis: many replicates of a pipeline, vectorised.

Replicates that share every step before aggregation share one computed data set (cached per
process); their aggregation runs as one array operation over a (replicates x weights) matrix.
Work is cut into partitions of replicates and run through ``digimeter.batch``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from digimeter.batch import Runner, map_partitions, partitions, reduce_partitions
from digimeter.errors import InputError
from digimeter.index import aggregate as agg
from digimeter.index.data import IndexData
from digimeter.index.pipeline import Coin, Pipeline, new_coin, run
from digimeter.index.stats import rank_desc, row_quantiles
from digimeter.index.weights import check_weights, resolve_weights


@dataclass(frozen=True)
class Replicate:
    """Settings merged into pipeline steps (``{"treat": {"winmax": 3}}``), and a weight set."""

    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    weight_set: str | None = None


@dataclass(frozen=True)
class Job:
    data: IndexData
    pipeline: Pipeline
    weight_sets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    target: str | None = None
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def units(self) -> tuple[str, ...]:
        return self.data.units.codes

    @property
    def target_code(self) -> str:
        if self.target:
            return self.target
        top = self.data.framework.level_codes(self.data.framework.max_level)
        if len(top) != 1:
            raise InputError(f"several top-level aggregates {top}: name the target",
                             where="uncertainty")
        return top[0]


def replicate_pipeline(pipeline: Pipeline, rep: Replicate) -> Pipeline:
    for name, updates in rep.overrides.items():
        pipeline = pipeline.with_settings(name, updates)
    return pipeline


_CACHE: dict[tuple[str, str], Coin] = {}
_CACHE_SIZE = 64


def _prefix(job: Job, pipeline: Pipeline, stop: int) -> Coin:
    """The coin after ``stop`` steps, built from the longest cached shorter prefix, so that
    replicates differing only in normalisation share one treatment, and so on."""
    key = (job.token, pipeline.key(stop))
    coin = _CACHE.get(key)
    if coin is not None:
        return coin
    if stop == 0:
        coin = new_coin(job.data, job.weight_sets)
    else:
        before = _prefix(job, pipeline, stop - 1)
        coin = replace(before, dsets=dict(before.dsets), analysis={},
                       weights=dict(before.weights))
        run(coin, pipeline, stop - 1, stop)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = coin
    return coin


def _agg_stop(pipeline: Pipeline) -> int:
    i = pipeline.index_of("aggregate")
    if i is None or i != len(pipeline.steps) - 1:
        raise InputError("the pipeline must end with its aggregate step", where=pipeline.source)
    return i


def scores(job: Job, reps: Sequence[Replicate], codes: Sequence[str] | None = None
           ) -> np.ndarray:
    """Scores of ``codes`` (default: the target) for every unit (job.units order), in every
    replicate: shape (units, replicates, codes); NaN where a unit was screened out or a
    replicate failed (gmean over zero, say)."""
    codes = list(codes or [job.target_code])
    out = np.full((len(job.units), len(reps), len(codes)), np.nan)
    groups: dict[tuple[str, str], list[int]] = {}
    pipes = [replicate_pipeline(job.pipeline, r) for r in reps]
    for i, p in enumerate(pipes):
        stop = _agg_stop(p)
        groups.setdefault((p.key(stop), _json(p.steps[stop].settings)), []).append(i)
    for members in groups.values():
        p = pipes[members[0]]
        stop = _agg_stop(p)
        coin = _prefix(job, p, stop)
        step = p.steps[stop]
        settings = {k: v for k, v in step.settings.items() if k not in ("dset", "weights")}
        spec = agg.spec_from(settings, coin.framework, step.where)
        table = coin.dset(step.settings.get("dset"))
        ind = [c for c in table.codes if c in coin.framework.indicators]
        named = step.settings.get("weights")
        resolved: dict[str | None, np.ndarray] = {}
        wcodes = list(_weights(coin, p, reps[members[0]], named))
        for i in members:
            key = reps[i].weight_set
            if key not in resolved:
                ws = _weights(coin, pipes[i], reps[i], named)
                resolved[key] = np.array([ws[c] for c in wcodes])
        w = np.array([resolved[reps[i].weight_set] for i in members])
        agg_codes, values = agg.aggregate(table.select(ind)[None], ind, coin.framework, spec, w,
                                          wcodes, strict=False)
        rows = job.data.units.lookup(table.units)
        for k, c in enumerate(codes):
            if c in agg_codes:
                v = values[:, :, agg_codes.index(c)]
            else:
                v = np.broadcast_to(table.column(c)[None], (len(members), len(rows)))
            out[np.ix_(rows, members, [k])] = v.T[:, :, None]
    return out


def _json(obj: Any) -> str:
    import json

    return json.dumps(obj, sort_keys=True, default=str)


def _weights(coin: Coin, pipeline: Pipeline, rep: Replicate, named: Any) -> dict[str, float]:
    weights = dict(coin.weights)
    if named is not None:
        weights = resolve_weights(coin, {"set": named}, pipeline.source)
    if rep.weight_set is not None:
        if rep.weight_set not in coin.weight_sets:
            raise InputError(f"no weight set {rep.weight_set!r}", where="design")
        weights = check_weights(coin.weight_sets[rep.weight_set], coin.framework, "design")
    return weights


def _score_part(part: Sequence[Replicate], job: Job) -> np.ndarray:
    return scores(job, part)[:, :, 0]


def replay(job: Job, reps: Sequence[Replicate], runner: Runner | None = None,
           size: int = 256) -> np.ndarray:
    """Target scores (units, replicates), partitions run through ``runner``."""
    if not reps:
        return np.empty((len(job.units), 0))
    parts = map_partitions(_score_part, partitions(list(reps), size), runner, job=job)
    return np.concatenate(parts, axis=1)


def _codes_part(part: Sequence[Replicate], job: Job, codes: Sequence[str]) -> np.ndarray:
    return scores(job, part, codes)


def replay_codes(job: Job, reps: Sequence[Replicate], codes: Sequence[str],
                 runner: Runner | None = None, size: int = 256) -> np.ndarray:
    """Scores of ``codes`` (units, replicates, codes), partitions run through ``runner``."""
    if not reps:
        return np.empty((len(job.units), 0, len(codes)))
    parts = map_partitions(_codes_part, partitions(list(reps), size), runner, job=job,
                           codes=list(codes))
    return np.concatenate(parts, axis=1)


def nominal(job: Job, codes: Sequence[str] | None = None) -> np.ndarray:
    """Nominal scores of the target (units,), or of ``codes`` (units, codes)."""
    if codes is None:
        return scores(job, [Replicate()])[:, 0, 0]
    return scores(job, [Replicate()], codes)[:, 0, :]


@dataclass(frozen=True)
class RankStats:
    """Per unit: nominal rank, mean, median, 5 % and 95 % quantiles of the rank."""

    nominal: np.ndarray
    mean: np.ndarray
    median: np.ndarray
    q5: np.ndarray
    q95: np.ndarray


def rank_stats(nominal_scores: np.ndarray, reps: np.ndarray) -> RankStats:
    """From scores (units, replicates), as COINr's ``get_sensitivity`` does (type-7 quantiles,
    NaN ranks skipped)."""
    r = rank_desc(reps, axis=0)
    n = np.sum(~np.isnan(r), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(r, axis=1) / n, np.nan)
    median, q5, q95 = row_quantiles(r, (0.5, 0.05, 0.95))
    return RankStats(rank_desc(nominal_scores, axis=0), mean, median, q5, q95)


def summary(nominal_scores: np.ndarray, reps: np.ndarray) -> dict[str, np.ndarray]:
    """Per unit, for one element: replicates with a score, rank statistics and the 5 %,
    50 % and 95 % score quantiles (type 7), named as the store's uncertainty columns."""
    rs = rank_stats(nominal_scores, reps)
    q = row_quantiles(reps, (0.05, 0.5, 0.95))
    return {"replicates": np.sum(~np.isnan(reps), axis=1), "nominal_rank": rs.nominal,
            "mean_rank": rs.mean, "median_rank": rs.median, "q05_rank": rs.q5,
            "q95_rank": rs.q95, "score_q05": q[0], "score_median": q[1], "score_q95": q[2]}


@dataclass
class RankHistogram:
    """Streaming rank statistics: counts[u, k] = replicates in which unit u ranked k + 1."""

    counts: np.ndarray
    total: np.ndarray

    @classmethod
    def of(cls, scores_: np.ndarray) -> RankHistogram:
        n_units = scores_.shape[0]
        r = rank_desc(scores_, axis=0)
        flat = np.arange(n_units)[:, None] * n_units - 1 + np.nan_to_num(r, nan=-1).astype(
            np.int64)
        ok = ~np.isnan(r)
        flat = flat[ok] if not ok.all() else flat.ravel()
        counts = np.bincount(flat, minlength=n_units * n_units).reshape(n_units, n_units)
        return cls(counts, np.nansum(r, axis=1))

    def __add__(self, other: RankHistogram) -> RankHistogram:
        return RankHistogram(self.counts + other.counts, self.total + other.total)

    def quantile(self, q: float) -> np.ndarray:
        """Type-7 quantile of each unit's ranks, exact from the counts."""
        n = self.counts.sum(axis=1)
        cum = np.cumsum(self.counts, axis=1)
        h = (n - 1) * q
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, n - 1)

        def order_stat(k: np.ndarray) -> np.ndarray:
            return np.array([np.searchsorted(cum[u], k[u], side="right") + 1
                             for u in range(len(k))], dtype=float)

        a, b = order_stat(lo), order_stat(hi)
        return a + (h - lo) * (b - a)

    def stats(self, nominal_ranks: np.ndarray) -> RankStats:
        n = self.counts.sum(axis=1)
        return RankStats(nominal_ranks, self.total / n, self.quantile(0.5), self.quantile(0.05),
                         self.quantile(0.95))


def _hist_part(part: Sequence[Replicate], job: Job) -> RankHistogram:
    return RankHistogram.of(scores(job, part)[:, :, 0])


def streamed_rank_stats(job: Job, reps: Sequence[Replicate], runner: Runner | None = None,
                        size: int = 256) -> RankStats:
    """Rank statistics without keeping every replicate: memory independent of their number."""
    order = sorted(range(len(reps)), key=lambda i: _json(reps[i].overrides))
    hist = reduce_partitions(_hist_part, partitions([reps[i] for i in order], size),
                             lambda a, b: a + b, runner, job=job)
    return hist.stats(rank_desc(nominal(job), axis=0))


def remove_elements(job: Job, level: int) -> dict[str, float]:
    """COINr's ``remove_elements``: for each code at ``level``, the mean absolute change in
    the target's rank when that code's weight is set to zero (all in one vectorised pass)."""
    fw = job.data.framework
    base = new_coin(job.data, job.weight_sets)
    original = dict(base.weights)
    codes = list(fw.level_codes(level))
    sets = dict(job.weight_sets)
    for c in codes:
        sets[f"removed:{c}"] = {**original, c: 0.0}
    sub = Job(job.data, job.pipeline, sets, job.target, job.token + ":removed")
    reps = [Replicate()] + [Replicate({}, f"removed:{c}") for c in codes]
    s = scores(sub, reps)[:, :, 0]
    from digimeter.index.analysis import mean_abs_rank_change

    diffs = mean_abs_rank_change(s[:, 0], s[:, 1:])
    return {"Nominal": 0.0, **dict(zip(codes, map(float, diffs), strict=True))}
