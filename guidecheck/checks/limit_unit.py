"""limit_unit: a time limit in an ambiguous unit ("日", "天") or with no unit instead of 工作日/自然日.

params:
    ambiguous   units that count as ambiguous (default ["日", "天", ""])
    limits      which limits: "legal", "promised", "steps" (default legal and promised)
Hit: one per limit; evidence = the limit's text; params which.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide, TimeLimit

_WHICH = {"legal": ("法定办结时限", "legal time limit"), "promised": ("承诺办结时限", "promised time limit")}


@dataclass(slots=True, frozen=True)
class Params:
    ambiguous: frozenset[str]
    limits: tuple[str, ...]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("ambiguous", "limits"))
    limits = _params.strings(params, "limits", ["legal", "promised"])
    for limit in limits:
        if limit not in ("legal", "promised", "steps"):
            raise ParamError("limits", f"unknown limit {limit!r}; use legal, promised or steps")
    return Params(frozenset(_params.strings(params, "ambiguous", ["日", "天", ""])), limits)


def _limits(guide: Guide, which: str) -> Iterator[tuple[TimeLimit, tuple[str, str]]]:
    if which == "legal" and guide.legal_limit is not None:
        yield guide.legal_limit, _WHICH["legal"]
    elif which == "promised" and guide.promised_limit is not None:
        yield guide.promised_limit, _WHICH["promised"]
    elif which == "steps":
        for step in guide.steps:
            if step.time_limit is not None:
                yield step.time_limit, (f"环节“{step.name}”时限", f"time limit of step {step.name}")


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    for which in params.limits:
        for limit, name in _limits(guide, which):
            if limit.immediate or limit.days is None or not limit.days:
                continue
            if limit.unit in params.ambiguous:
                yield Hit(limit.raw.strip(), limit.loc, {"which": name, "unit": limit.unit or "—"})
