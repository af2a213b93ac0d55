"""Text helpers of ingestion, against their plain definitions on arbitrary text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from digimeter.ingest.textnorm import detect_language, to_halfwidth

WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("，。：（）　ＡＢ５Ｇ中文 a")),
               max_size=300)


@given(TEXT)
def test_halfwidth_is_the_character_mapping(text):
    assert to_halfwidth(text) == text.translate(WIDE)


def test_halfwidth_examples():
    wide = "５Ｇ基站，达到３．８９万个　（２０２２年）"
    assert to_halfwidth(wide) == "5G基站,达到3.89万个 (2022年)"
    assert to_halfwidth("") == "" and to_halfwidth("plain") == "plain"


@given(TEXT)
def test_language_counts_every_letter(text):
    han = len(re.findall(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]",
                         text))
    letters = len(re.findall(r"[^\W\d_]", text))
    expected = None if letters == 0 else ("zh" if han / letters >= 0.3 else "en")
    assert detect_language(text) == expected
