"""The indicator a quantity measures: the phrase as written and the taxonomy id.

The phrase is the counted noun after a measure word (建成4万个 *5G基站*, 6,000 *industrial
enterprises*) or else the words before the number in its clause, without the year, region,
verb and comparator around them. The id is the taxonomy indicator whose longest alias occurs
in the phrase (else in the clause) and whose unit fits the quantity's unit; a growth rate of a
money indicator maps to its ``…_growth_rate`` sibling when the taxonomy has one.
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


def map_indicator(phrase: str, clause: str, unit: str | None) -> tuple[str | None, str | None]:
    """(taxonomy id, its unit) for the phrase, else for the clause; (None, None) if none."""
    taxonomy = load_taxonomy()
    owners = _alias_index()[1]
    for text in (phrase.casefold(), clause.casefold()):
        for alias in _found(text):
            for ind_id, ind_unit in owners[alias]:
                if _fits(ind_unit, unit):
                    return ind_id, ind_unit
                growth = ind_id + "_growth_rate"
                if unit == "percent" and growth in taxonomy and re.search(
                        r"增长|增速|增幅|growth|grow|up by|increase", text):
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
        if len(after) >= 2 and re.search(r"[A-Za-z\u4e00-\u9fff]", after):
            return after[:80]
    before = s[a:qstart]
    before = _LEAD.sub("", before.lstrip())
    before = _TRAIL.sub("", before)
    return before.strip(" \"“”'‘’,")[-80:]
