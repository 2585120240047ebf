"""flowchart_item: a flowchart titled for another item than the guide's 事项名称 (one chart reused for
several items, or another variant's chart: "…（变更）流程图" on the "…（新办）" guide).

The item part of a title is what is left after removing the bodies (…局, …委员会), the channel and
"办理流程图" words and a file extension. Generic leftovers (行政许可, 审批 …) name no item and pass.
Two names match when one contains the other or their base names (without the parenthesised variant)
are similar (rapidfuzz ratio); differing parenthesised variants never match.

params:
    threshold   similarity 0–100 of the base names from which they count as the same item (default 70)
    generic     regex (fullmatch) for leftovers that name no item
Hit: one per chart; evidence = the chart title; params chart_item, item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from guidecheck.checks import _params
from guidecheck.checks._text import compact
from guidecheck.checks.base import Hit
from guidecheck.checks.flowchart_owner import BODY
from guidecheck.model import Guide

_CHANNEL_WORDS = re.compile(r"(?:网上|网办|在线|线上|窗口|线下|现场|办理|申请|审批|办事|业务)*$")
"""Trailing channel and action words in any order: one flat alternation (nested optional groups under +
made every position of every title costly to try)."""
_FIGURE = re.compile(r"^(?:附?图\d*[:：.、]?)")
_EXTENSION = re.compile(r"\.(?:png|jpe?g|gif|bmp|pdf|svg|webp)$", re.IGNORECASE)
_VARIANT = re.compile(r"[(（]([^()（）]*)[)）]")


@dataclass(slots=True, frozen=True)
class Params:
    threshold: float
    generic: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("threshold", "generic"))
    return Params(
        _params.number(params, "threshold", 70),
        _params.regex(params, "generic", r"(?:行政)?(?:许可|审批|确认|给付|服务|公共服务|政务服务|事项|办事|业务)*"),
    )


def item_part(title: str) -> str:
    """The item a flowchart title names: bodies, channel words, 流程图 and extensions removed."""
    text = _EXTENSION.sub("", compact(title))
    text = _FIGURE.sub("", text.strip("《》“”\"'"))
    text = BODY.sub("", text)
    cut = text.rfind("流程")  # "…网上办理流程图（申请人到窗口提出申请）": the item stands before 流程
    if cut >= 0:
        text = _CHANNEL_WORDS.sub("", text[:cut])
    return text.strip("《》“”\"'：:-—_ ")


def _variants(name: str) -> tuple[str, frozenset[str]]:
    return _VARIANT.sub("", name), frozenset(_VARIANT.findall(name))


def same_item(chart_item: str, item: str, threshold: float) -> bool:
    (chart_base, chart_vars), (item_base, item_vars) = _variants(chart_item), _variants(item)
    if chart_vars and item_vars and chart_vars != item_vars:
        return False
    if chart_base in item_base or item_base in chart_base:
        return True
    return fuzz.ratio(chart_base, item_base) >= threshold


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    if guide.item_name is None or not guide.item_name.text.strip():
        return
    item = compact(guide.item_name.text)
    for chart in guide.flowcharts:
        title = chart.title.strip() or chart.file_name.strip()
        chart_item = item_part(title) if title else ""
        if len(chart_item) < 4 or params.generic.fullmatch(chart_item):
            continue
        if not same_item(chart_item, item, params.threshold):
            yield Hit(title, chart.loc, {"chart_item": chart_item, "item": guide.item_name.text.strip()})
