"""form_material_needs_link: a form-type material (…申请表, …登记表, …申请书) without a blank form or a
filled-in sample to download.

params:
    link        "blank_form" or "sample"
    form_names  regex for form-type material names (matched against the name)
Hit: one per material; evidence = the material name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import norm
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    link: str
    form_names: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("link", "form_names"))
    link = _params.string(params, "link")
    if link not in ("blank_form", "sample"):
        raise ParamError("link", "use blank_form or sample")
    return Params(
        link, _params.regex(params, "form_names", r"(?:申请|登记|注册|备案|申报|审批|审核|审查|信息|变更)(?:表|书)")
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    for material in guide.materials:
        if not params.form_names.search(norm(material.name)):
            continue
        link = getattr(material, params.link)
        if not (link or "").strip():
            yield Hit(material.name.strip(), material.loc, {"material": material.name.strip()})
