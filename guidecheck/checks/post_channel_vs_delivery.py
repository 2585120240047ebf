"""post_channel_vs_delivery: 快递/邮寄办理 is offered but 送达方式 does not include post.

params:
    post_words   regex that counts as delivery by post in 送达方式
Hit: evidence = the 送达方式 text. Silent when 送达方式 is missing (FLW04 reports that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import field_text
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    _params.known_keys(params, ("post_words",))
    return _params.regex(params, "post_words", "邮寄|快递|EMS|邮政|寄送|物流")


def check(guide: Guide, post_words: re.Pattern[str]) -> Iterator[Hit]:
    delivery = guide.delivery
    if "post" not in guide.channels or delivery is None or not delivery.text.strip():
        return
    if not post_words.search(field_text(delivery)):
        yield Hit(delivery.text.strip(), delivery.loc, {})
