"""Who stands behind a figure: the rank and label of each source that tracking compares.

A statistic's source is the name its import gave; a document's is what ingest stored for it
(publisher, source address) and the bodies its opening paragraphs attribute the figures to
("记者23日从北京市统计局获悉", "according to the National Data Administration", "数据来源：《…统计
公报》"). The patterns of ``sources.yaml`` rank each name; the best one is the document's.
A lower bound ("突破12%", "over 68,000") says less than a point figure: among sources of equal
rank the point figure wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import yaml
from sqlalchemy import Engine, func, select

from digimeter.store.schema import documents

SOURCES_YAML = Path(__file__).parent / "sources.yaml"
LEAD_CHARS = 1200
_ATTRIBUTION = re.compile(
    r"(?i:according to|released by|published by|issued by|source:)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'-]*\s?)+(?:of\s(?:the\s)?(?:[A-Z][\w'-]*\s?)+)?)"
    r"|([\u4e00-\u9fff]{2,14}?(?:统计局|数据局|管理局|局|部|委员会|委|厅|办公室|研究院))"
    r"(?:获悉|发布|公布|根据|显示|表示|数据显示|核算)"
    r"|(?:数据来源|来源)[:：]\s*([^\n]{2,40})")
_BOUND = re.compile(r"突破|超过|超|以上|多|余|逾|over|more than|exceed|at least|above|>")


@dataclass(frozen=True)
class DocumentSource:
    label: str
    rank: int
    year: int | None


@cache
def _ranks() -> tuple[tuple[tuple[re.Pattern[str], int], ...], int]:
    spec = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))
    patterns = tuple((re.compile(r["pattern"], re.I), int(r["rank"])) for r in spec["ranks"])
    return patterns, int(spec["document_rank"])


def source_rank(source: str) -> int:
    """The rank of the first ``sources.yaml`` pattern that ``source`` matches."""
    patterns, _ = _ranks()
    return next((rank for pattern, rank in patterns if pattern.search(source)), len(patterns))


def document_rank_offset() -> int:
    """Figures read from documents rank after every statistic by this much."""
    return _ranks()[1]


def attributions(lead: str) -> list[str]:
    """The bodies a text's opening attributes its figures to."""
    return [next(g for g in m.groups() if g).strip() for m in _ATTRIBUTION.finditer(lead)]


def host(address: str | None) -> str | None:
    """The site of an address (``www.stats.gov.cn``), or None for a local path."""
    if not address or not address.startswith(("http://", "https://")):
        return None
    return urlparse(address).hostname


def describe(publisher: str | None, address: str | None, lead: str,
             file_name: str) -> tuple[str, int]:
    """(label, rank) of one document: its best-ranked name."""
    names = [n for n in (publisher, address, *attributions(lead)) if n]
    rank = min((source_rank(n) for n in names), default=source_rank(file_name))
    return host(address) or publisher or file_name, rank


def document_sources(engine: Engine) -> dict[str, DocumentSource]:
    """Each stored document by file name (and by id as text): label, rank, year of its date."""
    query = select(documents.c.id, documents.c.file_name, documents.c.publisher,
                   documents.c.source, documents.c.published,
                   func.substr(documents.c.text, 1, LEAD_CHARS))
    out: dict[str, DocumentSource] = {}
    with engine.connect() as conn:
        for doc_id, name, publisher, address, published, lead in conn.execute(query):
            label, rank = describe(publisher, address, lead or "", name)
            found = DocumentSource(label, rank, published.year if published else None)
            out[str(doc_id)] = found
            out.setdefault(name, found)
    return out


def is_bound(comparator: str | None, printed: str | None) -> bool:
    """A figure stated as a lower bound (comparator ``>``/``>=``, or 突破/over as printed)."""
    if comparator in (">", ">="):
        return True
    return bool(printed) and _BOUND.search(str(printed).lower()) is not None
