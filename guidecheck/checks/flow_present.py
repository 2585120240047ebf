"""flow_present: the guide describes no process (no flow section, steps or flowchart), or only a placeholder.

params:
    placeholder   regex for a flow text that is no description (fullmatch on the normalised text)
Hit: evidence = "办理流程" when missing, else the placeholder text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _facts, _params
from guidecheck.checks._text import norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    _params.known_keys(params, ("placeholder",))
    return _params.regex(
        params, "placeholder", r"(详见|见|参见).{0,30}|按(有关|相关)?规定(程序)?(办理|执行)?|无|暂无|略|/|-|—"
    )


def check(guide: Guide, placeholder: re.Pattern[str]) -> Iterator[Hit]:
    if not _facts.has_flow(guide):
        yield Hit("办理流程", None, {"problem": ("缺少办理流程", "no process description")})
        return
    if guide.steps or guide.flowcharts:
        return
    sections = [s for s in (guide.flow_text, guide.online_flow_text, guide.window_flow_text) if s is not None]
    texts = [norm(s.text).strip(" 。.") for s in sections if s.text.strip()]
    if texts and all(placeholder.fullmatch(t) for t in texts):
        first = next(s for s in sections if s.text.strip())
        yield Hit(first.text.strip(), first.loc, {"problem": ("办理流程只有占位文字", "the flow is a placeholder")})
