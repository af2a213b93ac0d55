"""The demo job: the bundled corpus and data through the whole pipeline into one store."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import Engine, func, select

from digimeter.demo.indexes import IndexOutcome, build_index
from digimeter.errors import DigimeterError
from digimeter.extract import extract_document
from digimeter.imports import ImportResult, import_file
from digimeter.imports.tables import Crosswalk, Mapping
from digimeter.ingest.run import Outcome, ingest
from digimeter.progress import get_method
from digimeter.progress.files import read_targets
from digimeter.progress.store import track
from digimeter.store import open_store
from digimeter.store.documents import set_addresses
from digimeter.store.schema import documents, observations
from digimeter.store.targets import write_targets

HERE = Path(__file__).parent


@dataclass
class DemoRun:
    db_url: str
    documents: list[Outcome] = field(default_factory=list)
    imports: list[ImportResult] = field(default_factory=list)
    targets: int = 0
    indexes: list[IndexOutcome] = field(default_factory=list)
    errors: list[DigimeterError] = field(default_factory=list)


def load_manifest(path: Path = HERE / "manifest.yaml") -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_addresses(path: Path) -> dict[str, str]:
    """A two-column table (doc, address) of where the bundled documents were published."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["doc"]: row["address"] for row in csv.DictReader(f, delimiter="\t")
                if row.get("doc") and row.get("address")}


def run(out: Path) -> DemoRun:
    """Ingest the bundled documents and import the bundled data into ``out``/digimeter.db.

    Re-running is cheap and changes nothing: documents are stored once, and the data files
    carry fixed vintages, so unchanged figures are not stored again.
    """
    out.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{(out / 'digimeter.db').resolve()}"
    engine = open_store(url)
    manifest = load_manifest()
    result = DemoRun(url)
    result.documents = ingest(engine, [str(HERE / p) for p in manifest["documents"]],
                              extract=extract_document)
    result.errors += [o.error for o in result.documents if o.error]
    for table in manifest.get("addresses", []):
        set_addresses(engine, read_addresses(HERE / table))
    for spec in manifest["imports"]:
        mapping = Mapping.parse([f"{k}={v}" for k, v in spec.get("map", {}).items()])
        try:
            walk = Crosswalk.read(HERE / spec["crosswalk"]) if "crosswalk" in spec else None
            done = import_file(engine, HERE / spec["file"], source=spec.get("source"),
                               mapping=mapping, unit=spec.get("unit"),
                               vintage=spec.get("vintage"), crosswalk=walk)
        except DigimeterError as exc:
            result.errors.append(exc)
            continue
        result.imports.append(done)
        result.errors += done.errors
    for spec in manifest.get("targets", []):
        try:
            loaded = read_targets(HERE / spec["file"], spec.get("map"),
                                  {"comparator": "=", "region_code": spec["region"]})
        except DigimeterError as exc:
            result.errors.append(exc)
            continue
        result.errors += loaded.errors
        result.targets += write_targets(engine, loaded.frame, spec["source"])[0]
    for spec in manifest.get("indexes", []):
        try:
            result.indexes.append(build_index(engine, spec, HERE))
        except DigimeterError as exc:
            result.errors.append(exc)
    return result


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:,.6g}" if isinstance(value, float | int) else str(value)


def _year(value: object) -> str:
    return "" if value is None or value != value else str(int(value))


def _point(value: object, year: object) -> str:
    return f"{_fmt(value)} ({_year(year)})" if year is not None and year == year else ""


def _tracking(engine: Engine) -> list[str]:
    """The targets tracked against the store's observations, as a Markdown table."""
    method = get_method()
    result = track(engine, method)
    lines = ["", f"## Tracking: {len(result)} targets ({method.name})\n",
             "| target | region | indicator | value | year | status | R | baseline | latest | "
             "other sources |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in result.to_dict("records"):
        lines.append(f"| {r['id']} | {r['region_code']} | {r['indicator']} | "
                     f"{_fmt(r['target_value'])} | {_year(r['target_year'])} | {r['status']} | "
                     f"{_fmt(r['ratio'])} | {_point(r['baseline_value'], r['baseline_year'])} | "
                     f"{_point(r['latest_value'], r['latest_year'])} | {r['conflicts']} |")
    return lines


def summary(engine: Engine, run_: DemoRun) -> str:
    """A short Markdown account of what the store holds after the run."""
    with engine.connect() as conn:
        n_docs = conn.execute(select(func.count()).select_from(documents)).scalar()
        by_indicator = conn.execute(
            select(observations.c.indicator, func.count(), func.count(
                observations.c.region_code.distinct()), func.min(observations.c.period),
                   func.max(observations.c.period))
            .group_by(observations.c.indicator).order_by(func.count().desc())).all()
        titles = conn.execute(select(documents.c.id, documents.c.title,
                                     documents.c.language)).all()
    lines = [f"# digimeter demo\n\nStore: `{run_.db_url}`\n",
             f"## Documents: {n_docs} stored\n"]
    lines += [f"- {i}. [{lang or '?'}] {title or '(untitled)'}" for i, title, lang in titles]
    total = sum(r[1] for r in by_indicator)
    lines += ["", f"## Observations: {total} stored, {len(by_indicator)} indicators\n",
              "| indicator | observations | regions | first period | last period |",
              "|---|---|---|---|---|"]
    lines += [f"| {ind} | {n} | {regions} | {lo} | {hi} |"
              for ind, n, regions, lo, hi in by_indicator]
    lines += ["", "## Imports\n"]
    lines += [f"- {Path(r.file).name}: {r.rows} rows, {r.stored} stored, {r.unchanged} "
              f"unchanged, {r.skipped} left out by the crosswalk, {len(r.errors)} rejected"
              for r in run_.imports]
    lines += _tracking(engine)
    lines += ["", f"## Indices: {len(run_.indexes)}\n"]
    lines += [f"- {i.name}: run {i.run_id}, {i.units} units"
              + (f", uncertainty from {i.replicates} replicates" if i.replicates else "")
              + ("" if i.new else " (already stored)") for i in run_.indexes]
    if run_.errors:
        lines += ["", f"## Problems: {len(run_.errors)}\n"]
        lines += [f"- {e}" for e in run_.errors]
    return "\n".join(lines) + "\n"
