"""Suppressions: a guide file silences a rule for itself, with a reason, and unused ones are reported.

Forms (see docs/guide-format.md §Suppressions):

* HTML, Markdown and text guides: a comment ``<!-- guidecheck-disable MAT04 -- 表格由窗口现场提供 -->``.
  Several rules may be listed (``MAT04, MAT05``); the reason follows ``--`` (or ``—``, ``:``, ``：``).
* JSON guides: a top-level key ``"guidecheck-disable": [{"rule": "MAT04", "reason": "…"}]``.
* Guide files (``.guide.toml``): ``[[guidecheck-disable]]`` tables with ``rule`` and ``reason``.

A suppression covers the whole guide. It is applied in one place, `apply`, which `api.audit_guide`
calls, so `check` and `audit` honour it alike. Two meta rules make misuse visible in every format:

* GC01 (info): a suppression that silenced nothing, or names no rule that exists.
* GC02 (warning): a suppression without a reason. It still applies, so adopting guidecheck is never
  blocked, but the warning stays until the author writes down why.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from guidecheck.findings import Finding, Severity, fingerprint
from guidecheck.model import Guide, Loc, Suppression
from guidecheck.normalize import loads_json

KEY = "guidecheck-disable"
"""The key structured guides (JSON, guide files) use to list their suppressions."""

_COMMENT = re.compile(r"<!--\s*guidecheck-disable\b(?P<body>.*?)-->", re.DOTALL)
_LEADING_RULE = re.compile(
    r"^\s*([A-Za-z]{2,5}\d{2,3}|[a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+)(?=$|[\s,，、:：]|--|—)\s*[,，、]?\s*"
)
_REASON_LEAD = re.compile(r"^\s*(?:--|—+|：|:)?\s*")


@dataclass(slots=True, frozen=True)
class MetaRule:
    """Just enough of a rule for reporters (SARIF rule metadata, `explain`)."""

    id: str
    name: str
    facet: str
    severity: Severity
    weight: float
    title: dict[str, str]
    message: dict[str, str]
    source: str
    doc: dict[str, dict[str, str]]


META_RULES: dict[str, MetaRule] = {
    "GC01": MetaRule(
        id="GC01",
        name="suppression.unused",
        facet="consistency",
        severity=Severity.INFO,
        weight=0.0,
        title={"zh": "未生效的屏蔽声明", "en": "Unused suppression"},
        message={
            "zh": "屏蔽声明 {rule} 未屏蔽任何问题，可以删除",
            "en": "suppression of {rule} silenced nothing; remove it",
        },
        source="guidecheck",
        doc={
            "what": {
                "zh": "指南中的 guidecheck-disable 声明没有屏蔽任何问题，或所列规则不存在。",
                "en": "A guidecheck-disable entry in the guide silenced no finding, or names no known rule.",
            },
            "why": {
                "zh": "过时的屏蔽会在问题再次出现时把它藏起来。",
                "en": "A stale suppression hides the problem when it comes back.",
            },
            "fail": {
                "zh": "<!-- guidecheck-disable MAT04 -- 已提供表格 -->（MAT04 并未报告）",
                "en": "<!-- guidecheck-disable MAT04 -- the form is provided --> (MAT04 did not fire)",
            },
            "pass": {"zh": "删除该声明。", "en": "Delete the entry."},
        },
    ),
    "GC02": MetaRule(
        id="GC02",
        name="suppression.no-reason",
        facet="consistency",
        severity=Severity.WARNING,
        weight=0.0,
        title={"zh": "屏蔽声明缺少理由", "en": "Suppression without a reason"},
        message={
            "zh": "屏蔽 {rule} 时未说明理由（在规则号后写“-- 理由”）",
            "en": "suppression of {rule} gives no reason (add '-- reason' after the rule id)",
        },
        source="guidecheck",
        doc={
            "what": {
                "zh": "guidecheck-disable 声明没有写明理由。",
                "en": "A guidecheck-disable entry gives no reason.",
            },
            "why": {
                "zh": "审核人需要知道为何该问题可以接受。",
                "en": "Reviewers need to know why the finding is acceptable.",
            },
            "fail": {"zh": "<!-- guidecheck-disable MAT04 -->", "en": "<!-- guidecheck-disable MAT04 -->"},
            "pass": {
                "zh": "<!-- guidecheck-disable MAT04 -- 表格由窗口现场提供 -->",
                "en": "<!-- guidecheck-disable MAT04 -- the form is handed out at the window -->",
            },
        },
    ),
}


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def parse_comments(text: str, source: str) -> list[Suppression]:
    """`<!-- guidecheck-disable ID[, ID…] [--] reason -->` comments, with their line numbers.

    Rule ids (MAT04) or names (materials.blank-form) come first, separated by commas or spaces; the
    rest, after an optional `--`, `—` or colon, is the reason.
    """
    found: list[Suppression] = []
    for match in _COMMENT.finditer(text):
        body = " ".join(match.group("body").split())
        rules: list[str] = []
        while m := _LEADING_RULE.match(body):
            rules.append(m.group(1))
            body = body[m.end() :]
        reason = _REASON_LEAD.sub("", body).strip()
        loc = Loc(source=source, path="comment", line=_line_at(text, match.start()))
        for rule in rules or [""]:
            found.append(Suppression(rule_id=rule, reason=reason, loc=loc))
    return found


def from_entries(entries: object, source: str, line: int | None = None, path: str = KEY) -> list[Suppression]:
    """Suppressions from a structured value: a list of {rule, reason} tables (or bare rule strings)."""
    if isinstance(entries, (str, Mapping)):
        entries = [entries]
    if not isinstance(entries, list):
        return [Suppression(rule_id="", reason="", loc=Loc(source=source, path=path, line=line))]
    found: list[Suppression] = []
    for index, entry in enumerate(entries):
        loc = Loc(source=source, path=f"{path}[{index}]", line=line)
        if isinstance(entry, str):
            found.append(Suppression(rule_id=entry.strip(), reason="", loc=loc))
        elif isinstance(entry, Mapping):
            rule = entry.get("rule", "")
            reason = entry.get("reason", "")
            found.append(
                Suppression(
                    rule_id=rule.strip() if isinstance(rule, str) else "",
                    reason=reason.strip() if isinstance(reason, str) else "",
                    loc=loc,
                )
            )
        else:
            found.append(Suppression(rule_id="", reason="", loc=loc))
    return found


def parse_json(text: str, source: str) -> list[Suppression]:
    try:
        data = loads_json(text)  # the extractor's reading: unpaired surrogate escapes as U+FFFD
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, dict) or KEY not in data:
        return []
    match = re.search(r'"' + re.escape(KEY) + r'"\s*:', text)
    line = _line_at(text, match.start()) if match else None
    return from_entries(data[KEY], source, line)


def parse(text: str, source: str, fmt: str = "") -> list[Suppression]:
    """All suppressions a guide's raw text declares. `fmt` is the Guide.format ("json" enables the key)."""
    found: list[Suppression] = []
    if fmt == "json" or (not fmt and text.lstrip().startswith("{")):
        found += parse_json(text, source)
    found += parse_comments(text, source)
    return found


def _matches(s: Suppression, f: Finding) -> bool:
    rule = s.rule_id.strip()
    return bool(rule) and (rule.upper() == f.rule_id.upper() or rule.lower() == f.rule_name.lower())


def _meta_finding(code: str, s: Suppression, guide: Guide, lang: str) -> Finding:
    meta = META_RULES[code]
    shown = s.rule_id or "?"
    message = meta.message.get(lang, meta.message["zh"]).format(rule=shown)
    evidence = f"{KEY} {shown}"
    return Finding(
        rule_id=meta.id,
        rule_name=meta.name,
        facet=meta.facet,
        severity=meta.severity,
        message=message,
        evidence=evidence,
        loc=s.loc,
        guide_id=guide.id,
        guide_source=guide.source,
        guide_title=guide.title,
        fingerprint=fingerprint(guide.id, meta.id, evidence),
        weight=meta.weight,
    )


def apply(
    guide: Guide,
    findings: Iterable[Finding],
    *,
    lang: str = "zh",
    ran: Collection[str] | None = None,
    known: Collection[str] | None = None,
) -> list[Finding]:
    """Drop the findings the guide suppresses; add GC01/GC02 findings for misused suppressions.

    `ran` holds the ids and names of the rules that ran: a suppression of a rule that did not run (left
    out by --select) is neither used nor unused, so it is not reported. `known` holds every rule id and
    name that exists; a suppression naming none of them is reported as unused. When either is None,
    every suppression is judged only by whether it silenced something.
    """
    findings = list(findings)
    if not guide.suppressions:
        return findings
    ran_keys = None if ran is None else {k.upper() for k in ran}
    known_keys = None if known is None else {k.upper() for k in known}
    kept = [f for f in findings if not any(_matches(s, f) for s in guide.suppressions)]
    meta: list[Finding] = []
    for s in guide.suppressions:
        rule = s.rule_id.upper()
        if not s.reason and rule:
            meta.append(_meta_finding("GC02", s, guide, lang))
        if any(_matches(s, f) for f in findings):
            continue
        unknown = not rule or (known_keys is not None and rule not in known_keys)
        did_not_run = ran_keys is not None and rule not in ran_keys
        if unknown or not did_not_run:
            meta.append(_meta_finding("GC01", s, guide, lang))
    return kept + meta
