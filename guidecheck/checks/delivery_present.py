"""delivery_present: no delivery method for the result (送达方式) in the information or in the flow.

params:
    flow_words   regex that counts as a delivery method when the flow says it
Hit: evidence = "送达方式".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import flow_pieces, norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    _params.known_keys(params, ("flow_words",))
    return _params.regex(
        params, "flow_words", r"送达|邮寄|快递|寄送|寄递|EMS|邮政|窗口领取|现场领取|自取|电子证照|自助.{0,4}取"
    )


def check(guide: Guide, words: re.Pattern[str]) -> Iterator[Hit]:
    if guide.delivery is not None and guide.delivery.text.strip():
        return
    if any(words.search(norm(text)) for text, _ in flow_pieces(guide)):
        return
    yield Hit("送达方式", None, {})
