"""case_type_vs_limit: 即办件 with a promised time of N days, or 承诺件 promised as 即办.

params:
    immediate_type   regex for 即办件 in 办件类型 (default "即办")
    promised_type    regex for 承诺件 (default "承诺")
Hit: evidence = 办件类型 text; params case_type, promised.
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
    immediate: re.Pattern[str]
    promised: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("immediate_type", "promised_type"))
    return Params(_params.regex(params, "immediate_type", "即办"), _params.regex(params, "promised_type", "承诺"))


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    case_type, limit = guide.case_type, guide.promised_limit
    if case_type is None or limit is None:
        return
    text = field_text(case_type)
    immediate_type = bool(params.immediate.search(text))
    promised_type = bool(params.promised.search(text)) and not immediate_type
    wd = limit.working_days
    if (immediate_type and not limit.immediate and wd is not None and wd > 0) or (
        promised_type and (limit.immediate or wd == 0)
    ):
        yield Hit(
            case_type.text.strip(), case_type.loc, {"case_type": case_type.text.strip(), "promised": limit.raw.strip()}
        )
