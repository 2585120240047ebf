"""pattern: an element must (or must not) match a regex, optionally only when it matches another one.

params:
    require   list of tables {element, regex, when?, when_element?, hint_zh?, hint_en?}: the element, when
              present (and matching `when`), must match `regex` somewhere
    forbid    list of tables {element, regex, when?, when_element?, hint_zh?, hint_en?}: the element must
              not match `regex`; a regex that should cover the whole value uses ^…$
    `when` is matched against `when_element` when given (结果名称 decides what 结果类型 must say); the item
    is then skipped when that element is absent.
Hit: evidence = the element's text; params element, hint, when_text (the text `when` matched, or "").
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
    when_element: str | None
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
            [f"{where}.{k}" for k in ("element", "regex", "when", "when_element", "hint_zh", "hint_en")],
        )
        element = _params.element(item.get("element"), f"{where}.element")
        regex = _params.compile_regex(_params.string(item, "regex"), f"{where}.regex")
        when = _params.compile_regex(item["when"], f"{where}.when") if "when" in item else None
        when_element = None
        if "when_element" in item:
            when_element = _params.element(item["when_element"], f"{where}.when_element")
        if when_element is not None and when is None:
            raise ParamError(f"{where}.when_element", "goes with 'when' (the regex the element must match)")
        hint = (str(item.get("hint_zh", "")), str(item.get("hint_en", item.get("hint_zh", ""))))
        items.append(Item(element, regex, when, when_element, hint))
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
            when_text, shown = text, ""
            if item.when_element is not None:
                other = guide.element(item.when_element)
                when_text = field_text(other) if other is not None else ""
                shown = other.text.strip() if other is not None else ""
            if item.when is not None and not item.when.search(when_text):
                continue
            if bool(item.regex.search(text)) != must_match:
                params = {"element": label(item.element), "hint": item.hint, "when_text": shown}
                yield Hit(field.text.strip(), field.loc, params)
