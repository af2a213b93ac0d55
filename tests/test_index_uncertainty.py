"""Uncertainty and sensitivity: replaying COINr's designs, Sobol indices, streaming ranks."""

from __future__ import annotations

import numpy as np
import pytest

from digimeter.index.analysis import mean_abs_rank_change
from digimeter.index.pipeline import build
from digimeter.index.sensitivity import parse_input, read_design, sample_sa, sobol, to_choices
from digimeter.index.uncertainty import (
    Job,
    RankHistogram,
    Replicate,
    nominal,
    rank_stats,
    replay,
    replicate_pipeline,
    streamed_rank_stats,
)
from digimeter.index.weights import read_weight_sets
from tests.index_helpers import COINR, asem, needs_oracle, oracle, pipeline_a

SENS = COINR / "sensitivity"
pytestmark = needs_oracle


def _job():
    return Job(asem(), pipeline_a(), read_weight_sets(SENS / "asem_sa_noisy_weights.csv"))


@pytest.fixture(scope="module")
def replays():
    job = _job()
    out = {}
    for run in ("UA", "SA"):
        reps = read_design(SENS / f"asem_sa_{run}_N100_design.csv")
        out[run] = (job, reps, nominal(job), replay(job, reps, size=64))
    return out


@pytest.mark.parametrize("run", ["UA", "SA"])
def test_replay_reproduces_every_replicate_score(replays, run):
    job, reps, nom, scores = replays[run]
    expected = oracle(SENS / f"asem_sa_{run}_N100_scores.csv")
    assert list(expected.columns) == ["Nominal", *(f"r_{i}" for i in range(1, len(reps) + 1))]
    rows = [job.units.index(u) for u in expected.index]
    got = np.column_stack([nom, scores])[rows]
    e = expected.to_numpy(float)
    assert np.array_equal(np.isnan(got), np.isnan(e))
    assert np.nanmax(np.abs(got - e)) <= 1e-9


@pytest.mark.parametrize("run", ["UA", "SA"])
def test_replay_reproduces_rank_statistics(replays, run):
    job, reps, nom, scores = replays[run]
    expected = oracle(SENS / f"asem_sa_{run}_N100_rankstats.csv")
    used = scores[:, :200] if run == "SA" else scores
    rs = rank_stats(nom, used)
    rows = [job.units.index(u) for u in expected.index]
    got = np.column_stack([rs.nominal, rs.mean, rs.median, rs.q5, rs.q95])[rows]
    assert np.max(np.abs(got - expected.to_numpy(float))) <= 1e-9


def test_one_replicate_equals_a_full_rebuild(replays):
    job, reps, _, scores = replays["UA"]
    rep = reps[7]
    pipe = replicate_pipeline(job.pipeline, rep)
    pipe = pipe.with_settings("aggregate", {"weights": rep.weight_set})
    coin = build(job.data, pipe, job.weight_sets)
    assert np.allclose(coin.dsets["Aggregated"].column("Index"), scores[:, 7], rtol=1e-13)


def test_sobol_indices_reproduce_coinr(replays):
    _, _, nom, scores = replays["SA"]
    expected = oracle(SENS / "asem_sa_SA_N100_sensitivity_indices.csv", "Variable")
    y = mean_abs_rank_change(nom, scores)
    res = sobol(y, 100, 4, nboot=2000, rng=np.random.default_rng(7))
    assert np.max(np.abs(res.si - expected.Si.to_numpy())) <= 1e-9
    assert np.max(np.abs(res.sti - expected.STi.to_numpy())) <= 1e-9
    for ours, theirs, lo, hi in [(res.si_q5, "Si_q5", "Si_q5", "Si_q95"),
                                 (res.si_q95, "Si_q95", "Si_q5", "Si_q95"),
                                 (res.sti_q5, "STi_q5", "STi_q5", "STi_q95"),
                                 (res.sti_q95, "STi_q95", "STi_q5", "STi_q95")]:
        width = (expected[hi] - expected[lo]).to_numpy()
        assert np.all(np.abs(ours - expected[theirs].to_numpy()) <= 0.35 * width), theirs
    assert np.all(res.si_q5 <= res.si) and np.all(res.si <= res.si_q95)


def test_streamed_rank_statistics_equal_the_direct_ones(replays):
    job, reps, nom, scores = replays["UA"]
    direct = rank_stats(nom, scores)
    streamed = streamed_rank_stats(job, reps, size=17)
    for a, b in [(direct.mean, streamed.mean), (direct.median, streamed.median),
                 (direct.q5, streamed.q5), (direct.q95, streamed.q95)]:
        assert np.allclose(a, b, rtol=0, atol=1e-12)


def test_histogram_quantiles_handle_missing_ranks():
    rng = np.random.default_rng(0)
    s = rng.random((6, 40))
    s[2, :5] = np.nan
    hist = RankHistogram.of(s[:, :13]) + RankHistogram.of(s[:, 13:])
    direct = rank_stats(np.zeros(6), s)
    assert np.allclose(hist.quantile(0.05), direct.q5)
    assert np.allclose(hist.quantile(0.95), direct.q95)


def test_drawn_replicates_agree_with_coinr_within_monte_carlo_error():
    job = _job()
    inputs = [parse_input("winmax", [1, 2, 3, 4, 5], [], "t"),
              parse_input("normalisation", [{"method": "minmax", "params": [1, 100]},
                                            {"method": "zscore", "params": [10, 2]}], [], "t"),
              parse_input("weights", "all", list(job.weight_sets), "t"),
              parse_input("aggregation", ["amean", "gmean"], [], "t")]
    u = np.random.default_rng(11).random((400, 4))
    reps = to_choices(u, inputs)
    rs = rank_stats(nominal(job), replay(job, reps))
    expected = oracle(SENS / "asem_sa_UA_N100_rankstats.csv")
    rows = [job.units.index(x) for x in expected.index]
    assert np.abs(rs.mean[rows] - expected.Mean.to_numpy()).mean() < 0.5
    assert np.abs(rs.median[rows] - expected.Median.to_numpy()).max() <= 3


def test_sobol_design_layout():
    x = sample_sa(5, 3, np.random.default_rng(1))
    a, b = x[:5], x[5:10]
    for i in range(3):
        block = x[10 + 5 * i: 15 + 5 * i]
        assert np.array_equal(block[:, i], b[:, i])
        others = [j for j in range(3) if j != i]
        assert np.array_equal(block[:, others], a[:, others])


def test_replicates_with_no_overrides_equal_the_nominal():
    job = _job()
    s = replay(job, [Replicate(), Replicate()])
    assert np.allclose(s[:, 0], nominal(job), rtol=1e-13) and np.array_equal(s[:, 1], s[:, 0])
