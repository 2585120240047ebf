"""broken_links: a blank-form or sample link that did not resolve when the crawler checked it.

Reads `Guide.link_status` (filled by the crawler); silent when links were not checked.
params: none.
Hit: one per broken link; evidence = the link; params material, status.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


def prepare(params: Mapping[str, Any]) -> None:
    _params.known_keys(params, ())


def check(guide: Guide, _params_: None) -> Iterator[Hit]:
    if not guide.link_status:
        return
    for material in guide.materials:
        for link in (material.blank_form, material.sample):
            if not link:
                continue
            status = guide.link_status.get(link)
            if status is not None and status != "ok":
                yield Hit(link, material.loc, {"material": material.name.strip(), "status": status})
