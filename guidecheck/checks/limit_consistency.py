"""limit_consistency: the guide states the item's total time limit differently in two places.

Statements of the whole item's limit in the flow (or other elements) — "承诺办结时限为30个工作日",
"自受理之日起30个工作日内作出决定" — must equal the 承诺 or the 法定 limit of the basic information.
Per-step limits ("审查：5个工作日") are not statements of the total and are not matched.

params:
    patterns   regexes with a named group `n` (the number, digits or Chinese) and optionally `unit`
    scopes     "flow" (all flow text) and/or element keys (default ["flow"])
    totals     regex of words that mark a statement about the whole item (本事项, 全程, 办结 …); a figure
               without them is only reported when it is longer than both limits (it may be a step's time)
Hit: evidence = the sentence; params stated, promised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _literals, _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import TEXT_ELEMENTS, norm, text_scope
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide, TimeLimit
from guidecheck.normalize import parse_number

_WORKING = {"工作日": 1.0, "自然日": 5 / 7, "日": 5 / 7, "天": 5 / 7, "": 1.0}


@dataclass(slots=True, frozen=True)
class Params:
    patterns: tuple[Sieve, ...]
    scopes: tuple[str, ...]
    totals: re.Pattern[str]
    words: frozenset[str] | None
    """Words one of which a sentence needs for any pattern to match."""


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("patterns", "scopes", "totals"))
    patterns = tuple(_params.compile_regex(p, "patterns") for p in _params.strings(params, "patterns"))
    for pattern in patterns:
        if "n" not in pattern.groupindex:
            raise ParamError("patterns", f"{pattern.pattern!r} needs a named group (?P<n>…) for the number")
    scopes = _params.strings(params, "scopes", ["flow"])
    for scope in scopes:
        if scope != "flow" and scope not in TEXT_ELEMENTS:
            raise ParamError("scopes", f'unknown scope {scope!r}; use "flow" or an element key')
    sieves = tuple(Sieve.of(p) for p in patterns)
    totals = _params.regex(params, "totals", "本事项|该事项|全程|全流程|总|整个|合计|共计|办结")
    return Params(sieves, scopes, totals, _literals.union(sieves))


_BARE_UNITS = frozenset({"", "日", "天"})


def _same(value: float, unit: str, limit: TimeLimit | None) -> bool:
    if limit is None or limit.days is None:
        return False
    # "二十日内作出决定" restates "20个工作日" (the licensing law counts 日 as working days)
    if abs(value - limit.days) < 1e-9 and (unit == limit.unit or unit in _BARE_UNITS or limit.unit in _BARE_UNITS):
        return True
    wd = limit.working_days
    return wd is not None and abs(value * _WORKING.get(unit, 1.0) - wd) < 0.5


def _longer(value: float, unit: str, *limits: TimeLimit | None) -> bool:
    wd = value * _WORKING.get(unit, 1.0)
    known = [lim.working_days for lim in limits if lim is not None and lim.working_days is not None]
    return bool(known) and all(wd > k + 0.5 for k in known)


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    promised, legal = guide.promised_limit, guide.legal_limit
    if promised is None and legal is None:
        return
    scope = text_scope(guide, params.scopes)
    if not scope.unsiftable and not any(sieve.may_match(scope.blob) for sieve in params.patterns):
        return  # each pattern lacks a word it needs (承诺 … 时限 … 日) in all the text: no sentence to split
    seen: set[str] = set()
    for sentence, piece in scope.raw_sentences(params.words):
        plain = ""
        for sieve in params.patterns:
            if piece.sift and not sieve.may_match(sentence):
                continue  # cannot match
            plain = plain or norm(sentence)
            match = sieve.regex.search(plain)
            if not match:
                continue
            value = parse_number(match.group("n"))
            unit = (match.groupdict().get("unit") or "").replace("个", "")
            if value is None or sentence in seen:
                continue
            if _same(value, unit, promised) or _same(value, unit, legal):
                break
            if not params.totals.search(plain) and not _longer(value, unit, promised, legal):
                break  # a smaller, unmarked figure may be one step's time, not the item's
            seen.add(sentence)
            shown = promised.raw.strip() if promised is not None else legal.raw.strip()  # type: ignore[union-attr]
            yield Hit(sentence, piece.loc, {"stated": match.group(0), "promised": shown})
            break
