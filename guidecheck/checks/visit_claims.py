"""visit_claims: a claim of 最多跑一次 / 零跑动 / 不见面 somewhere in the guide that 到办事现场次数 contradicts.

params:
    claims   table: regex → the highest number of visits the claim allows,
             e.g. { "最多跑一次" = 1, "零跑动|零跑腿|不见面|全程网办" = 0 }
Hit: evidence = the sentence with the claim; params claim, visits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _literals, _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import all_scope, may_mention, norm
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide

DEFAULT_CLAIMS = {"最多跑一次": 1, "零跑动|零跑腿|零上门|不见面审批": 0}
_SKIP = frozenset({"visits_text"})


@dataclass(slots=True, frozen=True)
class Params:
    claims: tuple[tuple[Sieve, int], ...]
    words: frozenset[str] | None
    """Words one of which a sentence needs for any claim to match."""


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("claims",))
    claims = params.get("claims", DEFAULT_CLAIMS)
    if not isinstance(claims, dict) or not all(isinstance(v, int) and not isinstance(v, bool) for v in claims.values()):
        raise ParamError("claims", 'must be a table regex → visits, e.g. { "最多跑一次" = 1 }')
    sieves = tuple((Sieve.of(_params.compile_regex(rx, f"claims.{rx}")), n) for rx, n in claims.items())
    return Params(sieves, _literals.union(s for s, _ in sieves))


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    visits = guide.visits
    if visits is None:
        return
    claims = [(sieve, allowed) for sieve, allowed in params.claims if visits > allowed]  # the others never fire
    if not claims or not may_mention(guide, params.words):
        return  # (the guide-wide test spares building this rule's own scope, all text but visits_text)
    for sentence, piece in all_scope(guide, _SKIP).raw_sentences(params.words):
        plain = ""
        for sieve, _allowed in claims:
            if piece.sift and not sieve.may_match(sentence):
                continue
            plain = plain or norm(sentence)
            match = sieve.regex.search(plain)
            if match and not re.search(r"不(属于|是|能|可)|非" + match.group(0), plain):
                yield Hit(sentence, piece.loc, {"claim": match.group(0), "visits": str(visits)})
