"""Regions: the document's own region, the regions its sentences name, and the region each
statement is about.

Names come from the GB/T 2260 table of the foundation (``load_regions().aliases()``), never
from a hand list. Chinese names are matched on the folded (simplified) text; English names
case-sensitively, as capitalised words. A name that is part of an organisation or a proper
name (中国信息通信研究院, China Daily, Beijing International Big Data Exchange, 中国—东盟)
does not count; 全国 / 我国 / the State Council make a statement national (``CN``) within
their sentence; 全省 / 我市 / the province point back to the document's region.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from digimeter.errors import UnknownRegionError
from digimeter.extract.text import at_word_start
from digimeter.regions import COUNTRY, load_regions

_GENERIC_ZH = frozenset(("新区", "城区", "矿区", "郊区", "东区", "西区", "南区", "北区", "中区",
                         "市中区", "高新区", "开发区", "中国", "中华", "全国", "长安", "和平",
                         "新华", "平安", "永安", "东方", "白云", "青山", "龙华", "金山", "普陀",
                         "城关", "中山", "江南", "江北", "河东", "河西", "朝阳", "海南区"))
_GENERIC_EN = frozenset(("China", "Central", "East", "West", "North", "South", "Northeast",
                         "Guide", "Long", "Ning", "Ping", "Min", "Lu", "He", "Yi", "Dong",
                         "Nan", "Bei", "Xi", "Zhong", "Mine", "Suburb", "Urban", "Kai",
                         "Anning", "Gaoxin", "Taiping", "Heping", "Xinhua", "Pingan",
                         "Changan", "Baiyun", "Qingshan", "Chaoyang", "Jinshan", "Jiangnan"))
_SUFFIX_ZH = ("省", "市", "区", "县", "州", "盟", "旗")
# A name followed by these is part of an organisation or proper name.
_ORG_AFTER_ZH = re.compile(
    r"(?:信息网|研究院|研究所|日报|晚报|商报|新闻|电视台|广播|银行|电信|移动|联通|铁塔|大学|学院|"
    r"集团|公司|股份|证券|博览会|信息港|自贸区|交易所|网(?!络|民|上)|报社|出版|大数据交易|航空|"
    r"机场|港(?!澳)|卫视|在线|频道)")
_ORG_AFTER_EN = re.compile(
    r"\s?(?:Daily|News|Network|Academy|University|Bank|Telecom|Mobile|Unicom|Tower|Group|"
    r"Co\b|Corporation|Securities|Airlines|Energy Storage|Institute|Exchange|Post|Times|Media|"
    r"Television|TV|Radio|Port|Airport|Expo|Stock|Observer)")
_NAME_AFTER_EN = re.compile(r"[ \-](?!(?:Province|City|Municipality|District|County|"
                            r"Autonomous|Region|Municipal|Provincial|Prefecture|New Area)\b)"
                            r"[A-Z][a-z]")
_NATIONAL_ZH = re.compile(
    r"全国(?!第|前列|首位|前|领先|第一|平均|排名|各地|人大|政协|性)|我国|国务院|中共中央|党中央|"
    r"中国(?=与|和|的|共|全年|累计|已)|国家统计局")
_NATIONAL_EN = re.compile(at_word_start(
    r"China(?:'s| has| had| is| was| now| currently)\b", r"nationwide\b", r"the State Council\b",
    r"across the country\b", r"the whole country\b", r"national total\b", r"Chinese economy\b"))
_EN_CUES = ("China", "nationwide", "State Council", "country", "national", "Chinese")
_HOME_ZH = re.compile(r"[全我本][省市区县]")
_HOME_EN = re.compile(at_word_start(r"the (?:province|city|municipality|region)(?:'s)?\b",
                                    r"across the province\b"))
_COMPASS_BEFORE = re.compile(r"(?:north|south|east|west|northeast|northwest|southeast|southwest|"
                             r"central|east central)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str  # a region code, COUNTRY, or "HOME" (全省: the document's region)
    name: str
    named: bool = False  # inside a document title 《…》 or a proper name (counts weakly)
    codes: tuple[str, ...] = ()  # every code the name may mean (ambiguous names)


def _trie_regex(words: list[str], fan_out: int = 24) -> str:
    """A regex alternation shaped as a trie: fast on long texts with thousands of words.

    A node with more than ``fan_out`` next characters has them grouped, each group behind a
    look-ahead for its characters, so that a position is tried against a few groups instead of
    every character in turn; a look-ahead for the first characters (and the second ones, when
    no word is a single character) leads the whole pattern."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def one_of(chars: list[str]) -> str:
        return "[" + "".join(re.escape(ch) for ch in chars) + "]"

    def alternation(node: dict, chars: list[str]) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in chars]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    def build(node: dict) -> str:
        chars = sorted(k for k in node if k)
        if not chars:
            return ""
        if len(chars) > fan_out:
            size = math.isqrt(len(chars) - 1) + 1
            groups = [chars[i:i + size] for i in range(0, len(chars), size)]
            body = "(?:" + "|".join(f"(?={one_of(g)}){alternation(node, g)}"
                                    for g in groups) + ")"
        else:
            body = alternation(node, chars)
        return f"(?:{body})?" if "" in node else body

    first = sorted(k for k in trie if k)
    if not first or "" in trie:
        return build(trie)
    second = sorted({k for ch in first for k in trie[ch] if k})
    if any("" in trie[ch] for ch in first):
        return f"(?={one_of(first)}){build(trie)}"
    return f"(?={one_of(first)}{one_of(second)}){build(trie)}"


_EN_RUN = re.compile(r"[A-Z][A-Za-z]*(?:'[a-z]+)?(?:[ \-][A-Z][A-Za-z]*(?:'[a-z]+)?){0,4}")
_EN_WORD = re.compile(r"[A-Za-z']+")


@cache
def _lexicon() -> tuple[dict[str, list[str]], re.Pattern[str], frozenset[str]]:
    """Names → their codes, a pattern of the Chinese names, and the first words of the
    English ones."""
    table = load_regions()
    names: dict[str, list[str]] = {}
    for name, codes in table.aliases().items():
        current = [c for c in codes if table.get(c).is_current and table.get(c).level > 0]
        if not current:
            continue
        best = min(table.get(c).level for c in current)
        if re.search(r"[\u4e00-\u9fff]", name):
            if len(name) < 2 or name in _GENERIC_ZH:
                continue
            if best >= 3 and not name.endswith(_SUFFIX_ZH) and len(name) < 3:
                continue
            names[name] = current
        elif re.fullmatch(r"[A-Z][A-Za-z' \-]+", name) and name not in _GENERIC_EN:
            if best >= 3 and (len(name) < 7 or " " in name and not name.endswith(
                    ("District", "County", "City"))):
                continue
            names[name] = current
    zh = [n for n in names if not n.isascii()]
    zh_re = re.compile(_trie_regex(sorted(zh, key=len, reverse=True)))
    first_words = frozenset(_EN_WORD.match(n).group() for n in names if n.isascii())
    return names, zh_re, first_words


def _english_names(s: str, names: dict[str, list[str]],
                   first_words: frozenset[str]) -> list[tuple[int, int, str]]:
    """Region names among runs of capitalised words (longest name first)."""
    out = []
    for run in _EN_RUN.finditer(s):
        if " " not in run.group() and "-" not in run.group():
            bare = run.group().removesuffix("'s")
            if bare in names:
                out.append((run.start(), run.start() + len(bare), bare))
            continue
        words = [w.span() for w in _EN_WORD.finditer(s, run.start(), run.end())]
        i = 0
        while i < len(words):
            word = s[words[i][0]:words[i][1]]
            if word not in first_words and word.removesuffix("'s") not in first_words:
                i += 1
                continue
            for j in range(min(len(words), i + 4), i, -1):
                a, b = words[i][0], words[j - 1][1]
                name = s[a:b]
                bare = name.removesuffix("'s")
                if bare in names:
                    out.append((a, a + len(bare), bare))
                    i = j
                    break
            else:
                i += 1
    return out


def _resolve(name: str, codes: list[str], near: str | None) -> str | None:
    table = load_regions()
    if len(codes) == 1:
        return codes[0]
    try:
        return table.resolve(name, within=near).code
    except UnknownRegionError:
        found = table.candidates(name)
        return found[0].code if found else None


def prefer_within(mentions: list[Mention], home: str) -> list[Mention]:
    """Ambiguous names (苏州 / 宿州 in pinyin) read as the division inside ``home``'s
    province when one of their candidates is."""
    province = province_of(home)
    if province is None:
        return mentions
    out = []
    for m in mentions:
        inside = [c for c in m.codes if c.startswith(province[:2])]
        if len(m.codes) > 1 and inside and m.code not in inside:
            m = Mention(m.start, m.end, inside[0], m.name, m.named, m.codes)
        out.append(m)
    return out


def _in_title_marks(s: str, pos: int) -> bool:
    """Inside 《…》 (a document's title)."""
    left = s.rfind("《", max(0, pos - 60), pos)
    return left != -1 and s.find("》", left, pos) == -1


def find_mentions(s: str, near: str | None = None) -> list[Mention]:
    """Region names, national cues and 全省-style pointers in ``s``, in order."""
    names, zh_re, first_words = _lexicon()
    out: list[Mention] = []
    for m in zh_re.finditer(s):
        name = m.group()
        code = _resolve(name, names[name], near)
        if code is None:
            continue
        a, b = m.span()
        if _ORG_AFTER_ZH.match(s, b) or s[max(0, a - 3):a].endswith(("中国-", "中国—", "中國-")):
            continue
        out.append(Mention(a, b, code, name, named=_in_title_marks(s, a),
                           codes=tuple(names[name])))
    for a, b, name in _english_names(s, names, first_words):
        code = _resolve(name, names[name], near)
        if code is None:
            continue
        after = s[b:b + 30]
        if _ORG_AFTER_EN.match(after) or s[b:b + 1] == "-" or s[max(0, a - 1):a] == "-":
            continue
        named = bool(_NAME_AFTER_EN.match(after)) and not s.startswith("'s", b)
        out.append(Mention(a, b, code, name, named=named, codes=tuple(names[name])))
    national = list(_NATIONAL_ZH.finditer(s))
    if any(cue in s for cue in _EN_CUES):
        national += _NATIONAL_EN.finditer(s)
    for m in national:
        a, b = m.span()
        if m.group().startswith("China") and _COMPASS_BEFORE.search(s[max(0, a - 12):a]):
            continue
        if m.group() == "China's" and _english_names(s[b + 1:b + 40], names, first_words)[:1] \
                and _english_names(s[b + 1:b + 40], names, first_words)[0][0] == 0:
            continue
        out.append(Mention(a, b, COUNTRY, m.group()))
    home = list(_HOME_ZH.finditer(s))
    if "the " in s:
        home += _HOME_EN.finditer(s)
    for m in home:
        out.append(Mention(m.start(), m.end(), "HOME", m.group()))
    out.sort(key=lambda x: x.start)
    return out


def document_region(mentions: list[Mention], title_end: int, head_end: int) -> str:
    """The region a document is about: most named (the title weighs most), preferring a
    division inside the leader when it is named nearly as often; ``CN`` when none."""
    score: dict[str, float] = defaultdict(float)
    last: dict[bool, str] = {}
    for m in mentions:
        if m.code == "HOME":
            # 我市 / 全省 vote for the last city / province named before them.
            city = not re.search(r"省|province", m.name)
            if city in last:
                score[last[city]] += 1.0
            continue
        if m.code != COUNTRY:
            last[load_regions().get(m.code).level != 1] = m.code
        elif re.match(r"全国", m.name):
            continue  # 居全国第6位: a comparison, not the document's subject
        weight = 3.0 if m.start < title_end else 2.0 if m.start < head_end else 1.0
        if m.named:
            weight *= 0.5
        score[m.code] += weight
    if not score:
        return COUNTRY
    national = score.pop(COUNTRY, 0.0)
    if not score:
        return COUNTRY
    top = max(score, key=lambda c: (score[c], -len(c)))
    if national > score[top] * 1.5:
        return COUNTRY
    inner = [c for c in score if c != top and score[c] >= 0.5 * score[top]
             and _within(c, top)]
    if inner:
        top = max(inner, key=lambda c: score[c])
    return top


def _within(code: str, ancestor: str) -> bool:
    if code == COUNTRY or ancestor == COUNTRY:
        return ancestor == COUNTRY
    try:
        return load_regions().is_within(code, ancestor)
    except UnknownRegionError:
        return False


@cache
def region_name(code: str) -> str:
    if code == COUNTRY:
        return "China"
    try:
        return load_regions().get(code).name_zh
    except UnknownRegionError:
        return code


def province_of(code: str) -> str | None:
    if code == COUNTRY:
        return None
    return code[:2] + "0000"
