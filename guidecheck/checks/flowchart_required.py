"""flowchart_required: the guide has a text flow only, no flowchart (use `when` to limit it to 行政许可).

params: none.
Hit: evidence = "流程图".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> None:
    _params.known_keys(params, ())


def check(guide: Guide, _prepared: None) -> Iterator[Hit]:
    if not guide.flowcharts:
        yield Hit("流程图", guide.flow_text.loc if guide.flow_text else None, {})
