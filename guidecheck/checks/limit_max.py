"""limit_max: a time limit above a ceiling (行政许可 法定时限 > 20 工作日, L1 art.42), unless the guide
names a basis for the longer limit.

params:
    limit     "legal" or "promised" (default legal)
    max       ceiling in working days (default 20)
    unless    regex: the limit's text or the legal basis names another rule (default "另有规定|延长|规定的期限")
Hit: evidence = the limit's text; params limit, max.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._limits import bounds
from guidecheck.checks._text import field_text
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    limit: str
    max: float
    unless: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("limit", "max", "unless"))
    limit = _params.string(params, "limit", "legal")
    if limit not in ("legal", "promised"):
        raise ParamError("limit", "use legal or promised")
    return Params(limit, _params.number(params, "max", 20), _params.regex(params, "unless", "另有规定|延长"))


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    limit = guide.legal_limit if params.limit == "legal" else guide.promised_limit
    text_field = guide.legal_limit_text if params.limit == "legal" else guide.promised_limit_text
    reading = bounds(limit, guide)  # a licence's 日 are working days; elsewhere the fewest reading decides
    if limit is None or reading is None:
        return
    if reading[0] <= params.max + 1e-9:
        return
    if params.unless.search(f"{limit.raw} {field_text(text_field)}"):
        return
    yield Hit(limit.raw.strip(), limit.loc, {"limit": limit.raw.strip(), "max": f"{params.max:g}"})
