"""step_limits_sum: the steps' time limits add up to more than 承诺办结时限 (per channel, in working days).

params:
    tolerance   working days of slack (default 0)
Hit: evidence = the promised limit; params total, promised.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._limits import bounds
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> float:
    _params.known_keys(params, ("tolerance",))
    return _params.number(params, "tolerance", 0)


def check(guide: Guide, tolerance: float) -> Iterator[Hit]:
    promised = guide.promised_limit
    most = bounds(promised, guide)
    if promised is None or most is None:
        return
    totals: dict[str, float] = {}
    for step in guide.steps:
        reading = bounds(step.time_limit, guide)  # the fewest days each step can mean
        if reading is not None:
            totals[step.channel] = totals.get(step.channel, 0.0) + reading[0]
    if not totals:
        return
    total = max(totals.values())
    if total > most[1] + tolerance + 1e-9:
        shown = f"{total:g}"
        yield Hit(
            promised.raw.strip(),
            promised.loc,
            {"total": (f"{shown}个工作日", f"{shown} working days"), "promised": promised.raw.strip()},
        )
