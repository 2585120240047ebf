"""forbidden_terms: a term from a list appears in material names or in an element's sentences.

params:
    terms     list of literal terms; an item starting with "re:" is a regex ("re:等(相关)?材料$")
    scopes    where to look: "materials" (each material name; the section's sentences when the list
              was not parsed) and/or element keys (each sentence of the element), e.g. "conditions"
    unless    optional regex: a material name or sentence matching it is skipped
Hit: one per material or sentence; evidence = the material name or the sentence; params term.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import TEXT_ELEMENTS, norm, scope_of, sentences
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide, Loc


@dataclass(slots=True, frozen=True)
class Params:
    terms: Sieve
    scopes: tuple[str, ...]
    unless: re.Pattern[str] | None


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("terms", "scopes", "unless"))
    scopes = _params.strings(params, "scopes", ["materials"])
    for scope in scopes:
        if scope != "materials" and scope not in TEXT_ELEMENTS:
            raise ParamError("scopes", f'unknown scope {scope!r}; use "materials" or an element key')
    return Params(Sieve.of(_params.terms_regex(params, "terms")), scopes, _params.optional_regex(params, "unless"))


def candidates(guide: Guide, scope: str) -> Iterator[tuple[str, Loc | None]]:
    """The pieces of text a scope stands for: material names, or an element's sentences."""
    if scope == "materials" and guide.materials:
        for material in guide.materials:
            yield material.name.strip(), material.loc
        return
    field = guide.materials_text if scope == "materials" else guide.element(scope)
    if field is not None:
        for sentence in sentences(field.text):
            yield sentence, field.loc


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    terms = params.terms
    for scope in params.scopes:
        pieces = scope_of(guide, ("forbidden_terms", scope), lambda s=scope: candidates(guide, s))
        for piece in pieces.candidates(terms.words):
            plain = norm(piece.text)
            if params.unless is not None and params.unless.search(plain):
                continue
            match = terms.regex.search(plain)
            if match:
                yield Hit(piece.text, piece.loc, {"term": match.group(0)})
