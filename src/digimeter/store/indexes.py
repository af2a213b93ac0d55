"""Built composite indices in the store: each run with its framework and pipeline, every
unit's score and rank on every element, and the quantiles of an uncertainty analysis.

A run is written in one transaction: a failed save leaves no run, no scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from digimeter.errors import InputError, StoreError
from digimeter.index.framework import Element, Framework
from digimeter.store import schema
from digimeter.store.schema import index_runs

if TYPE_CHECKING:
    from digimeter.index.pipeline import Coin

UNITS_KINDS = ("region", "other")
CHUNK = 5000


class IndexRunNotFoundError(InputError):
    """No stored index run has this id."""


@dataclass(frozen=True)
class FrameworkElement:
    """One indicator or aggregate of a run's framework, with the weight the run used."""

    code: str
    name: str
    level: int
    parent: str | None
    weight: float
    direction: int


@dataclass(frozen=True)
class IndexRun:
    id: int
    name: str
    year: int | None
    source: str
    framework: list[FrameworkElement]
    settings: str
    units_kind: str
    created_at: datetime
    actor: str | None

    @property
    def max_level(self) -> int:
        return max(e.level for e in self.framework)

    def element(self, code: str) -> FrameworkElement:
        for e in self.framework:
            if e.code == code:
                return e
        raise InputError(f"run {self.id} has no element {code!r}", where=f"index run {self.id}")

    def at_level(self, level: int) -> list[FrameworkElement]:
        return [e for e in self.framework if e.level == level]

    def children(self, code: str) -> list[FrameworkElement]:
        return [e for e in self.framework if e.parent == code]

    def as_framework(self) -> Framework:
        """The run's tree as the index engine's framework, weighted as the run aggregated."""
        return Framework(tuple(
            Element(e.code, e.name, e.level, e.parent, e.weight, e.direction,
                    "Indicator" if e.level == 1 else "Aggregate") for e in self.framework))


@dataclass(frozen=True)
class IndexScore:
    run_id: int
    unit_code: str
    unit_name: str
    element_code: str
    level: int
    score: float | None
    rank: int | None


@dataclass(frozen=True)
class IndexUncertainty:
    """Rank and score quantiles of one unit on one element over ``replicates`` replicates
    (those in which the unit had a score); ranks are 1 = highest."""

    run_id: int
    unit_code: str
    element_code: str
    replicates: int
    nominal_rank: int | None
    mean_rank: float | None
    median_rank: float | None
    q05_rank: float | None
    q95_rank: float | None
    score_q05: float | None
    score_median: float | None
    score_q95: float | None


def units_kind(codes: Iterable[str]) -> str:
    """``region`` when every code is a GB/T 2260 code or a region grouping, else ``other``."""
    from digimeter.regions import as_code, load_regions

    table = load_regions()
    codes = list(codes)
    ok = codes and all(as_code(c) == c and c in table for c in codes)
    return "region" if ok else "other"


def _number(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _rank(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def framework_elements(coin: Coin) -> list[FrameworkElement]:
    """Every indicator and aggregate in iMeta order, weighted as the run aggregated."""
    used: Mapping[str, float] = coin.analysis.get("Aggregated", {}).get("weights") \
        or coin.weights
    return [FrameworkElement(e.code, e.name, e.level, e.parent,
                             float(used.get(e.code, e.weight)), e.direction)
            for e in coin.framework.elements]


def _run_year(coin: Coin, year: int | None) -> int | None:
    if year is not None:
        return int(year)
    time = coin.data.units.time
    if time is None or len(time) == 0 or np.isnan(time).any() or len(set(time)) != 1:
        return None
    return int(time[0])


def _score_rows(coin: Coin) -> Iterator[dict[str, Any]]:
    from digimeter.index.stats import rank_desc

    table = coin.dsets[coin.latest]
    fw = coin.framework
    names = dict(zip(coin.data.units.codes, coin.data.units.names, strict=True))
    ranks = rank_desc(table.values, axis=0)
    for j, code in enumerate(table.codes):
        if code not in fw:
            continue
        level = fw[code].level
        for i, unit in enumerate(table.units):
            yield {"unit_code": unit, "unit_name": names.get(unit, unit),
                   "element_code": code, "level": level,
                   "score": _number(table.values[i, j]), "rank": _rank(ranks[i, j])}


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def save_index_run(engine: Engine, result: Coin, *, name: str, year: int | None,
                   source: str, settings_text: str, actor: str | None = None) -> int:
    """Store a built coin (the latest data set: indicators as normalised, every aggregate)
    and return the run's id. ``year`` defaults to the data's Time when it has one."""
    if not name or not name.strip():
        raise InputError("an index run needs a name", where="--save")
    if not source or not source.strip():
        raise InputError("an index run needs a source", where="source")
    table = result.dsets[result.latest]
    run = {"name": name.strip(), "year": _run_year(result, year), "source": source,
           "framework": [{**asdict(e), "weight": _number(e.weight)}
                         for e in framework_elements(result)],
           "settings": settings_text, "units_kind": units_kind(table.units),
           "created_at": datetime.now(UTC), "actor": actor}
    try:
        with engine.begin() as conn:
            run_id = int(conn.execute(insert(index_runs).values(**run)).inserted_primary_key[0])
            for chunk in _chunks({"run_id": run_id, **r} for r in _score_rows(result)):
                conn.execute(insert(schema.index_scores), chunk)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot store the index run: {_reason(exc)}",
                         where=f"index run {name!r}") from exc
    return run_id


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return " ".join(str(orig or exc).split())[:300]


def _run_of(row: Any) -> IndexRun:
    created = row.created_at
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    framework = [FrameworkElement(str(e["code"]), str(e["name"]), int(e["level"]),
                                  e.get("parent"),
                                  float("nan") if e["weight"] is None else float(e["weight"]),
                                  int(e["direction"]))
                 for e in row.framework]
    return IndexRun(row.id, row.name, row.year, row.source, framework, row.settings,
                    row.units_kind, created, row.actor)


def list_index_runs(engine: Engine) -> list[IndexRun]:
    """Every stored run, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(index_runs).order_by(index_runs.c.id.desc())).all()
    return [_run_of(r) for r in rows]


def get_index_run(engine: Engine, run_id: int) -> IndexRun:
    with engine.connect() as conn:
        row = conn.execute(select(index_runs).where(index_runs.c.id == run_id)).first()
    if row is None:
        raise IndexRunNotFoundError("no index run has this id", where=f"index run {run_id}")
    return _run_of(row)


def _exists(conn: Any, run_id: int) -> None:
    found = conn.execute(select(func.count()).select_from(index_runs)
                         .where(index_runs.c.id == run_id)).scalar_one()
    if not found:
        raise IndexRunNotFoundError("no index run has this id", where=f"index run {run_id}")


def index_scores(engine: Engine, run_id: int, *, level: int | None = None,
                 unit: str | None = None) -> list[IndexScore]:
    """A run's scores, top level first, each element's units by rank (unscored last)."""
    t = schema.index_scores
    query = select(t).where(t.c.run_id == run_id)
    if level is not None:
        query = query.where(t.c.level == level)
    if unit is not None:
        query = query.where(t.c.unit_code == unit)
    query = query.order_by(t.c.level.desc(), t.c.element_code, t.c.rank.is_(None), t.c.rank,
                           t.c.unit_code)
    with engine.connect() as conn:
        _exists(conn, run_id)
        rows = conn.execute(query).all()
    return [IndexScore(r.run_id, r.unit_code, r.unit_name, r.element_code, r.level, r.score,
                       r.rank) for r in rows]


UNCERTAINTY_FIELDS = ("unit_code", "element_code", "replicates", "nominal_rank", "mean_rank",
                      "median_rank", "q05_rank", "q95_rank", "score_q05", "score_median",
                      "score_q95")


def _uncertainty_row(row: IndexUncertainty, run_id: int) -> dict[str, Any]:
    if row.run_id != run_id:
        raise InputError(f"a row of run {row.run_id} given for run {run_id}",
                         where=f"index run {run_id}")
    out: dict[str, Any] = {"run_id": run_id}
    for f in UNCERTAINTY_FIELDS:
        value = getattr(row, f)
        if isinstance(value, float | np.floating):
            value = _number(value)
        elif isinstance(value, np.integer):
            value = int(value)
        out[f] = value
    return out


def save_index_uncertainty(engine: Engine, run_id: int,
                           rows: Iterable[IndexUncertainty]) -> None:
    """Store the rows for run ``run_id``, replacing any stored before, in one transaction."""
    values = [_uncertainty_row(r, run_id) for r in rows]
    try:
        with engine.begin() as conn:
            _exists(conn, run_id)
            t = schema.index_uncertainty
            conn.execute(delete(t).where(t.c.run_id == run_id))
            for chunk in _chunks(values):
                conn.execute(insert(t), chunk)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot store the uncertainty: {_reason(exc)}",
                         where=f"index run {run_id}") from exc


def index_uncertainty(engine: Engine, run_id: int) -> list[IndexUncertainty]:
    """A run's uncertainty rows, by element, then nominal rank."""
    t = schema.index_uncertainty
    query = (select(t).where(t.c.run_id == run_id)
             .order_by(t.c.element_code, t.c.nominal_rank.is_(None), t.c.nominal_rank,
                       t.c.unit_code))
    with engine.connect() as conn:
        _exists(conn, run_id)
        rows = conn.execute(query).all()
    return [IndexUncertainty(r.run_id, *(getattr(r, f) for f in UNCERTAINTY_FIELDS))
            for r in rows]


def uncertainty_rows(run_id: int, units: Sequence[str], code: str,
                     stats: Mapping[str, np.ndarray]) -> list[IndexUncertainty]:
    """Rows for one element from per-unit arrays named as IndexUncertainty's fields (NaN
    for missing)."""
    out = []
    for i, unit in enumerate(units):
        values = {f: float(stats[f][i]) for f in UNCERTAINTY_FIELDS[2:]}
        nominal = values.pop("nominal_rank")
        out.append(IndexUncertainty(run_id, unit, code, int(values.pop("replicates")),
                                    _rank(nominal), **{k: _number(v) for k, v in values.items()}))
    return out
