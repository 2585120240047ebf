"""material_attribute_missing: a material row without its number of copies, its form or its necessity.

params:
    attribute   "copies" (份数), "forms" (原件/复印件/电子) or "necessity" (必要/非必要/容缺后补)
    exempt      optional regex: material names that need not state it
    electronic_exempt  true: a material whose only form is 电子 needs no number of copies (default false:
                the sample of evaluators asks every row for its quantity, 0 included)
Hit: one per material; evidence = the material name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide, Material

ATTRIBUTES = ("copies", "forms", "necessity")


@dataclass(slots=True, frozen=True)
class Params:
    attribute: str
    exempt: re.Pattern[str] | None
    electronic_exempt: bool


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("attribute", "exempt", "electronic_exempt"))
    electronic_exempt = params.get("electronic_exempt", False)
    if not isinstance(electronic_exempt, bool):
        raise ParamError("electronic_exempt", "must be true or false")
    attribute = _params.string(params, "attribute")
    if attribute not in ATTRIBUTES:
        raise ParamError("attribute", f"unknown attribute {attribute!r}; use {', '.join(ATTRIBUTES)}")
    return Params(attribute, _params.optional_regex(params, "exempt"), electronic_exempt)


def missing(material: Material, attribute: str, electronic_exempt: bool = False) -> bool:
    if attribute == "copies":
        electronic_only = bool(material.forms) and all("电子" in f for f in material.forms)
        if electronic_exempt and electronic_only:
            return False
        return material.copies is None and not material.copies_raw.strip()
    if attribute == "forms":
        return not material.forms
    return not material.necessity.strip()


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    for material in guide.materials:
        if params.exempt is not None and params.exempt.search(material.name):
            continue
        if missing(material, params.attribute, params.electronic_exempt):
            yield Hit(material.name.strip(), material.loc, {"material": material.name.strip()})
