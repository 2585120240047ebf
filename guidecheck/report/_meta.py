"""Rule metadata as the machine formats need it, read from whatever rule objects a run carries.

`RunResult.rules` holds the engine's `Rule` objects; reporters must not depend on their class, so this
module reads them by attribute (or key) and fills gaps from the findings themselves. Meta rules that
guidecheck adds on its own (suppressions: GC01, GC02) come from `guidecheck.suppress.META_RULES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from guidecheck.findings import Finding, Severity
from guidecheck.results import RunResult


@dataclass(slots=True, frozen=True)
class RuleMeta:
    id: str
    name: str = ""
    facet: str = ""
    severity: Severity = Severity.WARNING
    weight: float = 0.0
    title: str = ""
    source: str = ""
    what: str = ""
    why: str = ""
    fail: str = ""
    passing: str = ""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)


def _get(obj: object, name: str, default: object = None) -> object:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _text(value: object, lang: str) -> str:
    """A bilingual {zh, en} value (dict or object) in `lang`, falling back to the other language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    other = "en" if lang == "zh" else "zh"
    for key in (lang, other):
        got = _get(value, key)
        if got:
            return str(got)
    return ""


def _severity(value: object) -> Severity:
    if isinstance(value, Severity):
        return value
    try:
        return Severity.parse(str(value))
    except ValueError:
        return Severity.WARNING


def _source(value: object) -> str:
    """A rule's source: plain text, or the engine's (ids, text) pair as "L4, L10 — text"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    ids = _get(value, "ids") or ()
    text = str(_get(value, "text") or "")
    joined = ", ".join(str(i) for i in ids)
    return " — ".join(part for part in (joined, text) if part)


def from_rule(rule: object, lang: str) -> RuleMeta:
    doc = _get(rule, "doc")
    aliases = _get(rule, "aliases") or ()
    group = str(_get(rule, "group", "") or "")
    return RuleMeta(
        id=str(_get(rule, "id", "")),
        name=str(_get(rule, "name", "") or ""),
        facet=str(_get(rule, "facet", "") or ""),
        severity=_severity(_get(rule, "severity", "warning")),
        weight=float(_get(rule, "weight", 0.0) or 0.0),
        title=_text(_get(rule, "title"), lang),
        source=_source(_get(rule, "source")),
        what=_text(_get(doc, "what"), lang) if doc is not None else "",
        why=_text(_get(doc, "why"), lang) if doc is not None else "",
        fail=_text(_get(doc, "fail"), lang) if doc is not None else "",
        passing=_text(_get(doc, "pass") or _get(doc, "pass_"), lang) if doc is not None else "",
        aliases=tuple(str(a) for a in aliases),
        tags=(group,) if group else (),
    )


def _from_finding(f: Finding) -> RuleMeta:
    return RuleMeta(id=f.rule_id, name=f.rule_name, facet=f.facet, severity=f.severity, weight=f.weight)


def rules_of(result: RunResult, lang: str) -> list[RuleMeta]:
    """Every rule that ran, then any rule a finding names that the run did not list (meta rules)."""
    from guidecheck.suppress import META_RULES

    metas: dict[str, RuleMeta] = {}
    for rule in result.rules:
        meta = from_rule(rule, lang)
        if meta.id:
            metas.setdefault(meta.id, meta)
    for f in result.findings:
        if f.rule_id not in metas:
            meta_rule = META_RULES.get(f.rule_id)
            metas[f.rule_id] = from_rule(meta_rule, lang) if meta_rule else _from_finding(f)
    return list(metas.values())
