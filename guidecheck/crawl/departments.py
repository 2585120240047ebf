"""Find a department by the name an inspector types, however much of the official name they give.

"规划和自然资源局", "市规划和自然资源局" and "临江市规划和自然资源局" name the same department. Each name is
compared in a few normalised variants (NFKC, spaces removed, the city prefix "临江市"/"某某市" and a
bare leading "市"/"区" dropped), so the scorer compares like with like; the best variant pair wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from guidecheck.errors import GuidecheckError

ACCEPT_SCORE = 85.0
"""A fuzzy match must score at least this (0–100) …"""
MARGIN = 5.0
"""… and beat the runner-up by this much, or the name is ambiguous."""

_CJK = r"[\u4e00-\u9fff]"
_PREFIX = re.compile(rf"^(?:{_CJK}{{2,5}}?省)?(?:{_CJK}{{2,5}}?[市州盟])?(?:{_CJK}{{1,4}}?[区县旗])?")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True, frozen=True)
class Department:
    code: str
    name: str
    url: str
    """The department's first item-list page (absolute URL)."""


def normalise(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).strip()


def variants(name: str) -> set[str]:
    """The name as given, without its place prefix, and without a bare leading 市/区 (市规划… → 规划…)."""
    base = normalise(name)
    out = {base}
    stripped = _PREFIX.sub("", base, count=1)
    if len(stripped) >= 2:
        out.add(stripped)
    for form in list(out):
        if form[:1] in ("市", "区", "县") and len(form) > 3:
            out.add(form[1:])
    return out


def _score(query: set[str], name: set[str]) -> float:
    return max(fuzz.ratio(q, n) for q in query for n in name)


def match_department(query: str, departments: Sequence[Department]) -> Department:
    """The one department `query` names (by name or code); GuidecheckError naming the closest three otherwise."""
    if not departments:
        raise GuidecheckError("the portal lists no departments")
    wanted = normalise(query)
    if not wanted:
        raise GuidecheckError("empty department name")
    for dept in departments:
        if dept.code and dept.code.lower() == wanted.lower():
            return dept
    qv = variants(query)
    scored = sorted(((_score(qv, variants(d.name)), d) for d in departments), key=lambda pair: pair[0], reverse=True)
    exact = [d for s, d in scored if s >= 100.0]
    if len(exact) == 1:
        return exact[0]
    # An abbreviation inside exactly one name ("自然资源" → 规划和自然资源局) is unambiguous too.
    inside = [d for d in departments if any(q in n for q in qv for n in variants(d.name)) and len(wanted) >= 2]
    if len(exact) == 0 and len(inside) == 1:
        return inside[0]
    best, runner = scored[0][0], scored[1][0] if len(scored) > 1 else 0.0
    if len(exact) == 0 and best >= ACCEPT_SCORE and best - runner >= MARGIN:
        return scored[0][1]
    closest = "、".join(d.name for _, d in scored[:3])
    if len(exact) > 1 or len(inside) > 1:
        names = "、".join(d.name for d in (exact or inside)[:5])
        raise GuidecheckError(f"'{query}' matches several departments: {names}; give the full name")
    raise GuidecheckError(f"no department named '{query}' on this portal; closest: {closest}")
