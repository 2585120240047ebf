"""phone_format: 咨询/投诉 phone numbers without an area code, and 咨询 = 投诉 number.

params:
    elements       element keys holding numbers (default consult, complaint)
    allowed        regexes for numbers that need no area code (hotlines such as 12345, mobiles)
    same_number    true to flag a 咨询 number equal to the 投诉 number (default true)
    area_code      optional local area code ("020"): the message then shows the number as it should read
Hit: evidence = the number; params element, problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import label, norm
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide

_NUMBER = re.compile(
    # Every number starts with a digit or "(": that one test first makes the scan about 3x cheaper than
    # trying the three branches (each behind a look-behind) at every position.
    r"(?=[\d(])"
    r"(?:(?<![\d-])(?:\(?0\d{2,3}\)?[-\s]?)?\d{3,4}[-\s]?\d{4}(?:-\d{1,5})?(?!\d)|(?<!\d)1\d{10}(?!\d)|(?<!\d)123\d{2}(?!\d))"
)
_AREA = re.compile(r"^\(?0\d{2,3}\)?[-\s]?")


@dataclass(slots=True, frozen=True)
class Params:
    elements: tuple[str, ...]
    allowed: re.Pattern[str]
    same_number: bool
    area_code: str


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("elements", "allowed", "same_number", "area_code"))
    area_code = _params.string(params, "area_code", "")
    if area_code and not re.fullmatch(r"0\d{2,3}", area_code):
        raise ParamError("area_code", f'{area_code!r} is no area code; write e.g. "020" or "0755"')
    same = params.get("same_number", True)
    if not isinstance(same, bool):
        raise ParamError("same_number", "must be true or false")
    return Params(
        _params.elements(params, "elements", ["consult", "complaint"]),
        _params.terms_regex(params, "allowed", ["re:^1[3-9]\\d{9}$", "re:^123\\d\\d$", "re:^[48]00-?\\d{3}-?\\d{4}$"]),
        same,
        area_code,
    )


def numbers(text: str) -> list[str]:
    return [m.group(0).strip() for m in _NUMBER.finditer(norm(text))]


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    found: dict[str, list[str]] = {}
    for key in params.elements:
        field = guide.element(key)
        if field is None:
            continue
        found[key] = numbers(field.text)
        for number in found[key]:
            if params.allowed.search(number) or _AREA.match(number):
                continue
            problem = ("缺少区号", "has no area code")
            if params.area_code:
                fixed = params.area_code + "-" + "".join(number.split())
                problem = (f"缺少区号（应写作 {fixed}）", f"has no area code (write {fixed})")
            yield Hit(number, field.loc, {"element": label(key), "problem": problem})
    if params.same_number and len(params.elements) >= 2:
        first, second = (found.get(k, []) for k in params.elements[:2])
        digits = {re.sub(r"\D", "", n) for n in second}
        for number in first:
            if re.sub(r"\D", "", number) in digits:
                field = guide.element(params.elements[1])
                yield Hit(
                    number,
                    field.loc if field else None,
                    {
                        "element": label(params.elements[1]),
                        "problem": ("咨询电话与投诉电话相同", "is both the enquiry and the complaint number"),
                    },
                )
