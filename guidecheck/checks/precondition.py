"""precondition: the rule's `when` conditions alone are the defect (e.g. 全程网办 claimed and visits > 0);
this kind only picks the evidence.

params:
    evidence   element key whose text is the evidence; no finding when that element is absent
Hit: evidence = that element's text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> str:
    _params.known_keys(params, ("evidence",))
    return _params.element(params.get("evidence"), "evidence")


def check(guide: Guide, key: str) -> Iterator[Hit]:
    field = guide.element(key)
    if field is not None and field.text.strip():
        yield Hit(field.text.strip(), field.loc, {"value": field.text.strip()})
