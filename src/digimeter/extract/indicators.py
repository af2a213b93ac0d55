"""The indicator a quantity measures: the phrase as written and the taxonomy id.

The phrase is the counted noun after a measure word (建成4万个 *5G基站*, 6,000 *industrial
enterprises*) or else the words before the number in its clause, without the year, region,
verb and comparator around them. The id is the taxonomy indicator whose longest alias occurs
in the phrase (else in the clause) and whose unit fits the quantity's unit; a growth rate of a
money indicator maps to its ``…_growth_rate`` sibling when the taxonomy has one, and a
percentage of GDP (占地区生产总值的比重为40.4%, about 50% of the regional GDP, will account
for 10%) to its ``…_share_of_gdp`` sibling, the subject being the indicator named nearest
before the number in the sentence.
"""

from __future__ import annotations

import re
from functools import cache

from digimeter.indicators import load_taxonomy

_LEAD = re.compile(
    r"^(?:(?:预计|力争|争取|到|至|截至|截止|by|in|until|as of)?\s*(?:(?:19|20)\d{2}\s*年?(?:底|末)?"
    r"|今年|去年|this year|last year)\s*[,，]?\s*|其中|同时|另外|此外|并|且|以及|和|与|及|"
    r"and |the |of |with |while |meanwhile,? |its |their )+")
_TRAIL = re.compile(
    r"(?:将|将会|要|会|预计|力争|累计|共|已|已经|分别|均|同比|比上年|较上年同期|按可比价计算较上年同期|"
    r"达到|达|突破|超过|超|不超过|不低于|不少于|约|近|为|是|增长|下降|提高到|提高|提升|增加|"
    r"实现|完成|建成|培育|打造|新增|占|高于|低于|最高|给予|资助|补助|奖励|按|的|"
    r"\s|will|be|is|are|was|were|has|have|had|reach(?:ed)?|exceed(?:ed)?|more than|over|about|"
    r"around|nearly|up to|of|to|at|a total of|total|by|up|reached|approximately|than)+$")
_NOUN_STOP = re.compile(r"[,，;；:：。、(（]|和|及|以及|与|将|,| and | will | to | by | in | that |"
                        r" which | with | from | for | at | as |$")


@cache
def _aliases() -> list[tuple[str, str, str]]:
    """(alias lower-cased, indicator id, unit), longest first."""
    out = []
    for ind in load_taxonomy():
        for name in {ind.name_zh, ind.name_en, *ind.aliases_zh, *ind.aliases_en}:
            if len(name) >= 2:
                out.append((name.casefold(), ind.id, ind.unit))
    out.sort(key=lambda t: len(t[0]), reverse=True)
    return out


@cache
def _alias_index() -> tuple[re.Pattern[str], dict[str, list[tuple[str, str]]]]:
    """One regex finding every alias (overlapping), and alias → [(id, unit)]."""
    from digimeter.extract.places import _trie_regex

    owners: dict[str, list[tuple[str, str]]] = {}
    for alias, ind_id, unit in _aliases():
        owners.setdefault(alias, []).append((ind_id, unit))
    return re.compile("(?=(" + _trie_regex(list(owners)) + "))"), owners


def _found(text: str) -> list[str]:
    """Aliases occurring in ``text``, longest first."""
    pattern, _ = _alias_index()
    hits = {m.group(1) for m in pattern.finditer(text)}
    # A trie match is the longest alias at its position; shorter ones inside count too.
    extra = {a for h in hits for a in _inner(h)}
    return sorted(hits | extra, key=len, reverse=True)


@cache
def _inner(alias: str) -> tuple[str, ...]:
    return tuple(a for a in _alias_index()[1] if len(a) < len(alias) and a in alias)


def _fits(indicator_unit: str, unit: str | None) -> bool:
    if unit is None:
        return True
    return indicator_unit == unit or (unit == "count" and indicator_unit.startswith("count_per"))


_INFIX_VERB = re.compile(r"实现")
_GROWTH = re.compile(r"增长|增速|增幅|growth|grow|up by|increase")
_WORDLIKE = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_OF = re.compile(r"\s*of\b")
_STOCK_CUE = re.compile(r"总数|总量|累计|共计|共有|a total of|in total|cumulative|so far")
_FLOW_CUE = re.compile(r"新增|新认定|新建|净增|newly|\bnew\b|\badded\b")


def _stock_or_flow(ind_id: str, phrase: str, context: str) -> str:
    """A stock (总数达9.17万座) or a flow (新增5G基站1.52万座) of the same thing, when the
    taxonomy keeps both (``x`` and ``x_added``): a stock cue in the phrase wins, then a
    flow cue in the phrase or the clause before the number."""
    taxonomy = load_taxonomy()
    stock = ind_id.removesuffix("_added")
    flow = stock + "_added"
    if stock not in taxonomy or flow not in taxonomy:
        return ind_id
    if _STOCK_CUE.search(phrase):
        return stock
    return flow if _FLOW_CUE.search(phrase) or _FLOW_CUE.search(context) else ind_id


def map_indicator(phrase: str, clause: str, unit: str | None,
                  context: str = "") -> tuple[str | None, str | None]:
    """(taxonomy id, its unit) for the phrase, else for the clause; (None, None) if none.

    A verb inside the name (数字经济实现增加值, 软件和信息服务业实现营收) is skipped;
    ``context`` (the clause up to the number) tells a stock from a flow (新增…、未来工厂20家)."""
    taxonomy = load_taxonomy()
    owners = _alias_index()[1]
    phrase, clause = phrase.casefold(), clause.casefold()
    for text in (phrase, clause):
        for alias in _found(_INFIX_VERB.sub("", text)):
            for ind_id, ind_unit in owners[alias]:
                if _fits(ind_unit, unit):
                    return _stock_or_flow(ind_id, phrase, context.casefold()), ind_unit
                growth = ind_id + "_growth_rate"
                if unit == "percent" and growth in taxonomy and _GROWTH.search(text):
                    return growth, "percent"
    return None, None


def indicator_phrase(s: str, clause: tuple[int, int], qstart: int, qend: int,
                     counted: bool, noun: tuple[int, int] | None) -> str:
    """The indicator as written, cut from the folded text ``s`` (same offsets as the text)."""
    a, b = clause
    if noun is not None or counted:
        start = noun[0] if noun else qend
        m = _NOUN_STOP.search(s, start, b)
        stop = m.start() if m else b
        after = s[start:stop].strip(" \"“”'‘’")
        if len(after) >= 2 and _WORDLIKE.search(after):
            return after[:80]
    before = s[a:qstart].lstrip()
    lead = _LEAD.match(before)
    before = before[lead.end():] if lead else before
    before = _TRAIL.sub("", before)
    return before.strip(" \"“”'‘’,、，;；")[-80:]



_GDP = r"(?:地区生产总值|国内生产总值|生产总值|gdp|gross domestic product)"
_OF_GDP_AFTER = re.compile(r"\s*(?:左右|以上)?\s*of (?:the |its )?(?:[a-z]+'s )?"
                           r"(?:total |regional |gross )*" + _GDP)
_ZH_SHARE_BEFORE = re.compile(r"占[^,，;；。占]{0,12}?" + _GDP + r"[^,，;；。]{0,12}$")
_EN_SHARE_BEFORE = re.compile(r"\b(?:share|proportion) of\b[^;。]{0,100}\b(?:in|of) (?:its |the )?"
                              r"(?:[a-z]+'s )?" + _GDP + r"\b[^;。]{0,20}$")
_ACCOUNT_BEFORE = re.compile(r"\baccount(?:s|ed|ing)? for (?:about |around |nearly |more than |"
                             r"over |up to )?$")


def is_share_of_gdp(before: str, after: str) -> bool:
    """A percentage stated as a share of GDP; ``before`` is the lower-cased sentence up to the
    number, ``after`` the rest after its unit. "Accounts for 10%" with no other denominator
    is a share of GDP."""
    tail = before[-160:]
    if _OF_GDP_AFTER.match(after) or _ZH_SHARE_BEFORE.search(tail) \
            or _EN_SHARE_BEFORE.search(tail):
        return True
    return _ACCOUNT_BEFORE.search(tail) is not None and not _OF.match(after)


def _share_sibling(ind_id: str) -> str | None:
    taxonomy = load_taxonomy()
    if ind_id.endswith("_share_of_gdp"):
        return ind_id
    sibling = ind_id.replace("_value_added", "") + "_share_of_gdp"
    return sibling if "_value_added" in ind_id and sibling in taxonomy else None


@cache
def _share_subjects() -> dict[str, str]:
    """The bare subject of each share indicator (数字经济, digital economy core industries),
    read from its names: the words before 增加值 / value added."""
    out = {}
    for ind in load_taxonomy():
        if ind.id.endswith("_share_of_gdp"):
            for name, cut in ((ind.name_zh, "增加值"), (ind.name_en.casefold(), " value added")):
                if cut in name:
                    out[name.split(cut)[0]] = ind.id
    return out


def share_indicator(before: str) -> str | None:
    """The ``…_share_of_gdp`` indicator whose subject is named nearest before the number
    (``before``: the lower-cased sentence up to it)."""
    pattern, owners = _alias_index()
    found: list[tuple[int, int, str]] = []
    for m in pattern.finditer(before):
        alias = m.group(1)
        for inner in (alias, *_inner(alias)):
            at = before.find(inner, m.start())
            for ind_id, _ in owners[inner]:
                share = _share_sibling(ind_id)
                if share:
                    found.append((at + len(inner), len(inner), share))
    for subject, share in _share_subjects().items():
        at = before.rfind(subject)
        if at >= 0:
            found.append((at + len(subject), len(subject), share))
    return max(found)[2] if found else None
