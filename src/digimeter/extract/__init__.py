"""The extraction engine: quantified targets, observations and policy measures, each with
the exact quote it came from.

Stages (one module each): ``text`` (folded copies with the text's offsets) → ``segment``
(sentences, clauses, table rows, page furniture) → ``quantities`` (number, unit and
comparator spans; ``numbers`` and ``units`` below it) → ``years`` and ``places`` (year and
region resolution) → ``kinds`` and ``indicators`` → ``records`` / ``tables`` (assembly).

    >>> from digimeter.extract import extract_text
    >>> [(r["value"], r["unit"], r["year"]) for r in extract_text("到2025年,建成5G基站3.89万个。")]
    [(38900.0, 'count', 2025)]
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path

from digimeter.batch import Runner, map_partitions, partitions
from digimeter.errors import DigimeterError
from digimeter.extract.kinds import is_measure_sentence
from digimeter.extract.places import document_region, find_mentions, prefer_within
from digimeter.extract.quantities import find_quantities
from digimeter.extract.records import Context, deduplicate, sentence_records
from digimeter.extract.segment import Sentence, segment
from digimeter.extract.tables import table_records
from digimeter.extract.text import Prepared
from digimeter.extract.years import document_date, guess_document_year, year_mentions
from digimeter.ingest.model import ParsedDocument

__all__ = ["FIELDS", "extract_document", "extract_paths", "extract_text", "warm_up"]

FIELDS = ("doc", "kind", "region_code", "region_name", "indicator", "indicator_text", "value",
          "unit", "comparator", "year", "quote", "start", "end")
_HEAD = 600
_WARM_UP_TEXT = ("到2025年,广州市数字经济核心产业增加值占地区生产总值比重达到10%,"
                 "建成5G基站3.89万个。"
                 "By 2025, Beijing will have 6,000 digital enterprises, up from 4,500 in 2020.")


def extract_text(text: str, name: str = "", *, normalized: str | None = None,
                 published: datetime.date | None = None) -> list[dict]:
    """Records of one document's text (``normalized``: ingest's same-length folded copy)."""
    p = Prepared.of(text, normalized)
    seg = segment(p)
    sentences = seg.sentences
    date = document_date(published, p.low)
    doc_year = date.year if date else None
    years = year_mentions(p.low, doc_year)
    ref_year = doc_year or guess_document_year(years)
    mentions = [m for m in find_mentions(p.s) if m.start < seg.stop]
    title_end = sentences[0].end if sentences and sentences[0].title else 0
    home = document_region(mentions, title_end, title_end + _HEAD)
    mentions = prefer_within(mentions, home)
    found = [[] if x.table else find_quantities(p.low, x.start, x.end)
             for x in sentences]
    with_numbers = [x for x, qs in zip(sentences, found, strict=True) if qs]
    cues = [is_measure_sentence(p.low[x.start:x.end]) for x in sentences]
    cued = sum(cues)
    policy = cued >= 3 and cued >= 0.2 * len(sentences) and cued >= 0.4 * len(with_numbers)
    ctx = Context(doc=name, text=text, s=p.s, low=p.low, home=home, ref_year=ref_year, date=date,
                  years=years, mentions=mentions, policy=policy)
    for x in sentences:
        ctx.para_start.setdefault(x.para, x.start)
    records: list[dict] = []
    table: list[Sentence] = []
    for x, qs, cue in zip(sentences, found, cues, strict=True):
        if x.table:
            table.append(x)
            continue
        if table:
            records.extend(table_records(ctx, table))
            table = []
        if qs:
            records.extend(sentence_records(ctx, x, qs, cued=cue))
    if table:
        records.extend(table_records(ctx, table))
    return deduplicate(records)


def warm_up() -> None:
    """Build the tables extraction loads lazily (regions, indicator taxonomy, name and unit
    patterns, the character table), once per process: a batch worker calls this before its
    first partition so that no partition pays for it."""
    extract_text(_WARM_UP_TEXT, "warm-up.txt")


def extract_document(doc: ParsedDocument) -> list[dict]:
    """Records of a document read by :mod:`digimeter.ingest` (fields of PRODUCT.md)."""
    return extract_text(doc.text, doc.file_name, normalized=doc.text_normalized,
                        published=doc.published)


def _extract_files(paths: Sequence[str]) -> list[tuple[str, list[dict] | str]]:
    from digimeter.ingest import read_path

    out: list[tuple[str, list[dict] | str]] = []
    for path in paths:
        try:
            out.append((path, extract_document(read_path(Path(path)))))
        except DigimeterError as exc:
            if exc.where is None:
                exc.where = path
            out.append((path, str(exc)))
    return out


def extract_paths(paths: Iterable[str | Path], runner: Runner | None = None,
                  partition_size: int = 16) -> list[tuple[str, list[dict] | str]]:
    """(path, records) for every file under ``paths`` (folders walked), or (path, error
    message) for a file that could not be read; in the order of the files."""
    from digimeter.ingest import iter_paths

    files = [str(p) for p in iter_paths(Path(p) for p in paths)]
    parts = partitions(files, partition_size) if files else []
    results = map_partitions(_extract_files, parts, runner)
    return [item for part in results for item in part]
