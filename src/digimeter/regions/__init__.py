"""GB/T 2260 regions: the reference table and the resolver that maps names to codes.

The data are files next to this module, built by ``scripts/build_regions.py`` (see
``SOURCES.md``): ``regions.csv`` has one row per code, current or historical, with its parent
and, for a code no longer in use, the current code it became; ``region_aliases.csv`` maps short
names, name paths, English and pinyin names and former names to codes.

    >>> table = load_regions()
    >>> table.resolve("佛山市禅城区").code
    '440604'
    >>> table.current("331021").name_zh
    '玉环市'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from digimeter.regions.naming import name_key
from digimeter.regions.table import COUNTRY, Region, RegionTable, as_code

DATA = Path(__file__).parent

__all__ = ["COUNTRY", "Region", "RegionTable", "aliases_csv_path", "as_code",
           "groupings_csv_path", "load_regions", "name_key", "regions_csv_path"]


def regions_csv_path() -> Path:
    return DATA / "regions.csv"


def aliases_csv_path() -> Path:
    return DATA / "region_aliases.csv"


def groupings_csv_path() -> Path:
    return DATA / "groupings.csv"


@cache
def load_regions() -> RegionTable:
    """The project's region table, read once per process."""
    return RegionTable.from_csv(regions_csv_path(), aliases_csv_path(), groupings_csv_path())
