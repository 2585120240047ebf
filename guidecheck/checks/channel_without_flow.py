"""channel_without_flow: the guide describes flows per channel, but a channel of 办理形式 has no flow,
or a channel's flow is described that 办理形式 does not offer.

Only runs when the guide separates its flows by channel (a 网上办理流程 or 窗口办理流程 section, or steps
or flowcharts marked with a channel); one common flow text covers every channel.

params:
    window_visit   regex: a window flow only counts as describing the window channel when it sends the
                   applicant to a window (a back-office step list does not), for the "not offered" branch
Hit: evidence = the channel's label; params channel, problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import flow_pieces, norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide

LABELS = {"online": ("网上办理", "online"), "window": ("窗口办理", "window")}


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    _params.known_keys(params, ("window_visit",))
    return _params.regex(
        params,
        "window_visit",
        r"(?:到|至|前往)[^，。；]{0,12}?(?:窗口|大厅|服务中心)|窗口(?:提交|递交|申请|办理)|现场(?:提交|申请)",
    )


def check(guide: Guide, window_visit: re.Pattern[str]) -> Iterator[Hit]:
    described = {c for c in ("online", "window") if any(True for _ in flow_pieces(guide, c))}
    applicant_at_window = any(window_visit.search(norm(t)) for t, _ in flow_pieces(guide, "window"))
    if not described or not guide.channels:
        return
    for channel in ("online", "window"):
        zh, en = LABELS[channel]
        loc = guide.channels_text.loc if guide.channels_text else None
        if channel in guide.channels and channel not in described:
            yield Hit(f"{zh}流程", loc, {"channel": (zh, en), "problem": ("没有对应的办理流程", "has no flow")})
        elif channel in described and channel not in guide.channels and (channel == "online" or applicant_at_window):
            yield Hit(
                f"{zh}流程",
                loc,
                {"channel": (zh, en), "problem": ("有流程但办理形式未提供该渠道", "has a flow but is not offered")},
            )
