"""required_elements: each listed element is present with some text (the set may depend on 事项类型).

params:
    elements   list of element keys, or the pseudo-elements "materials" (a list or a section),
               "flow" (a section, steps or a flowchart) and "faq" (at least one 常见问题 entry)
    by_type    optional table: 事项类型 word → its own list (first word found in 事项类型 wins), e.g.
               {"公共服务" = [...]}; `elements` is the default
Hit: one per missing element; evidence = the element's label (stable fingerprint), loc = None.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _facts, _params
from guidecheck.checks._text import TEXT_ELEMENTS, label
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide
from guidecheck.normalize import item_type_is

PARSED: dict[str, str] = {
    "legal_limit_text": "legal_limit",
    "promised_limit_text": "promised_limit",
    "visits_text": "visits",
    "channels_text": "channels",
}
"""Text elements whose parsed twin on `Guide` also shows the element is there."""

PSEUDO: dict[str, tuple[str, str]] = {
    "materials": ("申请材料", "application materials"),
    "flow": ("办理流程", "process flow"),
    "faq": ("常见问题", "FAQ"),
}


@dataclass(slots=True, frozen=True)
class Params:
    default: tuple[str, ...]
    by_type: tuple[tuple[str, tuple[str, ...]], ...]


def _keys(values: Any, key: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, list):
        raise ParamError(key, "must be a list of element keys")
    for v in values:
        if v not in TEXT_ELEMENTS and v not in PSEUDO:
            raise ParamError(
                key, f"unknown element {v!r}; use one of: {', '.join(sorted(TEXT_ELEMENTS | PSEUDO.keys()))}"
            )
    return tuple(values)


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("elements", "by_type"))
    by_type = params.get("by_type", {})
    if not isinstance(by_type, dict):
        raise ParamError("by_type", 'must be a table, e.g. by_type = { "公共服务" = ["item_name"] }')
    return Params(
        _keys(params.get("elements"), "elements"),
        tuple((word, _keys(v, f"by_type.{word}")) for word, v in by_type.items()),
    )


def present(guide: Guide, key: str) -> bool:
    if key == "materials":
        return bool(guide.materials) or bool(guide.materials_text and guide.materials_text.text.strip())
    if key == "flow":
        return _facts.has_flow(guide)
    if key == "faq":
        return bool(guide.faqs)
    field = guide.element(key)
    if field is not None and field.text.strip():
        return True
    parsed = PARSED.get(key)  # a value an extractor parsed without keeping its text still counts
    return parsed is not None and getattr(guide, parsed) not in (None, frozenset())


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    item_type = _facts.item_type(guide)
    wanted = next((keys for word, keys in params.by_type if item_type_is(item_type, word)), params.default)
    for key in wanted:
        if not present(guide, key):
            zh, en = PSEUDO.get(key) or label(key)
            yield Hit(zh, None, {"element": (zh, en)})
