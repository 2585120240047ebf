"""forbidden_terms: a term from a list appears in material names or in an element's sentences.

params:
    terms     list of literal terms; an item starting with "re:" is a regex ("re:等(相关)?材料$")
    scopes    where to look: "materials" (each material name; the section's sentences when the list
              was not parsed) and/or element keys (each sentence of the element), e.g. "conditions"
    unless    optional regex: a material name or sentence matching it is skipped
    gate      optional list of words, one of which every text a term can match contains as published
              (full-width forms included): a guide whose scopes hold none of them is skipped before any
              text is split or normalised. For terms the literal pre-filter cannot serve (ASCII ones
              such as XX, which may be published as ＸＸ), it keeps the rule cheap.
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
from guidecheck.model import Field, Guide, Loc


@dataclass(slots=True, frozen=True)
class Params:
    terms: Sieve
    scopes: tuple[str, ...]
    unless: re.Pattern[str] | None
    gate: tuple[str, ...]
    gate_firsts: re.Pattern[str] | None = None


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("terms", "scopes", "unless", "gate"))
    scopes = _params.strings(params, "scopes", ["materials"])
    for scope in scopes:
        if scope != "materials" and scope not in TEXT_ELEMENTS:
            raise ParamError("scopes", f'unknown scope {scope!r}; use "materials" or an element key')
    gate = tuple(_params.strings(params, "gate", []))
    return Params(
        Sieve.of(_params.terms_regex(params, "terms")),
        scopes,
        _params.optional_regex(params, "unless"),
        gate,
        _first_chars(gate),
    )


def _first_chars(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One character-class scan for the words' first characters: most texts hold none of them."""
    firsts = sorted({w[0] for w in words if w})
    return re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None


def _field(guide: Guide, scope: str) -> Field | None:
    """The element a scope reads when it is no list of materials (the 申请材料 section for "materials")."""
    return guide.materials_text if scope == "materials" else guide.element(scope)


def candidates(guide: Guide, scope: str) -> Iterator[tuple[str, Loc | None]]:
    """The pieces of text a scope stands for: material names, or an element's sentences."""
    if scope == "materials" and guide.materials:
        for material in guide.materials:
            yield material.name.strip(), material.loc
        return
    field = _field(guide, scope)
    if field is not None:
        for sentence in sentences(field.text):
            yield sentence, field.loc


def _published(guide: Guide, scope: str) -> str:
    """A scope's text as published, for the gate."""
    if scope == "materials" and guide.materials:
        return "\n".join(material.name for material in guide.materials)
    field = _field(guide, scope)
    return field.text if field is not None else ""


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    terms = params.terms
    scopes = params.scopes
    if params.gate:
        gate, firsts = params.gate, params.gate_firsts
        scopes = tuple(
            s
            for s in scopes
            if (text := _published(guide, s))
            and (firsts is None or firsts.search(text))
            and any(w in text for w in gate)
        )
        if not scopes:
            return  # no text can hold a term: nothing is split into sentences or normalised
    for scope in scopes:
        pieces = scope_of(guide, ("forbidden_terms", scope), lambda s=scope: candidates(guide, s))
        for piece in pieces.candidates(terms.words):
            plain = norm(piece.text)
            if params.unless is not None and params.unless.search(plain):
                continue
            match = terms.regex.search(plain)
            if match:
                yield Hit(piece.text, piece.loc, {"term": match.group(0)})
