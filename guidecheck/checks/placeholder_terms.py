"""placeholder_terms: an element holds a placeholder instead of content ("详见…", "按规定", "无" …).

params:
    elements   element keys to look at
    patterns   regexes matched against the WHOLE normalised value (fullmatch), e.g. "详见.{0,20}"
Hit: one per element; evidence = the element's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import field_text, label
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    elements: tuple[str, ...]
    pattern: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("elements", "patterns"))
    return Params(
        _params.elements(params, "elements"),
        _params.terms_regex({"patterns": ["re:" + p for p in _params.strings(params, "patterns")]}, "patterns"),
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    for key in params.elements:
        field = guide.element(key)
        if field is None:
            continue
        text = field_text(field).strip(" 。.;；:：")
        if params.pattern.fullmatch(text):
            yield Hit(field.text.strip(), field.loc, {"element": label(key), "value": field.text.strip()})
