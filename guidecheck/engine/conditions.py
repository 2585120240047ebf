"""Rule preconditions (`[rule.when]`): the guide must be of a kind the rule applies to.

Keys (all optional, all must hold):
    item_type      list of words; 事项类型 contains one of them (unknown type → the rule does not run)
    channels_any   list of channels (window, online, post, self_service); the guide offers one of them
    channels_none  list of channels; the guide offers none of them
    visits         integer; 到办事现场次数 equals it
    visits_min     integer; 到办事现场次数 is at least it
    full_online    true/false; the guide claims 全程网办 (or explicitly does not)
    has_materials  true/false; the material list was parsed into rows
    has_elements   list of element keys that must all be present with text (e.g. ["result_name"])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from guidecheck.checks import _facts
from guidecheck.checks._text import TEXT_ELEMENTS
from guidecheck.checks.base import ParamError
from guidecheck.model import Guide
from guidecheck.normalize import item_type_is

CHANNELS = frozenset({"window", "online", "post", "self_service"})

Condition = Callable[[Guide], bool]


def _strings(key: str, value: Any, allowed: frozenset[str] | None = None) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParamError(key, 'must be a list of strings, e.g. ["online"]')
    if allowed is not None:
        for v in value:
            if v not in allowed:
                raise ParamError(key, f"unknown channel {v!r}; use {', '.join(sorted(allowed))}")
    return tuple(value)


def _integer(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(key, "must be an integer")
    return value


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamError(key, "must be true or false")
    return value


def _build_one(key: str, value: Any) -> Condition:
    if key == "item_type":
        words = _strings(key, value)
        return lambda g: any(item_type_is(_facts.item_type(g), w) for w in words)
    if key == "channels_any":
        channels = _strings(key, value, CHANNELS)
        return lambda g: any(c in g.channels for c in channels)
    if key == "channels_none":
        channels = _strings(key, value, CHANNELS)
        return lambda g: not any(c in g.channels for c in channels)
    if key == "visits":
        n = _integer(key, value)
        return lambda g: g.visits == n
    if key == "visits_min":
        n = _integer(key, value)
        return lambda g: g.visits is not None and g.visits >= n
    if key == "full_online":
        flag = _boolean(key, value)
        return lambda g: _facts.claims_full_online(g) == flag
    if key == "has_materials":
        flag = _boolean(key, value)
        return lambda g: bool(g.materials) == flag
    if key == "has_elements":
        keys = _strings(key, value)
        for k in keys:
            if k not in TEXT_ELEMENTS:
                raise ParamError(key, f"unknown element {k!r}; use one of: {', '.join(sorted(TEXT_ELEMENTS))}")
        return lambda g: all((f := g.element(k)) is not None and bool(f.text.strip()) for k in keys)
    raise ParamError(
        key,
        "unknown condition; use item_type, channels_any, channels_none, visits, visits_min, "
        "full_online, has_materials or has_elements",
    )


def always(guide: Guide) -> bool:
    """The condition of a rule without `when`: the engine skips calling it."""
    return True


def build_condition(when: Mapping[str, Any]) -> Condition:
    """Compile a `when` table into one predicate (raises ParamError for a bad key or value)."""
    parts = tuple(_build_one(key, value) for key, value in when.items())
    if not parts:
        return always
    if len(parts) == 1:
        return parts[0]

    def every(guide: Guide) -> bool:
        for part in parts:  # noqa: SIM110 - no generator per guide and rule
            if not part(guide):
                return False
        return True

    return every
