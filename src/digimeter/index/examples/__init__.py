"""Bundled examples: COINr's ASEM index and the EU DESI 2022 (see SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

from digimeter.errors import InputError

HERE = Path(__file__).resolve().parent
NAMES = ("asem", "desi2022")


def example_files(name: str) -> tuple[Path, Path, Path]:
    """iData, iMeta and pipeline of example ``name``."""
    if name not in NAMES:
        raise InputError(f"unknown example {name!r} (one of {', '.join(NAMES)})",
                         where="--example")
    folder = HERE / name
    return folder / "iData.csv", folder / "iMeta.csv", folder / "pipeline.yaml"
