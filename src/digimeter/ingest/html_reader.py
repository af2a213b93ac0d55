"""HTML pages: decode, remove boilerplate with trafilatura, keep title, date and site name.

The page is untrusted input. It is only parsed (lxml, no network, no script execution);
``<script>`` (except JSON-LD metadata), ``<style>`` and similar elements are dropped before
extraction as well, so their content can never reach the text. Dates come from trafilatura's
metadata (htmldate) with the extensive search off: only dates the page declares (meta tags,
``<time>``, labelled dates), never a year guessed from a copyright line. Publisher is the
site name, else the author.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from digimeter.errors import DocumentError
from digimeter.ingest.decoding import decode_text
from digimeter.ingest.model import Extracted
from digimeter.ingest.textnorm import clean_field, strip_bom, to_date

_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_UNSAFE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed")
_BOILERPLATE_LINE = re.compile(
    r"copyright|all rights reserved|版权所有|版權所有|©|icp备|icp證|icp证|备案号",
    re.IGNORECASE,
)
_CONTENT_CHAR = re.compile(r"[0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf]")
_MIN_ARTICLE_CHARS = 10
_SPACES = re.compile(r"\s+")
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


def read_html(data: bytes, *, where: str, declared_charset: str | None = None) -> Extracted:
    """Article text and metadata of an HTML page; DocumentError when there is no article."""
    declared = declared_charset or _meta_charset(data)
    markup, encoding = decode_text(data, where=where, declared=declared)
    markup = strip_bom(markup)
    if not markup.strip():
        raise DocumentError("empty document", where=where)
    tree = _parse(markup, where)
    link_texts = _link_texts(tree)
    result = _extract(tree, where)
    text = (result or {}).get("text") or ""
    if not _has_article(text, link_texts):
        raise DocumentError("no article text found (only navigation or boilerplate)",
                            where=where)
    meta = result or {}
    return Extracted(
        text=text,
        title=clean_field(meta.get("title")),
        publisher=clean_field(meta.get("sitename"), max_len=120)
        or clean_field(meta.get("author"), max_len=120),
        published=to_date(meta.get("date")),
        encoding=encoding,
    )


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _parse(markup: str, where: str) -> lxml.html.HtmlElement:
    markup = _XML_DECLARATION.sub("", markup, count=1)
    try:
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DocumentError(f"cannot parse the HTML: {exc}", where=where) from None
    for element in list(tree.iter(*_UNSAFE_TAGS)):
        if element.tag == "script" and "ld+json" in (element.get("type") or "").lower():
            continue  # JSON-LD metadata (date, publisher): data for trafilatura, never text
        element.drop_tree()
    return tree


def _link_texts(tree: lxml.html.HtmlElement) -> set[str]:
    texts = set()
    for anchor in tree.iter("a"):
        text = _SPACES.sub(" ", anchor.text_content()).strip()
        if text:
            texts.add(text)
    return texts


def _extract(tree: lxml.html.HtmlElement, where: str) -> dict[str, Any] | None:
    try:
        document = trafilatura.bare_extraction(
            copy.deepcopy(tree),
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as exc:  # noqa: BLE001 - any extractor failure is a document problem
        raise DocumentError(f"cannot extract the HTML text: {exc}", where=where) from None
    if document is None:
        return None
    if isinstance(document, dict):
        return document
    return document.as_dict()


def _has_article(text: str, link_texts: set[str]) -> bool:
    """True when the extracted text holds content beyond link labels and copyright lines."""
    content = 0
    for line in text.splitlines():
        cleaned = _SPACES.sub(" ", line).strip()
        if not cleaned or cleaned in link_texts or _BOILERPLATE_LINE.search(cleaned):
            continue
        content += len(_CONTENT_CHAR.findall(cleaned))
    return content >= _MIN_ARTICLE_CHARS
