"""Facts about a guide that several check kinds and rule preconditions ask for."""

from __future__ import annotations

import re

from guidecheck.checks._text import field_text
from guidecheck.model import Guide

_FULL_ONLINE = re.compile(r"全程网办|全流程网[上办]|全程网上办理|(?<![IVX])IV级")
"""Matched on NFKC text, where "Ⅳ" reads "IV" (and "Ⅲ" reads "III", which must not count)."""


def item_type(guide: Guide) -> str:
    return field_text(guide.item_type)


def claims_full_online(guide: Guide) -> bool:
    """The guide claims 全程网办 (网办深度 Ⅳ级) in its channel or depth fields."""
    text = " ".join(field_text(f) for f in (guide.online_depth, guide.channels_text, guide.is_online)).upper()
    return bool(_FULL_ONLINE.search(text))


def has_flow(guide: Guide) -> bool:
    sections = (guide.flow_text, guide.online_flow_text, guide.window_flow_text)
    return bool(guide.steps or guide.flowcharts or any(s is not None and s.text.strip() for s in sections))
