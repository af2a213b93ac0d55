"""Kind of a statement: a target (a future commitment), an observation (a reported statistic)
or a measure (a policy instrument: subsidy rate, cap, eligibility threshold, fund size).

The rules, in order: a sentence that names a subsidy, reward, grant or fund makes its
quantities measures, and so does a threshold (不低于, 超过, …) in a document made of such
sentences (eligibility conditions). In an undated document a report cue before the number (and no
commitment cue) decides. Otherwise the year decides when the document's date is
known (a later year is a target, an earlier one an observation); then the wording: a
commitment (将, 力争, 到2025年, will, aims to, expected to) before the number, else a report
(截至, 已, 同比, was, reached, grew), else a weaker plan verb (打造, 培育, 新增), else
observation.
"""

from __future__ import annotations

import re

from digimeter.extract.text import at_word_start

# Every alternative of these patterns begins with a literal character (English words through
# ``at_word_start``), so that a scan skips straight to the places where one can match.
MEASURE_CUE = re.compile(
    r"补助|补贴|奖励|资助|奖补|扶持资金|一次性|贴息|专项资金|引导基金|产业基金|基金|发展资金|"
    r"租金|房租|免租|减免|subsid\w*|reward\w*|allowance\w*|rent\b|rebate\w*|"
    + at_word_start(r"grants?\b", r"bonus\w*", r"funds?\b"))
THRESHOLD_CUE = re.compile(r"不低于|不少于|不超过|以上|超过|至少|达到|申报|条件|or more|at least|"
                           r"more than|no less than")
_STRONG_TARGET = re.compile(
    r"将|力争|争取|预计到|到(?:19|20)\d{2}|目标|计划|规划|拟(?<![虚模].)|要(?!求|素|点|是)|确保|预期|"
    r"力求|" + at_word_start(
        r"will\b", r"shall\b", r"expected\b", r"aims?\b", r"plans?\b", r"planned\b",
        r"targets?\b", r"goals?\b", r"strives?\b", r"should\b", r"projected\b", r"seeks?\b",
        r"set to\b", r"is to\b", r"are to\b", r"intends?\b", r"proposed\b",
        r"by (?:the end of )?(?:19|20)\d{2}\b", r"to (?:have|build|reach)\b", r"is set\b"))
_OBSERVED = re.compile(
    r"截至|截止|已|累计|同比|比上年|较上年|上年同期|增长|下降|完成|实现了|显示|居|位列|达(?!到)|"
    r"共有|拥有|现有|去年|上半年|全年|获悉|统计|比重为|为|" + at_word_start(
        r"was\b", r"were\b", r"reached\b", r"recorded\b", r"grew\b", r"rose\b", r"increased\b",
        r"stood\b", r"accounted\b", r"exceeded\b", r"has\b", r"have\b", r"had\b", r"built\b",
        r"completed\b", r"achieved\b", r"established\b", r"introduced\b", r"invested\b",
        r"ranked\b", r"welcomed\b", r"surged\b", r"decreased\b", r"declined\b", r"fell\b",
        r"totall?ed\b", r"currently\b", r"so far\b", r"as of\b", r"last year\b", r"up by\b",
        r"there (?:are|were)\b", r"increasing\b", r"growing\b", r"added\b", r"is now\b",
        r"has been\b"))
_WEAK_TARGET = re.compile(
    r"打造|培育|推动|推进|加快|新增|创建|力推|大力|"
    + at_word_start(r"to\b", r"promote\b", r"build\b", r"cultivate\b", r"create\b", r"develop\b"))


_NAMES_AND_SPANS = re.compile(r"《[^》]{0,60}》"  # a title names a plan; it commits nothing
                              r"|从\s*(?:19|20)\d{2}\s*年?\s*(?:到|至)\s*(?:19|20)\d{2}\s*年?")


def is_measure_sentence(low: str) -> bool:
    return MEASURE_CUE.search(low) is not None


def kind_from_wording(before: str, after: str) -> str:
    """Target or observation from the words around a number (``before`` is the sentence up
    to the number, ``after`` the rest)."""
    if _STRONG_TARGET.search(before):
        return "target"
    if _OBSERVED.search(before):
        return "observation"
    if _WEAK_TARGET.search(before):
        return "target"
    if _STRONG_TARGET.search(after):
        return "target"
    return "observation"


def kind_of(before: str, after: str, year: int | None, ref_year: int | None,
            year_explicit: bool, measure: bool, dated: bool = True) -> str:
    """``dated``: ``ref_year`` is the document's own date, not a guess from the years it
    names; a guess does not overrule a report's wording before the number (累计培育…263家)."""
    if measure:
        return "measure"
    before = _NAMES_AND_SPANS.sub("", before)
    if not dated and _OBSERVED.search(before) and not _STRONG_TARGET.search(before):
        return "observation"
    if year is not None and ref_year is not None and year_explicit:
        if year > ref_year:
            return "target"
        if year < ref_year:
            return "observation"
    return kind_from_wording(before, after)
