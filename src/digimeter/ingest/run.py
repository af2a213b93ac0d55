"""Ingesting a batch of paths and URLs into the store, one transaction per document."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from digimeter.errors import DigimeterError, InputError
from digimeter.ingest.readers import DEFAULT_MAX_BYTES, fetch_url, iter_paths, read_path
from digimeter.store.documents import Added, RecordSource, add_document


@dataclass
class Outcome:
    item: str
    added: Added | None = None
    error: DigimeterError | None = None


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def expand(inputs: Sequence[str]) -> Iterator[str | DigimeterError]:
    """Every file under the given paths (folders walked), URLs as they are."""
    for item in inputs:
        if is_url(item):
            yield item
            continue
        path = Path(item)
        if not path.exists():
            yield InputError("no such file or folder", where=item)
        elif path.is_dir():
            yield from (str(p) for p in iter_paths([path]))
        else:
            yield str(path)


def ingest(engine: Engine, inputs: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
           extract: RecordSource | None = None,
           on_item: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Read and store every input; a bad one is an Outcome with its error, the rest go on."""
    outcomes = []
    for item in expand(inputs):
        if isinstance(item, DigimeterError):
            outcome = Outcome(item.where or "", error=item)
        else:
            outcome = _one(engine, item, max_bytes, extract)
        outcomes.append(outcome)
        if on_item:
            on_item(outcome)
    return outcomes


def _one(engine: Engine, item: str, max_bytes: int, extract: RecordSource | None) -> Outcome:
    try:
        doc = (fetch_url(item, max_bytes=max_bytes) if is_url(item)
               else read_path(Path(item), max_bytes=max_bytes))
        return Outcome(item, added=add_document(engine, doc, extract))
    except DigimeterError as exc:
        if exc.where is None:
            exc.where = item
        return Outcome(item, error=exc)
