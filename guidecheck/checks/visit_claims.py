"""visit_claims: a claim of 最多跑一次 / 零跑动 / 不见面 somewhere in the guide that 到办事现场次数 contradicts.

params:
    claims   table: regex → the highest number of visits the claim allows,
             e.g. { "最多跑一次" = 1, "零跑动|零跑腿|不见面|全程网办" = 0 }
Hit: evidence = the sentence with the claim; params claim, visits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import all_text, norm, sentences
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide

DEFAULT_CLAIMS = {"最多跑一次": 1, "零跑动|零跑腿|零上门|不见面审批": 0}


def prepare(params: Mapping[str, Any]) -> tuple[tuple[re.Pattern[str], int], ...]:
    _params.known_keys(params, ("claims",))
    claims = params.get("claims", DEFAULT_CLAIMS)
    if not isinstance(claims, dict) or not all(isinstance(v, int) and not isinstance(v, bool) for v in claims.values()):
        raise ParamError("claims", 'must be a table regex → visits, e.g. { "最多跑一次" = 1 }')
    return tuple((_params.compile_regex(rx, f"claims.{rx}"), n) for rx, n in claims.items())


def check(guide: Guide, claims: tuple[tuple[re.Pattern[str], int], ...]) -> Iterator[Hit]:
    if guide.visits is None:
        return
    for text, loc in all_text(guide, skip=frozenset({"visits_text"})):
        for sentence in sentences(text):
            plain = norm(sentence)
            for pattern, allowed in claims:
                match = pattern.search(plain)
                if match and guide.visits > allowed and not re.search(r"不(属于|是|能|可)|非" + match.group(0), plain):
                    yield Hit(sentence, loc, {"claim": match.group(0), "visits": str(guide.visits)})
