"""A person's decisions on extracted records: confirm, correct, reject — never destructive.

The machine's columns of a record are never updated. A correction stores the whole corrected
record in ``records.curated``; every decision, with who, when, why and the record before and
after, is a row of ``curation_events``. The *effective* record is the corrected one when there
is a correction, else the machine's.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, or_, select, update

from digimeter.errors import InputError
from digimeter.indicators import load_taxonomy, load_units
from digimeter.regions import load_regions
from digimeter.store.records import RECORD_FIELDS
from digimeter.store.schema import curation_events, documents, records

KINDS = ("target", "observation", "measure")
COMPARATORS = (">=", ">", "~", "<=", "=")
STATUSES = ("machine", "confirmed", "corrected", "rejected")
CORRECTABLE = ("kind", "region_code", "indicator", "value", "value_max", "unit", "comparator",
               "year", "baseline_year", "baseline_value", "indicator_text")
NUMBERS = ("value", "value_max", "baseline_value")
YEARS = ("year", "baseline_year")


def _number(field: str, text: str) -> float | None:
    if text.strip().lower() in ("", "null", "none"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{text!r} is not a number", where=field) from None
    if not math.isfinite(value):
        raise InputError(f"{text!r} is not a finite number", where=field)
    return value


def _year(field: str, text: str) -> int | None:
    try:
        value = _number(field, text)
    except InputError:
        raise InputError(f"{text!r} is not a year", where=field) from None
    if value is None:
        return None
    if value != int(value) or not 1900 <= value <= 2200:
        raise InputError(f"{text!r} is not a year", where=field)
    return int(value)


def parse_change(field: str, text: str) -> object:
    """One FIELD=VALUE of a correction, checked against the reference data."""
    if field not in CORRECTABLE:
        raise InputError(f"cannot correct {field!r}; correctable: {', '.join(CORRECTABLE)}",
                         where=field)
    if field in NUMBERS:
        return _number(field, text)
    if field in YEARS:
        return _year(field, text)
    checks = {
        "kind": (KINDS, "a kind"), "comparator": (COMPARATORS, "a comparator"),
        "unit": (tuple(load_units()), "a known unit"),
    }
    if field in checks and text not in checks[field][0]:
        raise InputError(f"{text!r} is not {checks[field][1]} ({', '.join(checks[field][0])})",
                         where=field)
    if field == "region_code":
        return load_regions().get(text).code
    if field == "indicator":
        return None if text in ("", "null") else load_taxonomy().get(text).id
    return text


def machine_version(row: dict) -> dict:
    return {f: row[f] for f in RECORD_FIELDS}


def effective(row: dict) -> dict:
    """The record as tracking should use it: corrected if a person corrected it."""
    return {**machine_version(row), **(row.get("curated") or {})}


def get_record(engine: Engine, record_id: int) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.id == record_id)).mappings().first()
    if row is None:
        raise InputError("no record has this id", where=f"record {record_id}")
    return dict(row)


def _decide(engine: Engine, record_id: int, action: str, status: str, actor: str,
            reason: str | None, changes: dict | None = None) -> dict:
    if not actor.strip():
        raise InputError("a decision needs the name of the person making it", where="--actor")
    with engine.begin() as conn:
        row = conn.execute(select(records).where(records.c.id == record_id)
                           .with_for_update()).mappings().first()
        if row is None:
            raise InputError("no record has this id", where=f"record {record_id}")
        before = effective(dict(row))
        curated = {**(row["curated"] or {}), **(changes or {})} if changes else row["curated"]
        after = {**machine_version(dict(row)), **(curated or {})}
        conn.execute(update(records).where(records.c.id == record_id)
                     .values(status=status, curated=curated))
        conn.execute(insert(curation_events).values(
            record_id=record_id, actor=actor, at=datetime.now(UTC), action=action,
            reason=reason, before=before, after=after))
    return after


def confirm(engine: Engine, record_id: int, actor: str, reason: str | None = None) -> dict:
    current = get_record(engine, record_id)
    status = "corrected" if current["curated"] else "confirmed"
    return _decide(engine, record_id, "confirm", status, actor, reason)


def reject(engine: Engine, record_id: int, actor: str, reason: str | None = None) -> dict:
    return _decide(engine, record_id, "reject", "rejected", actor, reason)


def correct(engine: Engine, record_id: int, changes: dict, actor: str,
            reason: str | None = None) -> dict:
    if not changes:
        raise InputError("a correction needs at least one FIELD=VALUE", where="correct")
    return _decide(engine, record_id, "correct", "corrected", actor, reason, changes)


def history(engine: Engine, record_id: int) -> list[dict]:
    query = (select(curation_events).where(curation_events.c.record_id == record_id)
             .order_by(curation_events.c.id))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def list_records(engine: Engine, *, region: str | None = None, indicator: str | None = None,
                 kind: str | None = None, document: int | None = None,
                 status: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict]:
    """Effective records with their status and document, filtered on the effective values."""
    query = (select(records, documents.c.file_name.label("doc"))
             .join(documents, documents.c.id == records.c.document_id)
             .order_by(records.c.id))
    if document is not None:
        query = query.where(records.c.document_id == document)
    for column, wanted in (("region_code", region), ("indicator", indicator), ("kind", kind)):
        if wanted:  # the machine's value decides unless a person corrected the record
            query = query.where(or_(records.c[column] == wanted, records.c.curated.is_not(None)))
    if status:
        query = query.where(records.c.status == status)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    out = []
    for row in rows:
        eff = {"id": row["id"], "doc": row["doc"], "document_id": row["document_id"],
               "status": row["status"], **effective(row)}
        if (region and eff["region_code"] != region) or (kind and eff["kind"] != kind) or \
                (indicator and eff["indicator"] != indicator):
            continue
        out.append(eff)
    return out[offset:offset + limit if limit else None]
