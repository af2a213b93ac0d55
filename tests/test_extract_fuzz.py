"""Property and fuzz tests: no crash, bounded work, every quote verbatim at its offsets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digimeter.extract import extract_text

_PLAN_WORDS = st.sampled_from([
    "到2025年", "全省", "我国", "建成", "5G基站", "万个", "亿元", "%", "以上", "不超过", "约",
    "左右", "最高", "补贴", "百分之", "十四五", "末", "by 2025", " will reach ", " billion yuan",
    " percent", " more than ", "Beijing", "广州", "(", ")", "《", "》", "、", ",", "。", "\n",
    "|", "\t", "3.89", "38,900", "一千五百", "两", "1.44万亿", "2021—2023年", "今年", "去年",
    "发布时间:2022-05-12", "第", "号", "-", "~", " "])


def _check(text: str) -> None:
    for r in extract_text(text, "fuzz.txt"):
        assert text[r["start"]:r["end"]] == r["quote"]
        assert r["kind"] in ("target", "observation", "measure")
        assert isinstance(r["value"], float)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_unicode(text):
    _check(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PLAN_WORDS, max_size=80).map("".join))
def test_plan_like_text(text):
    _check(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_PLAN_WORDS, st.integers(0, 10**9).map(str)), max_size=60)
       .map("".join))
def test_numbers_everywhere(text):
    _check(text)


def test_ten_megabytes_of_digits():
    text = "7" * (10 * 2**20)
    _check(text)


def test_very_long_line_of_sentences():
    text = "到2025年,建成5G基站4万个," * 20_000
    recs = extract_text(text, "long.txt")
    assert all(text[r["start"]:r["end"]] == r["quote"] for r in recs)


def test_nested_brackets():
    text = "(" * 50_000 + "到2025年,建成5G基站4万个" + ")" * 50_000 + "《" * 10_000
    _check(text)


def test_long_line_without_punctuation():
    text = "数字经济" * 100_000 + "3.89万个" + "a" * 100_000
    _check(text)


def test_mixed_full_width_text():
    text = "到２０２５年，建成５Ｇ基站４万个。"
    normalized = text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
    recs = extract_text(text, "fw.txt", normalized=normalized)
    assert [(r["value"], r["year"]) for r in recs] == [(40000.0, 2025)]
    assert all(text[r["start"]:r["end"]] == r["quote"] for r in recs)
