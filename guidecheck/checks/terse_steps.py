"""terse_steps: steps that are bare words (受理, 审查, 决定, 送达) with no content, actor or time.

Also a flow text that is nothing but a chain of such words ("受理→审查→决定→送达").

params:
    words      regex of bare stage words (fullmatch on the step name)
    min_steps  how many terse steps make a finding (default 2)
Hit: one per guide; evidence = the terse step names joined with "、".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide, Step

DEFAULT_WORDS = "申请|受理|审查|审核|核查|决定|审批|批准|送达|办结|发证|领证|制证|颁证|告知|反馈|归档|踏勘|勘验|公示"


@dataclass(slots=True, frozen=True)
class Params:
    word: re.Pattern[str]
    chain: re.Pattern[str]
    min_steps: int


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("words", "min_steps"))
    words = _params.string(params, "words", DEFAULT_WORDS)
    word = _params.compile_regex(rf"(?:\d+[.、]?\s*)?(?:{words})", "words")
    chain = _params.compile_regex(rf"(?:{words})(?:\s*(?:→|->|—>|－|—+|-+|、|，|,|>)\s*(?:{words}))+", "words")
    return Params(word, chain, int(_params.number(params, "min_steps", 2)))


def terse(step: Step, word: re.Pattern[str]) -> bool:
    """A step that is a bare stage word with nothing else said about it."""
    return (
        bool(word.fullmatch(norm(step.name)))
        and not step.content.strip()
        and not step.actor.strip()
        and step.time_limit is None
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    bare = [s for s in guide.steps if terse(s, params.word)]
    if len(bare) >= params.min_steps:
        yield Hit("、".join(norm(s.name) for s in bare), bare[0].loc, {"count": str(len(bare))})
        return
    if guide.steps:
        return
    texts = [(guide.flow_text, None), (guide.online_flow_text, None), (guide.window_flow_text, None)]
    texts += [(None, c) for c in guide.flowcharts]
    for section, chart in texts:
        text = norm(section.text if section else chart.text if chart else "").strip(" 。.")
        if text and params.chain.fullmatch(text):
            loc = section.loc if section else chart.loc if chart else None
            words = re.findall(r"[\u4e00-\u9fff]+", text)
            yield Hit("、".join(words), loc, {"count": str(len(words))})
            return
