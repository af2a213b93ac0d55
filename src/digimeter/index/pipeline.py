"""A pipeline of COINr steps read from YAML, and the coin it builds.

Each step reads the latest data set (or ``dset: Name``) and writes its own, under COINr's
names: Denominated, Imputed, Screened, Treated, Normalised, Aggregated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from digimeter.errors import InputError
from digimeter.index import aggregate as agg
from digimeter.index import normalise as norm
from digimeter.index import treat as tr
from digimeter.index.bod import bod_weights
from digimeter.index.data import IndexData, Table
from digimeter.index.denominate import denominate, denominators_from_meta
from digimeter.index.impute import (
    PANEL_METHODS,
    impute_columns,
    impute_panel,
    impute_rows,
    panel_kind,
)
from digimeter.index.impute import method_name as impute_method
from digimeter.index.screen import rule_name, screen
from digimeter.index.weights import resolve_weights

STEPS = ("denominate", "impute", "screen", "treat", "normalise", "weights", "aggregate")
WRITES = {"denominate": "Denominated", "impute": "Imputed", "screen": "Screened",
          "treat": "Treated", "normalise": "Normalised", "aggregate": "Aggregated"}
ALIASES = {"normalize": "normalise", "weight": "weights"}
OPTIMISE = ("optimise", "optimize", "opt")


@dataclass(frozen=True)
class Step:
    name: str
    settings: Mapping[str, Any]
    position: int = 0
    source: str = "pipeline"

    @property
    def where(self) -> str:
        return f"{self.source}, step {self.position} ({self.name})"


@dataclass(frozen=True)
class Pipeline:
    steps: tuple[Step, ...]
    source: str = "pipeline"

    def key(self, upto: int | None = None) -> str:
        """A stable text key of the first ``upto`` steps: replicates sharing it share data."""
        return json.dumps([[s.name, s.settings] for s in self.steps[:upto]], sort_keys=True,
                          default=str)

    def index_of(self, name: str) -> int | None:
        found = [i for i, s in enumerate(self.steps) if s.name == name]
        return found[-1] if found else None

    def with_settings(self, name: str, updates: Mapping[str, Any]) -> Pipeline:
        """The pipeline with ``updates`` merged into step ``name``; an absent step is added
        where COINr's order puts it (impute before screen, treat before normalise, ...)."""
        steps = list(self.steps)
        i = self.index_of(name)
        if i is None:
            later = [k for k, s in enumerate(steps)
                     if s.name in STEPS and STEPS.index(s.name) > STEPS.index(name)]
            j = later[0] if later else len(steps)
            steps.insert(j, Step(name, dict(updates), j + 1, self.source))
        else:
            steps[i] = replace(steps[i], settings={**steps[i].settings, **updates})
        return Pipeline(tuple(steps), self.source)


def parse_pipeline(obj: object, source: str = "pipeline") -> Pipeline:
    steps_obj = obj.get("steps") if isinstance(obj, Mapping) else obj
    if not isinstance(steps_obj, list) or not steps_obj:
        raise InputError("expected 'steps:' with a list of steps", where=source)
    steps = []
    for i, item in enumerate(steps_obj, start=1):
        if isinstance(item, str):
            item = {item: {}}
        if not isinstance(item, Mapping) or len(item) != 1:
            raise InputError("each step is one mapping such as '- treat: {winmax: 5}'",
                             where=f"{source}, step {i}")
        (name, settings), = item.items()
        name = ALIASES.get(str(name), str(name))
        if name not in STEPS:
            raise InputError(f"unknown step {name!r} (one of {', '.join(STEPS)})",
                             where=f"{source}, step {i}")
        if settings is None:
            settings = {}
        if not isinstance(settings, Mapping):
            raise InputError("settings must be a mapping", where=f"{source}, step {i} ({name})")
        steps.append(Step(name, dict(settings), i, source))
    return Pipeline(_optimise_as_aggregated(steps), source)


def _optimise_as_aggregated(steps: list[Step]) -> tuple[Step, ...]:
    """Weights optimised without their own ``aggregate`` setting are optimised for the
    aggregation the pipeline goes on to use, as COINr's ``get_opt_weights`` re-aggregates
    the coin with its own ``Aggregate()`` settings."""
    out = list(steps)
    for i, step in enumerate(steps):
        if step.name != "weights" or "aggregate" in step.settings or \
                str(step.settings.get("method")) not in OPTIMISE:
            continue
        later = [s for s in steps[i + 1:] if s.name == "aggregate"]
        if later:
            how = {k: v for k, v in later[0].settings.items() if k not in ("dset", "weights")}
            out[i] = replace(step, settings={**step.settings, "aggregate": how})
    return tuple(out)


def load_pipeline(path: Path) -> Pipeline:
    path = Path(path)
    try:
        obj = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read pipeline: {exc.strerror}", where=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", where=where) from None
    return parse_pipeline(obj, str(path))


@dataclass
class Coin:
    """The state a pipeline builds: data sets by name, analysis outputs, weight sets."""

    data: IndexData
    dsets: dict[str, Table] = field(default_factory=dict)
    analysis: dict[str, Any] = field(default_factory=dict)
    weight_sets: dict[str, dict[str, float]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    latest: str = "Raw"

    @property
    def framework(self):  # type: ignore[no-untyped-def]
        return self.data.framework

    def dset(self, name: str | None = None) -> Table:
        name = name or self.latest
        if name not in self.dsets:
            raise InputError(f"data set {name!r} does not exist yet (have "
                             f"{', '.join(self.dsets)})", where="pipeline")
        return self.dsets[name]

    def write(self, name: str, table: Table) -> None:
        self.dsets[name] = table
        self.latest = name


def new_coin(data: IndexData, weight_sets: Mapping[str, Mapping[str, float]] | None = None
             ) -> Coin:
    original = data.framework.weights()
    sets = {"Original": original, **{k: dict(v) for k, v in (weight_sets or {}).items()}}
    return Coin(data, {"Raw": data.raw}, {}, sets, dict(original))


def _check(step: Step, known: set[str]) -> None:
    unknown = set(step.settings) - known - {"dset"}
    if unknown:
        raise InputError(f"unknown setting(s) {', '.join(sorted(unknown))}", where=step.where)


def run_denominate(coin: Coin, step: Step) -> None:
    _check(step, {"denomby", "scale"})
    denomby = step.settings.get("denomby") or denominators_from_meta(coin.framework)
    coin.write("Denominated", denominate(coin.dset(step.settings.get("dset")), coin.data.units,
                                         denomby, step.settings.get("scale"), step.where))


def run_impute(coin: Coin, step: Step) -> None:
    if is_panel_impute(step):
        run_panel_impute([coin], step)
        return
    _check(step, {"method", "group", "by", "normalise_first"})
    s = step.settings
    table = coin.dset(s.get("dset"))
    method = impute_method(s.get("method", "mean"), step.where)
    by = s.get("by", "column")
    if by == "row":
        values = impute_rows(table.values, method, coin.framework.directions(table.codes),
                             bool(s.get("normalise_first", True)))
    elif by == "column":
        groups = None
        if method.endswith("group"):
            group = s.get("group")
            if group not in coin.data.units.groups:
                raise InputError(f"group {group!r} is not a Group column of iData",
                                 where=step.where)
            groups = coin.data.units.groups[group][coin.data.units.lookup(table.units)]
        values = impute_columns(table.values, method, groups)
    else:
        raise InputError(f"by {by!r} is not column or row", where=step.where)
    coin.write("Imputed", table.with_values(values))


def is_panel_impute(step: Step) -> bool:
    return step.name == "impute" and str(step.settings.get("method")) in PANEL_METHODS


def run_panel_impute(coins: Sequence[Coin], step: Step) -> None:
    """COINr's ``Impute()`` on a purse with ``impute_panel``: every Time's data set stacked,
    imputed along Time, and split back into the coins."""
    _check(step, {"method", "type", "imp_type", "max_time"})
    s = step.settings
    kind, max_time = panel_kind(s.get("type", s.get("imp_type", "latest")), s.get("max_time"),
                                step.where)
    times = [c.data.units.time for c in coins]
    if len(coins) < 2 or any(t is None for t in times):
        raise InputError("panel imputation needs iData with a Time column holding several "
                         "years", where=step.where)
    tables = [c.dset(s.get("dset")) for c in coins]
    codes = tables[0].codes
    if any(t.codes != codes for t in tables):
        raise InputError("the years' data sets have different columns", where=step.where)
    values = impute_panel(np.vstack([t.values for t in tables]),
                          np.concatenate([np.full(len(t.units), c.data.units.time[0])
                                          for t, c in zip(tables, coins, strict=True)]),
                          np.array([u for t in tables for u in t.units], dtype=object),
                          kind, max_time)
    start = 0
    for coin, table in zip(coins, tables, strict=True):
        stop = start + len(table.units)
        coin.write("Imputed", table.with_values(values[start:stop]))
        start = stop


def run_screen(coin: Coin, step: Step) -> None:
    _check(step, {"dat_thresh", "nonzero_thresh", "by", "unit_screen", "force"})
    s = step.settings
    rule = rule_name(s.get("by", s.get("unit_screen", "byNA")), step.where)
    res = screen(coin.dset(s.get("dset")), rule, s.get("dat_thresh"), s.get("nonzero_thresh"),
                 s.get("force"), step.where)
    coin.analysis["Screened"] = {"summary": res.summary, "removed": res.removed}
    coin.write("Screened", res.table)


def run_treat(coin: Coin, step: Step) -> None:
    settings = {k: v for k, v in step.settings.items() if k != "dset"}
    if settings.get("method") == "none":
        coin.write("Treated", coin.dset(step.settings.get("dset")))
        return
    spec = tr.spec_from(settings, step.where)
    overrides: dict[str, tr.TreatSpec | None] = {}
    for code, sub in dict(settings.get("indicators") or {}).items():
        overrides[code] = None if sub == "none" else tr.spec_from(dict(sub), step.where, spec)
    table = coin.dset(step.settings.get("dset"))
    res = tr.treat(table.codes, table.values, spec, overrides)
    coin.analysis["Treated"] = {"details": res.details, "points": res.points}
    coin.write("Treated", table.with_values(res.values))


def run_normalise(coin: Coin, step: Step) -> None:
    settings = {k: v for k, v in step.settings.items() if k != "dset"}
    spec = norm.spec_from(settings, step.where)
    overrides = {code: norm.spec_from(dict(sub), f"{step.where}, indicator {code}")
                 for code, sub in dict(settings.get("indicators") or {}).items()}
    table = coin.dset(step.settings.get("dset"))
    values = norm.normalise(table.values, table.codes, table.units, coin.framework, spec,
                            overrides, step.where)
    coin.write("Normalised", table.with_values(values))


def run_weights(coin: Coin, step: Step) -> None:
    _check(step, {"set", "method", "file", "level", "weights", "itarg", "cortype", "optype",
                  "aggregate", "toler", "maxiter"})
    coin.weights = resolve_weights(coin, step.settings, step.where)


def run_aggregate(coin: Coin, step: Step) -> None:
    s = {k: v for k, v in step.settings.items() if k != "dset"}
    spec = agg.spec_from(s, coin.framework, step.where)
    weights = coin.weights
    if "weights" in s:
        weights = resolve_weights(coin, {"set": s["weights"]}, step.where)
    table = coin.dset(step.settings.get("dset"))
    codes = [c for c in table.codes if c in coin.framework.indicators]
    x = table.select(codes)[None]
    wcodes = list(weights)
    w = np.array([[weights[c] for c in wcodes]])
    out_codes, values = agg.aggregate(x, codes, coin.framework, spec, w, wcodes, True,
                                      table.units)
    coin.analysis["Aggregated"] = {"weights": dict(weights)}
    coin.write("Aggregated", table.extend(out_codes, values[0]))
    groups = [(parent, kids, spec.method(parent, level).params)
              for level, parents in enumerate(coin.framework.tree(), start=2)
              for parent, kids in parents if spec.method(parent, level).name == "bod"]
    if groups:
        final = coin.dset()
        coin.analysis["BoD"] = dict(zip(("codes", "weights"), bod_weights(
            {c: final.column(c) for c in final.codes}, groups), strict=True))


RUNNERS: dict[str, Callable[[Coin, Step], None]] = {
    "denominate": run_denominate, "impute": run_impute, "screen": run_screen,
    "treat": run_treat, "normalise": run_normalise, "weights": run_weights,
    "aggregate": run_aggregate,
}


def run(coin: Coin, pipeline: Pipeline, start: int = 0, stop: int | None = None) -> Coin:
    for step in pipeline.steps[start:stop]:
        RUNNERS[step.name](coin, step)
    return coin


def build(data: IndexData, pipeline: Pipeline,
          weight_sets: Mapping[str, Mapping[str, float]] | None = None) -> Coin:
    return run(new_coin(data, weight_sets), pipeline)


def build_panel(datasets: Sequence[IndexData], pipeline: Pipeline,
                weight_sets: Mapping[str, Mapping[str, float]] | None = None) -> list[Coin]:
    """One coin per Time, built step by step together so that a panel imputation sees every
    year (COINr's purse)."""
    coins = [new_coin(d, weight_sets) for d in datasets]
    for step in pipeline.steps:
        if is_panel_impute(step):
            run_panel_impute(coins, step)
            continue
        for coin in coins:
            RUNNERS[step.name](coin, step)
    return coins
