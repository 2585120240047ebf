"""Text normalisation and value parsing shared by every extractor and rule.

Chinese guides mix full-width and half-width forms ("２０个工作日", "原件１份"), Chinese numerals
("二十个工作日", "一式两份") and free wording for the same value ("零跑动", "0次", "不见面"). These
helpers turn such text into comparable values. Patterns are compiled once at import time.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from guidecheck.model import Loc, TimeLimit

_SPACE_RE = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")


def nfkc(text: str) -> str:
    """NFKC-normalise: full-width digits, letters and punctuation become half-width."""
    return unicodedata.normalize("NFKC", text)


def clean_text(text: str) -> str:
    """NFKC, collapse runs of spaces, trim each line and drop blank lines."""
    text = _SPACE_RE.sub(" ", nfkc(text))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """`clean_text` joined into a single line (for labels, names and short values)."""
    return " ".join(clean_text(text).split("\n"))


_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def loads_json(text: str) -> Any:
    """`json.loads`, with each unpaired "\\udXXX" escape read as U+FFFD: json keeps it as a lone surrogate,
    which no encoder accepts, so every later step (fingerprints, reports, the terminal) would fail on it."""
    data = json.loads(text)
    return _without_lone_surrogates(data) if _SURROGATE_ESCAPE_RE.search(text) else data


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


# --- Chinese numerals -------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万"
_NUMBER = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)"


def cn_to_int(text: str) -> int | None:
    """Convert a Chinese numeral ("二十" → 20, "两" → 2, "一百零五" → 105) or digits to an int."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section = 0
            else:
                section += (digit or 1) * unit  # "十五" = 15: a leading 十 means 一十
            digit = 0
        else:
            return None
    return total + section + digit


def item_type_is(text: str, word: str) -> bool:
    """事项类型 `text` names the type `word`: "行政许可（普通）" is a 行政许可; "非行政许可审批" (a category
    abolished in 2015) contains the word but is not one."""
    at = text.find(word)
    while at != -1:
        if at == 0 or text[at - 1] != "非":
            return True
        at = text.find(word, at + 1)
    return False


def parse_number(text: str) -> float | None:
    """Digits ("20", "2.5") or a Chinese numeral ("二十") as a number."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        value = cn_to_int(text)
        return float(value) if value is not None else None


# --- time limits --------------------------------------------------------------------------------

_UNIT = r"(工作日|自然日|日历日|个月|月|年|小时|日|天)"
_IMMEDIATE_RE = re.compile(
    r"即办|当场办结|当场办理|当场|立即办结|即时办结|即来即办|立等可取|即审即办|实时办结|即时(?=[)）]|$)"
)
_NONE_RE = re.compile(r"^(?:无|/|-|—|暂无|不适用|无时限)$")
_RANGE_RE = re.compile(rf"({_NUMBER})\s*(?:个)?\s*(?:{_UNIT})?\s*[-~～至到—–]\s*({_NUMBER})\s*(?:个)?\s*{_UNIT}")
_SINGLE_RE = re.compile(rf"({_NUMBER})\s*(?:个)?\s*{_UNIT}")
_PAREN_UNIT_RE = re.compile(rf"({_NUMBER})\s*[(（]\s*(?:个)?{_UNIT}\s*[)）]")
_BARE_NUMBER_RE = re.compile(rf"^\s*({_NUMBER})\s*(?:内|以内)?(?:办结|完成)?\s*$|^\s*({_NUMBER})\s*内")
_UNIT_CANON = {"日历日": "自然日", "个月": "月"}


def _unit(raw: str) -> str:
    return _UNIT_CANON.get(raw, raw)


def parse_time_limit(text: str, loc: Loc | None = None) -> TimeLimit:
    """Parse a time limit; unparseable text keeps `raw` with `days=None`.

    "20个工作日" → 20 工作日; "二十个工作日" → 20; "即办"/"当场办结" → immediate, 0; "7-20个工作日" → 7..20;
    "20(工作日)" → 20 工作日; "30日" → 30 日; "30内办结" → 30, unit ""; "无" → None.
    """
    raw = text.strip()
    norm = nfkc(raw).replace(" ", "")
    if not norm or _NONE_RE.match(norm):
        return TimeLimit(raw=raw, loc=loc)
    m = _RANGE_RE.search(norm)
    if m:
        low, high = parse_number(m.group(1)), parse_number(m.group(3))
        if low is not None and high is not None:
            return TimeLimit(raw=raw, days=high, days_min=low, unit=_unit(m.group(4)), loc=loc)
    m = _SINGLE_RE.search(norm) or _PAREN_UNIT_RE.search(norm)
    if m:
        value = parse_number(m.group(1))
        if value is not None:
            return TimeLimit(raw=raw, days=value, days_min=value, unit=_unit(m.group(2)), loc=loc)
    if _IMMEDIATE_RE.search(norm):
        return TimeLimit(raw=raw, days=0.0, days_min=0.0, immediate=True, loc=loc)
    m = _BARE_NUMBER_RE.search(norm)
    if m:
        value = parse_number(m.group(1) or m.group(2))
        if value is not None:
            return TimeLimit(raw=raw, days=value, days_min=value, unit="", loc=loc)
    return TimeLimit(raw=raw, loc=loc)


def find_time_limit(text: str, loc: Loc | None = None) -> TimeLimit | None:
    """The first time limit mentioned inside a longer text ("受理：…（1个工作日）"), or None."""
    norm = nfkc(text).replace(" ", "")
    m = _RANGE_RE.search(norm) or _SINGLE_RE.search(norm) or _PAREN_UNIT_RE.search(norm)
    if m:
        return parse_time_limit(m.group(0), loc)
    m = _IMMEDIATE_RE.search(norm)
    if m:
        return parse_time_limit(m.group(0), loc)
    return None


# --- visits ------------------------------------------------------------------------------------

_ZERO_VISITS_RE = re.compile(r"零跑动|零跑腿|零次|不见面|无需到现场|不需要到现场|无需到场|0次|零上门|全程网办")
_AT_MOST_RE = re.compile(rf"最多跑\s*({_NUMBER})\s*次")
_VISITS_RE = re.compile(rf"({_NUMBER})\s*次")


def parse_visits(text: str) -> int | None:
    """到办事现场次数: "0次"/"零跑动"/"不见面" → 0, "最多跑一次" → 1, "2次" → 2; None when not stated."""
    norm = nfkc(text).replace(" ", "")
    if not norm:
        return None
    m = _AT_MOST_RE.search(norm)
    if m:
        return cn_to_int(m.group(1))
    if _ZERO_VISITS_RE.search(norm):
        return 0
    m = _VISITS_RE.search(norm)
    if m:
        return cn_to_int(m.group(1))
    if norm.isdigit():
        return int(norm)
    return None


# --- copies and forms ----------------------------------------------------------------------------

_COPY_UNIT = r"(?:份|张|本|套|册)"
_SET_OF_RE = re.compile(rf"一式\s*({_NUMBER})\s*{_COPY_UNIT}")
_COPIES_RE = re.compile(rf"(?<![一式])({_NUMBER})\s*{_COPY_UNIT}")
_BOTH_EACH_RE = re.compile(
    r"(?:原件|正本)[及和与、,，/]*(?:复印件|副本)\s*各|(?:复印件|副本)[及和与、,，/]*(?:原件|正本)\s*各"
)
_LABELLED_COUNT_RE = re.compile(rf"(?:原件|复印件|电子件|电子版|扫描件)\s*[:：]?\s*({_NUMBER})(?!\s*[份次])")
_PURE_NUMBER_RE = re.compile(rf"^\s*({_NUMBER})\s*$")


def parse_copies(text: str) -> int | None:
    """Total paper copies stated: "原件1份、复印件2份" → 3, "一式两份" → 2, "各一份" → 1, "1" → 1,
    "原件及复印件各1份" → 2, "照片2张" → 2."""
    norm = nfkc(text).replace(" ", "")
    if not norm:
        return None
    total = 0
    found = False
    for m in _SET_OF_RE.finditer(norm):
        total += cn_to_int(m.group(1)) or 0
        found = True
    rest = _SET_OF_RE.sub("", norm)
    for m in _COPIES_RE.finditer(rest):
        value = cn_to_int(m.group(1))
        if value is not None:
            total += value
            found = True
    for m in _LABELLED_COUNT_RE.finditer(rest):
        value = cn_to_int(m.group(1))
        if value is not None:
            total += value
            found = True
    if found:
        return total * 2 if _BOTH_EACH_RE.search(norm) else total  # "原件及复印件各1份" = 2
    m = _PURE_NUMBER_RE.match(norm)
    if m:
        return cn_to_int(m.group(1).split(".")[0])
    return None


_FORM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("原件", re.compile(r"原件|正本")),
    ("复印件", re.compile(r"复印件|复制件|副本|影印件")),
    ("电子", re.compile(r"电子|扫描件|扫描版|PDF", re.IGNORECASE)),
    ("纸质", re.compile(r"纸质|纸本")),
)
_PAREN_RE = re.compile(r"[(（][^()（）]*[)）]")


def parse_forms(text: str, *, ignore_remarks: bool = True) -> tuple[str, ...]:
    """Material forms stated, in a fixed order: 原件, 复印件, 电子, 纸质.

    In free text, parenthesised remarks are ignored ("复印件（需比对原件）" is a copy only); a form column
    ("纸质（原件）") is read whole with `ignore_remarks=False`.
    """
    norm = nfkc(text)
    if ignore_remarks:
        norm = _PAREN_RE.sub("", norm)
    return tuple(name for name, pattern in _FORM_PATTERNS if pattern.search(norm))


# --- channels -----------------------------------------------------------------------------------

_CHANNEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("window", re.compile(r"窗口|现场办理|大厅|线下")),
    ("online", re.compile(r"网上|网办|在线|线上|互联网|全程网|APP|小程序|粤省事|粤商通|指尖", re.IGNORECASE)),
    ("post", re.compile(r"快递|邮寄|邮政|物流|EMS", re.IGNORECASE)),
    ("self_service", re.compile(r"自助")),
)
_NO_ONLINE_RE = re.compile(r"仅发布办事指南|不支持网上|不可网上|不能网上|网上办理[:：]?否")


def parse_channels(text: str) -> frozenset[str]:
    """办理形式 text → channels: "窗口办理,网上办理,快递申请" → {"window", "online", "post"}."""
    norm = nfkc(text)
    found = {name for name, pattern in _CHANNEL_PATTERNS if pattern.search(norm)}
    if _NO_ONLINE_RE.search(norm):
        found.discard("online")
    return frozenset(found)


_YES_RE = re.compile(r"^(?:是|有|支持|可以|可|Y|YES|TRUE|1)(?:[,，。;；(（].*)?$", re.IGNORECASE)


def is_yes(text: str) -> bool:
    """A yes/no field says yes ("是", "支持", "是（全程网办）")."""
    return bool(_YES_RE.match(nfkc(text).strip()))
