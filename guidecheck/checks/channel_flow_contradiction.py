"""channel_flow_contradiction: the guide offers a channel whose own flow sends the applicant elsewhere —
an online flow or flowchart that says to file at the window or hall (到窗口提出申请, 现场提交, 携带…到大厅).

params:
    channel    the channel whose flow is read (default "online"; the rule runs only if it is offered)
    phrases    regexes (sentence level) that send the applicant to the window
    unless     optional regex: a sentence matching it is fine (e.g. "可选择|也可")
Hit: one per sentence; evidence = the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import flow_scope, matched_sentences
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    channel: str
    phrases: Sieve
    unless: re.Pattern[str] | None


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("channel", "phrases", "unless"))
    channel = _params.string(params, "channel", "online")
    if channel not in ("online", "window"):
        raise ParamError("channel", "use online or window")
    phrases = _params.terms_regex({"phrases": ["re:" + p for p in _params.strings(params, "phrases")]}, "phrases")
    return Params(channel, Sieve.of(phrases), _params.optional_regex(params, "unless"))


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    if params.channel not in guide.channels:
        return
    for sentence, piece, match in matched_sentences(flow_scope(guide, params.channel), params.phrases, params.unless):
        yield Hit(sentence, piece.loc, {"phrase": match.group(0)})
