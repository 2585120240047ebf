"""compare_limits: 承诺办结时限 exceeds 法定办结时限, compared in working days.

A bare 日/天 is read both ways (see _limits.py): the promise must exceed the law under every reading.

params:
    tolerance   working days of slack before flagging (default 0)
Hit: evidence = the promised limit's text; params promised, legal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._limits import bounds, same_reading
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> float:
    _params.known_keys(params, ("tolerance",))
    return _params.number(params, "tolerance", 0)


def check(guide: Guide, tolerance: float) -> Iterator[Hit]:
    promised, legal = guide.promised_limit, guide.legal_limit
    if promised is None or legal is None:
        return
    p, lg = bounds(promised, guide), bounds(legal, guide)
    if p is None or lg is None or legal.immediate:
        return
    if same_reading(promised, legal):
        longer = promised.days > legal.days + tolerance + 1e-9  # type: ignore[operator]
    else:
        longer = p[0] > lg[1] + tolerance + 1e-9
    if longer:
        loc = promised.loc or (guide.promised_limit_text.loc if guide.promised_limit_text else None)
        yield Hit(promised.raw.strip(), loc, {"promised": promised.raw.strip(), "legal": legal.raw.strip()})
