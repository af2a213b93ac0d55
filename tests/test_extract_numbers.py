"""Numerals: Arabic, Chinese, mixed, English scales; cn2an where it is right, own rules where
it is not."""

import cn2an
import pytest

from digimeter.extract.numbers import parse_number
from tests.extract_helpers import only, values


@pytest.mark.parametrize("text,expected", [
    ("三十", 30), ("一千五百", 1500), ("一千五", 1500), ("两万", 20000), ("十五", 15),
    ("一亿二千万", 120_000_000), ("两百零五", 205), ("二〇二五", 2025), ("零点五", 0.5),
    ("38,900", 38900), ("3.89万", 38900), ("1.44万亿", 1.44e12), ("6000亿", 6e11),
    ("百分之二十", 20), ("三点八九万", 38900), ("一万亿", 1e12),
])
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["三十", "一千五百", "两万", "一亿二千万", "一百二十三"])
def test_agrees_with_cn2an_on_plain_integers(text):
    assert parse_number(text) == cn2an.cn2an(text, "smart")


@pytest.mark.parametrize("text,expected", [("1.44万亿", 1.44e12), ("三点八九万", 38900),
                                           ("百分之二十", 20)])
def test_own_rules_where_cn2an_fails(text, expected):
    with pytest.raises(ValueError):
        cn2an.cn2an(text, "smart")
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("sentence,value,unit", [
    ("到2022年累计建成5G基站3.89万个。", 38900, "count"),
    ("到2025年,全市数字经济增加值达到1.44万亿元。", 1.44e12, "CNY"),
    ("力争软件业务收入突破6000亿元。", 6e11, "CNY"),
    ("到2025年,培育工业互联网平台一千五百个以上。", 1500, "count"),
    ("By 2025 the province will have 38,900 5G base stations.", 38900, "count"),
    ("By 2025 the industry will reach 1.44 trillion yuan.", 1.44e12, "CNY"),
    ("The city aims to reach 600 billion yuan in software revenue by 2022.", 6e11, "CNY"),
    ("The province will have 3 million 5G users by 2025.", 3e6, "count"),
    ("到2025年,建成５Ｇ基站１２０００个。", 12000, "count"),
])
def test_numbers_in_sentences(sentence, value, unit):
    r = only(sentence)
    assert (r["value"], r["unit"]) == (pytest.approx(value), unit)


def test_range_gives_value_max():
    r = only("到2025年,每年新增省级智能工厂3~5个。")
    assert (r["value"], r["value_max"]) == (3, 5)


def test_english_range():
    r = only("By 2025 the city will cultivate 3-5 million digital users.")
    assert (r["value"], r["value_max"]) == (3e6, 5e6)


def test_currency_conversion_in_parentheses_is_not_a_second_record():
    assert values("Liaoning has invested 9.5 billion yuan (about 1.4 billion U.S. dollars) "
                  "this year.") == [(9.5e9, "CNY")]
