"""requires_text: when the guide says X somewhere, it must also say Y (容缺 ⇒ scope and 补正 deadline,
告知承诺 ⇒ the liability for a false promise, a 行政许可 flow ⇒ 一次性告知).

params:
    trigger           regex; the rule applies when some text in `trigger_scopes` matches (omit: always)
    trigger_scopes    "materials" (names, necessity, notes), "flow", "all" or element keys (default ["all"])
    require           regex that must match some text in `require_scopes`
    require_scopes    as above (default ["all"])
    label             fixed evidence text (keeps the fingerprint stable); default: the triggering sentence,
                      or the first sentence of the required scope when there is no trigger
Hit: evidence as above; params trigger.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import TEXT_ELEMENTS, may_mention, norm, sentences, text_scope
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide, Loc

SCOPES = ("materials", "flow", "all")


@dataclass(slots=True, frozen=True)
class Params:
    trigger: Sieve | None
    trigger_scopes: tuple[str, ...]
    require: Sieve
    require_scopes: tuple[str, ...]
    label: str


def _scopes(params: Mapping[str, Any], key: str) -> tuple[str, ...]:
    scopes = _params.strings(params, key, ["all"])
    for scope in scopes:
        if scope not in SCOPES and scope not in TEXT_ELEMENTS:
            raise ParamError(key, f"unknown scope {scope!r}; use {', '.join(SCOPES)} or an element key")
    return scopes


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("trigger", "trigger_scopes", "require", "require_scopes", "label"))
    trigger = _params.optional_regex(params, "trigger")
    return Params(
        Sieve.of(trigger) if trigger is not None else None,
        _scopes(params, "trigger_scopes"),
        Sieve.of(_params.regex(params, "require")),
        _scopes(params, "require_scopes"),
        _params.string(params, "label", ""),
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    evidence: tuple[str, Loc | None] | None = None
    if params.trigger is None:
        required = text_scope(guide, params.require_scopes)
        if not required.pieces:
            return
        text, loc = required.pieces[0]
        evidence = (next(iter(sentences(text)), text), loc)
    else:
        trigger = params.trigger
        if not may_mention(guide, trigger.words):
            return  # most guides never use the trigger's words: no scope to build
        for sentence, plain, piece in text_scope(guide, params.trigger_scopes).sentences(trigger.words):
            if trigger.regex.search(plain):
                evidence = (sentence, piece.loc)
                break
        if evidence is None:
            return
    require, required = params.require, text_scope(guide, params.require_scopes)
    if any(require.regex.search(norm(p.text)) for p in required.candidates(require.words)):
        return
    yield Hit(params.label or evidence[0], evidence[1], {"trigger": evidence[0]})
