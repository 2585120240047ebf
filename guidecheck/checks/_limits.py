"""Working-day readings of a time limit, for the rules that compare limits.

"20日" or "20天" without 工作/自然 is ambiguous (TIM02 reports that): 20 working days, or 20 calendar days
(about 14.3 working days). For a 行政许可 the licensing law settles it: its limits count working days
(《行政许可法》第八十二条). Elsewhere a comparison reports a contradiction only when it holds under every
reading, so an ambiguous unit never produces an error of its own.
"""

from __future__ import annotations

from guidecheck.checks._text import field_text
from guidecheck.model import Guide, TimeLimit
from guidecheck.normalize import item_type_is

AMBIGUOUS_UNITS = frozenset({"日", "天"})


def is_licence(guide: Guide) -> bool:
    return item_type_is(field_text(guide.item_type), "行政许可")


def bounds(limit: TimeLimit | None, guide: Guide) -> tuple[float, float] | None:
    """(fewest, most) working days the limit can mean; None when it has no number."""
    if limit is None:
        return None
    wd = limit.working_days
    if wd is None or limit.days is None:
        return None
    if limit.unit in AMBIGUOUS_UNITS and not limit.immediate:
        if is_licence(guide):
            return limit.days, limit.days
        return wd, limit.days
    return wd, wd


def same_reading(a: TimeLimit, b: TimeLimit) -> bool:
    """Both limits are in the same ambiguous unit: whichever reading is meant, it is the same for both."""
    return a.unit in AMBIGUOUS_UNITS and a.unit == b.unit and a.days is not None and b.days is not None
