"""online_url: the guide offers 网上办理 but gives no online address (网办地址 / a URL).

params:
    url_pattern   regex that counts as an address (default: http(s):// or www.)
    also_in       element keys that may carry the address besides online_url (default channels_text, place)
Hit: evidence = the 办理形式 text (or its label when absent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import field_text
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    url: re.Pattern[str]
    also_in: tuple[str, ...]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("url_pattern", "also_in"))
    return Params(
        _params.regex(params, "url_pattern", r"https?://|www\.|\.gov\.cn"),
        _params.elements(params, "also_in", ["channels_text", "place", "is_online", "online_depth"]),
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    if "online" not in guide.channels:
        return
    for key in ("online_url", *params.also_in):
        if params.url.search(field_text(guide.element(key))):
            return
    channels = guide.channels_text
    yield Hit(channels.text.strip() if channels else "办理形式", channels.loc if channels else None)
