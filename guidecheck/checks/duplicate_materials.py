"""duplicate_materials: the same material listed twice (same or near-same name, rapidfuzz ratio).

params:
    threshold   similarity 0–100 from which two names count as the same (default 92)
    min_length  names shorter than this (characters) must match exactly (default 4)
Hit: one per later duplicate; evidence = its name; params first (the earlier name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from guidecheck.checks import _params
from guidecheck.checks._text import compact
from guidecheck.checks.base import Hit
from guidecheck.model import Guide

_NUMBERING = re.compile(r"^[\d一二三四五六七八九十]+[.、)）]\s*|^[(（]\d+[)）]\s*")
_QUALIFIERS = re.compile(r"[(（][^()（）]*[)）]|(?:原件|复印件|扫描件|电子件|电子版)$|[。.;；,，]+$")
"""Parenthesised remarks and a trailing form word do not make another material: "X（复印件）" = "X"."""


@dataclass(slots=True, frozen=True)
class Params:
    threshold: float
    min_length: int


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("threshold", "min_length"))
    return Params(_params.number(params, "threshold", 92), int(_params.number(params, "min_length", 4)))


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    seen: list[tuple[str, str]] = []
    for material in guide.materials:
        key = _QUALIFIERS.sub("", _NUMBERING.sub("", compact(material.name))) or compact(material.name)
        if not key:
            continue
        for earlier_key, earlier_name in seen:
            same = key == earlier_key or (
                min(len(key), len(earlier_key)) >= params.min_length
                and fuzz.ratio(key, earlier_key) >= params.threshold
            )
            if same:
                yield Hit(
                    material.name.strip(), material.loc, {"first": earlier_name, "material": material.name.strip()}
                )
                break
        else:
            seen.append((key, material.name.strip()))
