"""The indicator taxonomy and its units, as shipped data."""

from __future__ import annotations

import json

import pytest

from digimeter.errors import UnitError, UnknownIndicatorError
from digimeter.indicators import (
    conversion_factor,
    load_categories,
    load_conversions,
    load_taxonomy,
    load_units,
)
from tests.conftest import run_cli


def test_every_id_is_unique_and_every_unit_known():
    taxonomy = load_taxonomy()
    ids = [i.id for i in taxonomy]
    assert len(ids) == len(set(ids)) == len(taxonomy) >= 76
    units = load_units()
    assert sorted({i.unit for i in taxonomy} - set(units)) == []
    assert {i.direction for i in taxonomy} <= {1, -1}


def test_every_alias_maps_to_exactly_one_indicator():
    clashes = {a: ids for a, ids in load_taxonomy().alias_owners().items() if len(ids) > 1}
    assert clashes == {}


def test_every_category_is_defined_and_nbs_categories_are_covered():
    categories = load_categories()
    used = {i.category for i in load_taxonomy()}
    assert used - set(categories) == set()
    nbs = {c["nbs_code"] for c in categories.values() if c["kind"] == "nbs2021"}
    assert {"01", "02", "03", "04", "05"} <= nbs


def test_published_units_convert_to_known_base_units():
    units = load_units()
    for published, conv in load_conversions().items():
        assert conv.unit is None or conv.unit in units, published
        assert conv.factor > 0


@pytest.mark.parametrize(("published", "target", "factor"), [
    ("亿元", "CNY", 1e8), ("万亿元", "CNY", 1e12), ("万元", "CNY", 1e4), ("%", "percent", 1),
    ("万户", "count", 1e4), ("亿", "count", 1e8), ("万个", "count", 1e4),
    ("base", "CNY", 1), ("", "percent", 1), ("Billion Yuan", "CNY", 1e9),
    ("件", "count_per_10k_people", 1), ("个百分点", "percentage_point", 1),
])
def test_conversion_factor(published, target, factor):
    assert conversion_factor(published, target) == factor


@pytest.mark.parametrize(("published", "target"), [("亿元", "percent"), ("%", "CNY"),
                                                   ("furlongs", "km")])
def test_conversion_refuses_what_does_not_convert(published, target):
    with pytest.raises(UnitError):
        conversion_factor(published, target)


def test_resolve_by_alias_in_either_language():
    taxonomy = load_taxonomy()
    assert taxonomy.resolve("数字经济规模").id == "digital_economy_value_added"
    assert taxonomy.resolve("Digital Economy Share of GDP").id == "digital_economy_share_of_gdp"
    with pytest.raises(UnknownIndicatorError):
        taxonomy.resolve("number of pandas")


def test_cli_lists_the_taxonomy_as_jsonl():
    proc = run_cli("indicators", "--format", "jsonl", check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == len(load_taxonomy())
    assert {"id", "name_zh", "name_en", "unit", "category"} <= set(rows[0])


def test_tidy_removes_representation_noise_only():
    from digimeter.indicators import tidy

    assert tidy(4.6 * 1e8) == 460_000_000
    assert tidy(0.1 + 0.2) == 0.3
    assert tidy(45.999999999) == 45.999999999
    assert list(tidy([7.21 * 1e4, 0.0, -2.3 * 1e4])) == [72100.0, 0.0, -23000.0]
