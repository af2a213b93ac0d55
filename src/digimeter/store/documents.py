"""Documents in the store: each stored once, by the hash of its decoded text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from digimeter.ingest.model import ParsedDocument
from digimeter.store.records import insert_records
from digimeter.store.schema import documents, records

RecordSource = Callable[[ParsedDocument], Sequence[dict]]
"""Turns a document into record rows (the extraction step plugs in here)."""


@dataclass
class Added:
    id: int
    created: bool
    records: int = 0
    sha256: str = field(default="")


LIST_COLUMNS = ("id", "sha256", "title", "publisher", "published", "source", "file_name",
                "media_type", "encoding", "language", "size_bytes", "ingested_at")


def find_by_hash(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()


def add_document(engine: Engine, doc: ParsedDocument,
                 extract: RecordSource | None = None) -> Added:
    """Store ``doc`` and its records in one transaction; a stored text is not stored again.

    The records are computed before the transaction opens, so a slow extractor holds no lock
    and a crash anywhere leaves either the whole document with its records or nothing.
    """
    with engine.connect() as conn:
        existing = find_by_hash(conn, doc.sha256)
    if existing is not None:
        return Added(existing, created=False, sha256=doc.sha256)
    rows = list(extract(doc)) if extract else []
    try:
        with engine.begin() as conn:
            doc_id = conn.execute(insert(documents).values(
                sha256=doc.sha256, title=doc.title, publisher=doc.publisher,
                published=doc.published, source=doc.source, file_name=doc.file_name,
                media_type=doc.media_type, encoding=doc.encoding, language=doc.language,
                size_bytes=doc.size_bytes, text=doc.text, text_normalized=doc.text_normalized,
                ingested_at=datetime.now(UTC),
            )).inserted_primary_key[0]
            insert_records(conn, doc_id, rows)
    except IntegrityError:
        with engine.connect() as conn:
            existing = find_by_hash(conn, doc.sha256)
        if existing is None:
            raise
        return Added(existing, created=False, sha256=doc.sha256)
    return Added(doc_id, created=True, records=len(rows), sha256=doc.sha256)


def list_documents(engine: Engine) -> list[dict]:
    n_records = (select(records.c.document_id, func.count().label("records"))
                 .group_by(records.c.document_id).subquery())
    query = (select(*(documents.c[c] for c in LIST_COLUMNS),
                    func.coalesce(n_records.c.records, 0).label("records"))
             .outerjoin(n_records, n_records.c.document_id == documents.c.id)
             .order_by(documents.c.id))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def get_document(engine: Engine, doc_id: int) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
    return dict(row._mapping) if row else None


def set_addresses(engine: Engine, addresses: dict[str, str]) -> int:
    """Record where documents were published (file name → address) for those whose source
    is a local file; the number of documents changed."""
    changed = 0
    with engine.begin() as conn:
        for name, address in addresses.items():
            changed += conn.execute(
                update(documents).where(documents.c.file_name == name,
                                        ~documents.c.source.like("http%"))
                .values(source=address)).rowcount
    return changed
