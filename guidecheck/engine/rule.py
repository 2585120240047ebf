"""The `Rule`: one check kind with its parameters, plus everything a reader needs to act on a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guidecheck.findings import Severity

SEVERITY_WEIGHTS: dict[Severity, float] = {Severity.ERROR: 10.0, Severity.WARNING: 4.0, Severity.INFO: 1.0}
"""Default weight per severity (standards.md §3.6): a rule without `weight` takes its severity's."""

LANGS = ("zh", "en")


@dataclass(slots=True, frozen=True)
class RuleDoc:
    """A rule's documentation. The four texts are the default (English) ones; `zh` holds the Chinese of
    those a pack wrote in both languages (`what.zh = "…"`, `what.en = "…"`)."""

    what: str
    why: str
    fail: str
    pass_: str
    """The passing example (`pass` in TOML)."""
    zh: dict[str, str] = field(default_factory=dict)
    """Chinese texts by TOML key (what, why, fail, pass)."""

    def text(self, key: str, lang: str) -> str:
        """`key` (what, why, fail, pass) in `lang`, falling back to the default text."""
        default = {"what": self.what, "why": self.why, "fail": self.fail, "pass": self.pass_}[key]
        return (self.zh.get(key) or default) if lang == "zh" else default

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"what": self.what, "why": self.why, "fail": self.fail, "pass": self.pass_}
        if self.zh:
            out["zh"] = dict(self.zh)
        return out


@dataclass(slots=True, frozen=True)
class RuleSource:
    ids: tuple[str, ...]
    """Source ids of shared/domain/standards.md (L10, C1, P9 …) or seeds ("seed 000")."""
    text: str
    """The law, regulation or evaluation item, in words."""

    def to_dict(self) -> dict[str, object]:
        return {"ids": list(self.ids), "text": self.text}


@dataclass(slots=True, frozen=True)
class Rule:
    id: str
    """Group code + digits, e.g. MAT01 (the catalogue id)."""
    name: str
    """Dotted name, e.g. materials.catch-all."""
    facet: str
    """One of findings.FACETS: completeness, materials, flow, consistency."""
    severity: Severity
    weight: float
    title: dict[str, str]
    message: dict[str, str]
    """Format strings with named parameters, per language."""
    source: RuleSource
    doc: RuleDoc
    check: str
    """The check kind (a key of guidecheck.checks.CHECK_KINDS)."""
    params: dict[str, Any]
    """Parameters as written (term lists expanded), for `explain` and machine output."""
    aliases: tuple[str, ...] = ()
    when: dict[str, Any] = field(default_factory=dict)
    """Preconditions on the guide (item_type, channels_any, visits …) checked before the kind runs."""
    file: str = ""
    """The pack the rule (or its last override) came from."""
    prepared: Any = field(default=None, compare=False, repr=False)
    """The kind's compiled parameters (regexes, term sets), built once when the RuleSet is loaded."""

    @property
    def group(self) -> str:
        """The id's letter prefix: CMP, TIM, MAT, FLW, CON."""
        match = re.match(r"[A-Za-z]+", self.id)
        return match.group(0) if match else self.id

    def title_for(self, lang: str) -> str:
        return self.title.get(lang) or self.title["zh"]

    def message_for(self, lang: str) -> str:
        return self.message.get(lang) or self.message["zh"]

    def to_dict(self) -> dict[str, object]:
        """Metadata for machine output (json, sarif): everything but the compiled parameters."""
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "group": self.group,
            "facet": self.facet,
            "severity": str(self.severity),
            "weight": self.weight,
            "title": dict(self.title),
            "message": dict(self.message),
            "source": self.source.to_dict(),
            "doc": self.doc.to_dict(),
            "check": self.check,
            "params": self.params,
            "when": self.when,
        }
