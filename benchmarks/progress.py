"""Tracking benchmark: 100,000 targets over 10,000,000 observations. Prints its figures.

    .venv/bin/python benchmarks/progress.py [--targets N] [--observations M]

Goal (issue #5): under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from digimeter.progress import assess, get_method


def generate(n_targets: int, n_obs: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Series of 10 to 20 years each; one target per series, forms and comparators mixed."""
    rng = np.random.default_rng(seed)
    years = 2005 + np.arange(20)
    n_series = n_obs // len(years)
    region = np.repeat(np.arange(n_series) % 3000, len(years)).astype(str)
    indicator = np.repeat(np.arange(n_series) // 3000, len(years)).astype(str)
    growth = np.repeat(rng.normal(0.05, 0.05, n_series), len(years))
    year = np.tile(years, n_series)
    value = 100 * np.power(1 + growth, year - 2005) * rng.lognormal(0, 0.02, len(year))
    obs = pd.DataFrame({"region_code": region, "indicator": indicator, "year": year,
                        "value": value})
    pick = rng.choice(n_series, size=n_targets, replace=n_targets > n_series)
    forms = rng.choice(["level", "level", "level", "change", "multiple", "rate"], n_targets)
    targets = pd.DataFrame({
        "id": np.arange(n_targets).astype(str),
        "region_code": (pick % 3000).astype(str), "indicator": (pick // 3000).astype(str),
        "value": np.where(forms == "level", rng.uniform(150, 400, n_targets),
                          np.where(forms == "multiple", 2.0, rng.uniform(1, 10, n_targets))),
        "comparator": rng.choice([">=", "~", ">", "="], n_targets),
        "year": rng.integers(2026, 2036, n_targets).astype(float),
        "baseline_year": np.nan, "baseline_value": np.nan,
        "direction": 1, "form": forms, "unit": "count",
        "plan_year": rng.integers(2010, 2020, n_targets).astype(float)})
    return targets, obs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--targets", type=int, default=100_000)
    parser.add_argument("--observations", type=int, default=10_000_000)
    args = parser.parse_args()
    targets, obs = generate(args.targets, args.observations)
    start = time.perf_counter()
    result = assess(targets, obs, get_method())
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    counts = result["status"].value_counts().to_dict()
    print(f"  progress {len(targets):>9,} targets over {len(obs):,} observations  "
          f"{elapsed:7.2f} s  peak RSS {peak:.2f} GiB  {counts}")


if __name__ == "__main__":
    main()
