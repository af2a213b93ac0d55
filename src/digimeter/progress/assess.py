"""Assessing targets against observations, vectorised over every target at once.

Targets (one row each) carry: id, region_code, indicator, value, comparator, year,
baseline_year, baseline_value, direction (+1 higher is better, -1 lower), form, and optionally
plan_year. Observations carry one value per region_code, indicator and year, in the same base
unit as the target.

Forms of target:
- ``level``: a stock or share to reach by the target year (CAGR ratio, open-sdg style);
- ``change``: a change relative to the baseline (提高3个百分点): the level to reach is the
  baseline plus the change;
- ``multiple``: a multiple of the baseline (翻番 → 2);
- ``rate``: a growth rate (增长12%) or ``flow``: an amount per year (新增15家): each year's
  observation is compared with the target itself, R = observed / target; once the target
  year has passed only that year's observation counts (a later year's rate says nothing
  about it).

Zero baselines and targets are replaced by the method's ``zero_replacement`` (open-sdg uses
0.001); a baseline and a latest value of opposite signs cannot give a growth rate and are
reported as insufficient data with that reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from digimeter.progress.methods import Method, band
from digimeter.progress.project import project

FORMS = ("level", "change", "multiple", "rate", "flow")
OUTPUT = ["id", "status", "method", "form", "ratio", "cagr_actual", "cagr_required",
          "baseline_year", "baseline_value", "latest_year", "latest_value", "target_value",
          "target_year", "projected_value", "projected_low", "projected_high", "gap", "reason"]
SERIES = ["region_code", "indicator"]


def _before_plan(targets: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """For targets with a plan year: the last observation of an earlier year."""
    planned = targets[targets["plan_year"].notna()] if "plan_year" in targets else targets[:0]
    if planned.empty:
        return pd.DataFrame({"_before_year": [], "_before_value": []})
    left = planned[SERIES].assign(_key=planned["plan_year"].astype("int64") - 1)
    right = obs[[*SERIES, "year", "value"]].rename(
        columns={"year": "_before_year", "value": "_before_value"})
    right = right.assign(_key=right["_before_year"].astype("int64"))
    found = pd.merge_asof(left.reset_index().sort_values("_key"), right.sort_values("_key"),
                          on="_key", by=SERIES, direction="backward")
    return found.set_index("index")[["_before_year", "_before_value"]]


def _baselines(targets: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """Stated baseline, else the observation before the plan year, else the earliest one."""
    first = obs.groupby(SERIES, as_index=False).first()[[*SERIES, "year", "value"]]
    out = targets.join(_before_plan(targets, obs))
    out = out.merge(first.rename(columns={"year": "_first_year", "value": "_first_value"}),
                    on=SERIES, how="left")
    stated = out["baseline_year"].notna() & out["baseline_value"].notna()
    before = ~stated & out["_before_value"].notna()
    out["baseline_year"] = np.where(stated, out["baseline_year"],
                                    np.where(before, out["_before_year"], out["_first_year"]))
    out["baseline_value"] = np.where(stated, out["baseline_value"],
                                     np.where(before, out["_before_value"],
                                              out["_first_value"]))
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])


def _latest(targets: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    last = obs.groupby(SERIES, as_index=False).last()[[*SERIES, "year", "value"]]
    out = targets.merge(last.rename(columns={"year": "latest_year", "value": "latest_value"}),
                        on=SERIES, how="left")
    at_year = obs.rename(columns={"year": "target_year", "value": "_value_at_target_year"})
    out = out.merge(at_year[[*SERIES, "target_year", "_value_at_target_year"]],
                    on=[*SERIES, "target_year"], how="left")
    return out


def _target_level(t: pd.DataFrame) -> np.ndarray:
    value = t["value"].to_numpy(float)
    base = t["baseline_value"].to_numpy(float)
    form = t["form"].to_numpy()
    return np.select([form == "change", form == "multiple"],
                     [base + t["direction"].to_numpy(float) * value, base * value], value)


def _met(current: np.ndarray, target: np.ndarray, comparator: np.ndarray,
         direction: np.ndarray, tolerance: float) -> np.ndarray:
    up = direction > 0
    about = np.where(up, current >= target * (1 - tolerance * np.sign(target)),
                     current <= target * (1 + tolerance * np.sign(target)))
    strict = np.where(up, current > target, current < target)
    plain = np.where(up, current >= target, current <= target)
    met = np.select([comparator == "~", comparator == ">", comparator == "<="],
                    [about, strict, current <= target], plain)
    return met & ~np.isnan(current) & ~np.isnan(target)


def _cagr(end: np.ndarray, start: np.ndarray, years: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(years > 0, np.power(end / start, 1.0 / years) - 1.0, np.nan)


def assess(targets: pd.DataFrame, observations: pd.DataFrame, method: Method,
           about_tolerance: float = 0.02) -> pd.DataFrame:
    """One row per target: status, growth ratio, CAGRs, latest value, projection, reason."""
    obs = observations.astype({"region_code": str, "indicator": str, "year": "int64",
                               "value": float})
    obs = obs.sort_values([*SERIES, "year"], kind="stable")
    t = targets.rename(columns={"year": "target_year"}).reset_index(drop=True)
    t = t.astype({"region_code": str, "indicator": str})
    t = _latest(_baselines(t, obs), obs)
    zero = method.zero_replacement
    base = t["baseline_value"].to_numpy(float)
    base = np.where(base == 0, zero, base)
    direction = t["direction"].to_numpy(float)
    form = t["form"].to_numpy()
    per_year = np.isin(form, ("rate", "flow"))
    target_year = t["target_year"].to_numpy(float)
    base_year = t["baseline_year"].to_numpy(float)
    latest_year = t["latest_year"].to_numpy(float)
    latest = t["latest_value"].to_numpy(float)
    at_target = t["_value_at_target_year"].to_numpy(float)
    current = np.where(per_year & ~np.isnan(at_target), at_target, latest)
    level = _target_level(t)
    level = np.where((level == 0) & ~per_year, zero, level)
    met = _met(current, level, t["comparator"].to_numpy(), direction, about_tolerance)
    met &= ~per_year | ~np.isnan(at_target)  # a yearly target is met only in its year
    has_year = ~np.isnan(target_year)
    sign = np.where(base < 0, -1.0, 1.0)
    span_actual = latest_year - base_year
    cagr_actual = np.where(per_year, np.nan, _cagr(latest, base, span_actual))
    cagr_required = np.where(per_year, np.nan, _cagr(level, base, target_year - base_year))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cagr_required == 0,
                         np.where(sign * direction * cagr_actual >= 0, np.inf, -np.inf),
                         sign * direction * cagr_actual / np.abs(cagr_required))
        rate_ratio = np.where(direction > 0, current / level, level / current)
    ratio = np.where(per_year, rate_ratio, ratio)
    status = band(ratio, method.bands)
    trend = band(sign * direction * cagr_actual, method.no_target_year)
    status = np.where(has_year | per_year, status, trend)
    reason = np.full(len(t), "", dtype=object)
    no_data = np.isnan(latest) | (~per_year & (np.isnan(base) | ~(span_actual > 0)))
    reason[no_data] = "fewer than two usable observations"
    crossing = ~per_year & ~no_data & (np.sign(base) * np.sign(latest) < 0)
    reason[crossing] = "baseline and latest value have opposite signs"
    needs_base = np.isin(form, ("change", "multiple")) & np.isnan(base)
    reason[needs_base] = "a change or multiple needs a baseline"
    passed_unseen = per_year & has_year & np.isnan(at_target) & (latest_year > target_year)
    reason[passed_unseen] = "no observation for the target year"
    insufficient = no_data | crossing | needs_base | passed_unseen
    missed = has_year & ~np.isnan(latest_year) & (latest_year >= target_year)
    status = np.where(met, "achieved",
                      np.where(insufficient, "insufficient_data",
                               np.where(missed, "missed", status)))
    reason = np.where(met, "", reason)
    result = t.assign(status=status, ratio=np.where(insufficient | met, np.nan, ratio),
                      cagr_actual=cagr_actual, cagr_required=cagr_required, target_value=level,
                      reason=reason, method=method.name)
    result = project(result, obs)
    return result[OUTPUT]
