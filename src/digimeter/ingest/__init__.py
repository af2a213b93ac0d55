"""Ingest: turn files, folders and URLs into parsed documents (text plus metadata)."""

from digimeter.ingest.model import DEFAULT_MAX_BYTES, ParsedDocument
from digimeter.ingest.readers import fetch_url, iter_paths, read_document, read_path

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ParsedDocument",
    "fetch_url",
    "iter_paths",
    "read_document",
    "read_path",
]
