"""Reading a rule's `params` table: typed getters that raise ParamError naming the key and the fix."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from guidecheck.checks._text import TEXT_ELEMENTS
from guidecheck.checks.base import ParamError, UnknownParam


def known_keys(params: Mapping[str, Any], allowed: Sequence[str]) -> None:
    for key in params:
        if key not in allowed:
            raise UnknownParam(key, f"unknown parameter; this check kind takes: {', '.join(allowed) or 'none'}")


def string(params: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = params.get(key, default)
    if not isinstance(value, str):
        raise ParamError(key, "must be a string" if key in params else "is required (a string)")
    return value


def number(params: Mapping[str, Any], key: str, default: float | None = None) -> float:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(key, "must be a number" if key in params else "is required (a number)")
    return float(value)


def strings(params: Mapping[str, Any], key: str, default: Sequence[str] | None = None) -> tuple[str, ...]:
    value = params.get(key, default)
    if value is None:
        raise ParamError(key, "is required (a list of strings)")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ParamError(key, 'must be a list of strings, e.g. ["a", "b"]')
    return tuple(value)


def compile_regex(pattern: str, key: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise ParamError(key, f"bad regular expression {pattern!r}: {err}") from None


def regex(params: Mapping[str, Any], key: str, default: str | None = None) -> re.Pattern[str]:
    return compile_regex(string(params, key, default), key)


def optional_regex(params: Mapping[str, Any], key: str) -> re.Pattern[str] | None:
    return regex(params, key) if key in params else None


def terms_regex(params: Mapping[str, Any], key: str, default: Sequence[str] | None = None) -> re.Pattern[str]:
    """A list of literal terms (or `re:`-prefixed regexes) as one compiled alternation."""
    parts = []
    for term in strings(params, key, default):
        parts.append(term[3:] if term.startswith("re:") else re.escape(term))
    if not parts:
        return re.compile(r"(?!)")
    return compile_regex("|".join(f"(?:{p})" for p in parts), key)


def element(value: Any, key: str) -> str:
    if not isinstance(value, str) or value not in TEXT_ELEMENTS:
        raise ParamError(key, f"unknown element {value!r}; use one of: {', '.join(sorted(TEXT_ELEMENTS))}")
    return value


def elements(params: Mapping[str, Any], key: str, default: Sequence[str] | None = None) -> tuple[str, ...]:
    return tuple(element(v, key) for v in strings(params, key, default))
