"""pattern: an element must (or must not) match a regex, optionally only when it matches another one.

params:
    require   list of tables {element, regex, when?, hint_zh?, hint_en?}: the element, when present (and
              matching `when`), must match `regex` somewhere
    forbid    list of tables {element, regex, when?, hint_zh?, hint_en?}: the element must not match
              `regex`; a regex that should cover the whole value uses ^…$
Hit: evidence = the element's text; params element, hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import field_text, label
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Item:
    element: str
    regex: re.Pattern[str]
    when: re.Pattern[str] | None
    hint: tuple[str, str]


@dataclass(slots=True, frozen=True)
class Params:
    require: tuple[Item, ...]
    forbid: tuple[Item, ...]


def _items(params: Mapping[str, Any], key: str) -> tuple[Item, ...]:
    raw = params.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        raise ParamError(key, f'must be a list of tables: {key} = [{{ element = "place", regex = "号" }}]')
    items = []
    for n, item in enumerate(raw):
        where = f"{key}[{n}]"
        _params.known_keys(
            {f"{where}.{k}": v for k, v in item.items()},
            [f"{where}.{k}" for k in ("element", "regex", "when", "hint_zh", "hint_en")],
        )
        element = _params.element(item.get("element"), f"{where}.element")
        regex = _params.compile_regex(_params.string(item, "regex"), f"{where}.regex")
        when = _params.compile_regex(item["when"], f"{where}.when") if "when" in item else None
        hint = (str(item.get("hint_zh", "")), str(item.get("hint_en", item.get("hint_zh", ""))))
        items.append(Item(element, regex, when, hint))
    return tuple(items)


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("require", "forbid"))
    out = Params(_items(params, "require"), _items(params, "forbid"))
    if not out.require and not out.forbid:
        raise ParamError("require", "give at least one 'require' or 'forbid' item")
    return out


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    for items, must_match in ((params.require, True), (params.forbid, False)):
        for item in items:
            field = guide.element(item.element)
            if field is None or not field.text.strip():
                continue
            text = field_text(field)
            if item.when is not None and not item.when.search(text):
                continue
            if bool(item.regex.search(text)) != must_match:
                yield Hit(field.text.strip(), field.loc, {"element": label(item.element), "hint": item.hint})
