"""step_time_missing: a step of the office's work that states no time limit (bare-word steps too: they
lack a time as well as content). The applicant's own steps (申请, 提交申请 …) need no promised time.

params:
    exempt   regex of step names that need no time (fullmatch; default the applicant's steps)
Hit: one per step; evidence = the step name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    _params.known_keys(params, ("exempt",))
    return _params.regex(
        params,
        "exempt",
        r"(?:\d+[.、]?\s*)?(?:网上|窗口|在线|现场)?(?:申请|提出申请|提交申请|提交材料|递交材料|申报|预约|咨询|领取|领证|取件)",
    )


def check(guide: Guide, exempt: re.Pattern[str]) -> Iterator[Hit]:
    for step in guide.steps:
        if step.time_limit is not None or exempt.fullmatch(norm(step.name)):
            continue
        yield Hit(step.name.strip(), step.loc, {"step": step.name.strip()})
