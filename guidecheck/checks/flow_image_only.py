"""flow_image_only: the flow is given only as flowchart images: no step, and no flow text that says more
than where the chart is (gdzwfw's 办理流程 PNGs, portals.md §5).

A flow text only points at the chart when, its 《…》 titles left out, it is at most `pointer_chars`
characters long and mentions 图 ("本事项的办理流程见图1《…流程图》", "详见下图"), when it is a chart's
own title or file name shown as text, or when it is a placeholder.

params:
    pointer_chars  longest text (titles left out) that can be a mere pointer (default 20)
    placeholder    regex (fullmatch, normal form) of texts that say nothing (default: 无, 暂无, 略, /, -)
Hit: evidence = the first chart's title (or file name); params charts (how many).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide

_TITLE = re.compile(r"《[^》]*》|“[^”]*”")


@dataclass(slots=True, frozen=True)
class Params:
    pointer_chars: int
    placeholder: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("pointer_chars", "placeholder"))
    return Params(
        int(_params.number(params, "pointer_chars", 20)),
        _params.regex(params, "placeholder", r"无|暂无|略|/|-|—"),
    )


_FILE_SUFFIX = re.compile(r"\.(?:png|jpe?g|gif|bmp|svg|pdf|vsdx?|docx?)$", re.IGNORECASE)


def _says_more(line: str, params: Params, charts: set[str]) -> bool:
    text = norm(line).strip(" 。.：:")
    if not text or params.placeholder.fullmatch(text) or _FILE_SUFFIX.sub("", text) in charts:
        return False  # nothing, or a chart's own title or file name shown as text
    bare = _TITLE.sub("", text)
    return not ("图" in text and len(bare) <= params.pointer_chars)


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    if not guide.flowcharts or guide.steps:
        return
    charts = {
        _FILE_SUFFIX.sub("", norm(name).strip())
        for chart in guide.flowcharts
        for name in (chart.title, chart.text, chart.file_name)
        if name
    }
    for section in (guide.flow_text, guide.online_flow_text, guide.window_flow_text):
        if section is not None and any(_says_more(line, params, charts) for line in section.text.splitlines()):
            return  # the flow is described in words too
    chart = guide.flowcharts[0]
    yield Hit((chart.title or chart.file_name or "流程图").strip(), chart.loc, {"charts": str(len(guide.flowcharts))})
