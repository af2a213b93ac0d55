"""Designs of uncertain inputs (COINr's design files, or drawn from a specification) and
Sobol sensitivity indices (Saltelli 2010 first order, Jansen total, bootstrap intervals)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from digimeter.errors import InputError, RowError
from digimeter.index.data import read_table
from digimeter.index.uncertainty import Job, Replicate, scores

DESIGN_COLUMNS = ("rep", "winmax", "norm_f_n", "norm_para", "weight_set", "f_ag", "f_ag_para",
                  "f_i", "impute_group", "overrides")


def read_design(path: Path) -> list[Replicate]:
    """COINr's design table: one replicate per row, in the order of ``rep``."""
    frame = read_table(path)
    file = str(path)
    unknown = [c for c in frame.columns if c not in DESIGN_COLUMNS]
    if unknown:
        raise RowError(f"unknown design column {unknown[0]!r} (known: "
                       f"{', '.join(DESIGN_COLUMNS)})", file=file, row=1, column=unknown[0])
    reps = []
    for i, row in enumerate(frame.to_dict("records")):
        reps.append(_design_row(row, file, i + 2))
    return reps


def _design_row(row: Mapping[str, Any], file: str, line: int) -> Replicate:
    overrides: dict[str, dict[str, Any]] = {}
    if row.get("overrides") is not None:
        try:
            overrides = {k: dict(v) for k, v in json.loads(row["overrides"]).items()}
        except (ValueError, TypeError, AttributeError):
            raise RowError("overrides is not a JSON mapping of step settings", file=file,
                           row=line, column="overrides") from None
    if row.get("winmax") is not None:
        overrides["treat"] = {"winmax": _number(row["winmax"], file, line, "winmax")}
    if row.get("norm_f_n") is not None:
        norm: dict[str, Any] = {"method": row["norm_f_n"]}
        if row.get("norm_para") is not None:
            norm["params"] = [_number(p, file, line, "norm_para")
                              for p in str(row["norm_para"]).split(";") if p.strip()]
        overrides["normalise"] = norm
    if row.get("f_ag") is not None:
        ag: dict[str, Any] = {"method": row["f_ag"]}
        if row.get("f_ag_para") is not None:
            ag["params"] = {"p": _number(row["f_ag_para"], file, line, "f_ag_para")}
        overrides["aggregate"] = ag
    if row.get("f_i") is not None:
        imp: dict[str, Any] = {"method": row["f_i"]}
        if row.get("impute_group") is not None:
            imp["group"] = row["impute_group"]
        overrides["impute"] = imp
    wset = row.get("weight_set")
    return Replicate(overrides, None if wset is None else _set(wset))


def _set(value: Any) -> str:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(f)) if f == int(f) else str(value)


def _number(value: Any, file: str, line: int, column: str) -> float | int:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise RowError(f"{value!r} is not a number", file=file, row=line, column=column) from None
    return int(f) if f == int(f) else f


@dataclass(frozen=True)
class Input:
    """One uncertain input: discrete alternatives, each a set of step overrides."""

    name: str
    choices: tuple[Replicate, ...]


SHORTCUTS = {"winmax": ("treat", "winmax"), "normalisation": ("normalise", None),
             "aggregation": ("aggregate", None), "imputation": ("impute", None)}


def read_spec(path: Path, weight_sets: Sequence[str] = ()) -> tuple[dict[str, Any], list[Input]]:
    """A YAML specification: ``N``, ``seed``, ``type`` (UA or SA) and ``inputs``."""
    try:
        obj = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read specification: {exc}", where=str(path)) from None
    if not isinstance(obj, Mapping) or not isinstance(obj.get("inputs"), Mapping):
        raise InputError("expected a mapping with 'inputs:'", where=str(path))
    inputs = [parse_input(str(k), v, weight_sets, f"{path}, input {k}")
              for k, v in obj["inputs"].items()]
    return {k: v for k, v in obj.items() if k != "inputs"}, inputs


def parse_input(name: str, value: Any, weight_sets: Sequence[str], where: str) -> Input:
    if name == "weights":
        sets = list(weight_sets) if value in ("all", None) else [_set(v) for v in value]
        if not sets:
            raise InputError("weights needs --weight-sets (or a list of set names)", where=where)
        return Input(name, tuple(Replicate({}, s) for s in sets))
    if isinstance(value, Mapping) and "step" in value:
        step = str(value["step"])
        return Input(name, tuple(Replicate({step: dict(v)}) for v in value.get("values", [])))
    if name not in SHORTCUTS or not isinstance(value, list) or not value:
        raise InputError("an input is winmax, normalisation, aggregation, imputation or "
                         "weights with a list of alternatives, or {step, values}", where=where)
    step, key = SHORTCUTS[name]
    choices = []
    for v in value:
        settings = {key: v} if key else (dict(v) if isinstance(v, Mapping) else {"method": v})
        choices.append(Replicate({step: settings}))
    return Input(name, tuple(choices))


def check_inputs(job: Job, inputs: Sequence[Input], where: str) -> None:
    """Run every alternative once, alone, so that a bad one (an unknown method, a missing
    group column) is reported as that input's before any replicate is drawn."""
    for inp in inputs:
        if not inp.choices:
            raise InputError("no alternatives", where=f"{where}, input {inp.name}")
        for k, choice in enumerate(inp.choices, start=1):
            try:
                scores(job, [choice])
            except InputError as exc:
                raise InputError(f"alternative {k}: {exc}",
                                 where=f"{where}, input {inp.name}") from None


def combine(parts: Sequence[Replicate]) -> Replicate:
    overrides: dict[str, dict[str, Any]] = {}
    wset = None
    for p in parts:
        for step, s in p.overrides.items():
            overrides.setdefault(step, {}).update(s)
        wset = p.weight_set or wset
    return Replicate(overrides, wset)


def to_choices(u: np.ndarray, inputs: Sequence[Input]) -> list[Replicate]:
    """Map uniforms (rows x inputs) to alternatives: equal-width bins of [0, 1]."""
    out = []
    for row in u:
        picks = [inp.choices[min(int(x * len(inp.choices)), len(inp.choices) - 1)]
                 for x, inp in zip(row, inputs, strict=True)]
        out.append(combine(picks))
    return out


def sample_ua(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    return rng.random((n, d))


def sample_sa(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """COINr's ``SA_sample``: A, B, then AB_i (A with column i from B), N(d + 2) rows."""
    base = rng.random((n, 2 * d))
    a, b = base[:, :d], base[:, d:]
    blocks = [a, b]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    return np.vstack(blocks)


@dataclass(frozen=True)
class SobolResult:
    si: np.ndarray
    sti: np.ndarray
    si_q5: np.ndarray | None = None
    si_q95: np.ndarray | None = None
    sti_q5: np.ndarray | None = None
    sti_q95: np.ndarray | None = None
    variance: float = float("nan")


def sobol(y: np.ndarray, n: int, d: int, nboot: int | None = None,
          rng: np.random.Generator | None = None) -> SobolResult:
    """COINr's ``SA_estimate`` on outputs laid out as ``sample_sa`` lays out inputs."""
    if y.size != n * (d + 2):
        raise InputError(f"{y.size} outputs, expected N(d + 2) = {n * (d + 2)}",
                         where="sensitivity")
    ya, yb = y[:n], y[n:2 * n]
    yab = y[2 * n:].reshape(d, n).T
    var = float(np.var(np.concatenate([ya, yb]), ddof=1))
    first = yb[:, None] * (yab - ya[:, None])
    total = ya[:, None] - yab
    si = first.mean(axis=0) / var
    sti = (total**2).sum(axis=0) / (2 * n * var)
    if not nboot:
        return SobolResult(si, sti, variance=var)
    rng = rng or np.random.default_rng()
    idx = rng.integers(0, n, size=(nboot, n, d))
    cols = np.arange(d)
    si_b = first[idx, cols].mean(axis=1) / var
    sti_b = (total[idx, cols] ** 2).sum(axis=1) / (2 * n * var)
    q = np.quantile
    return SobolResult(si, sti, q(si_b, 0.05, axis=0), q(si_b, 0.95, axis=0),
                       q(sti_b, 0.05, axis=0), q(sti_b, 0.95, axis=0), var)
