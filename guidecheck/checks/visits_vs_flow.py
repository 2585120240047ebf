"""visits_vs_flow: 到办事现场次数 = 0 (零跑动) but the flow makes the applicant come in.

Reads the online flow and flowcharts, and the common flow text when the guide offers no window channel
(a window flow naturally involves visits; it is the alternative to the zero-visit route).

params:
    phrases   regexes (sentence level) that need a visit (到窗口, 现场提交, 窗口领取, 提交原件 …)
    unless    optional regex: a sentence matching it is fine ("无需到现场", "可选择")
Hit: one per sentence; evidence = the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import flow_pieces, matched_sentences, scope_of
from guidecheck.checks.base import Hit
from guidecheck.model import Guide, Loc


@dataclass(slots=True, frozen=True)
class Params:
    phrases: Sieve
    unless: re.Pattern[str] | None


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("phrases", "unless"))
    phrases = _params.terms_regex({"phrases": ["re:" + p for p in _params.strings(params, "phrases")]}, "phrases")
    return Params(Sieve.of(phrases), _params.optional_regex(params, "unless"))


def _texts(guide: Guide) -> Iterator[tuple[str, Loc | None]]:
    yield from flow_pieces(guide, "online")
    if "window" not in guide.channels and guide.flow_text is not None:
        yield guide.flow_text.text, guide.flow_text.loc


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    if guide.visits != 0:
        return
    texts = scope_of(guide, ("visits_vs_flow", "window" in guide.channels), lambda: _texts(guide))
    visits = guide.visits_text.text.strip() if guide.visits_text else "0"
    for sentence, piece, match in matched_sentences(texts, params.phrases, params.unless):
        yield Hit(sentence, piece.loc, {"phrase": match.group(0), "visits": visits})
