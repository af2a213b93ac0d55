"""Shared helpers for the extraction tests."""

from __future__ import annotations

from digimeter.extract import extract_text


def records(text: str, name: str = "t.txt", **kw) -> list[dict]:
    out = extract_text(text, name, **kw)
    for r in out:
        assert text[r["start"]:r["end"]] == r["quote"]
    return out


def only(text: str, **kw) -> dict:
    found = records(text, **kw)
    assert len(found) == 1, found
    return found[0]


def values(text: str, **kw) -> list[tuple]:
    return [(r["value"], r["unit"]) for r in records(text, **kw)]
