"""`--format markdown`: a job summary (GitHub `$GITHUB_STEP_SUMMARY`, GitLab MR notes, chat).

Counts first, then findings by rule, then a list per guide. Everything taken from a guide (titles,
messages, evidence) is crawled text and is escaped: no raw HTML, no table-breaking pipes. The list is
capped so a big audit stays under GitHub's 1 MiB summary limit.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from guidecheck.findings import FACETS, Finding, Severity
from guidecheck.printable import printable
from guidecheck.report._meta import rules_of
from guidecheck.report.json_report import summary
from guidecheck.results import RunResult

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions

MAX_FINDINGS = 1000
"""At most this many findings are listed one by one; the counts always cover all of them."""

_ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.INFO: "🔵"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")

_WORDS = {
    "zh": {
        "title": "guidecheck 审核结果",
        "metric": "项目",
        "count": "数量",
        "guides": "指南",
        "audited": "已审核",
        "failed": "无法读取",
        "findings": "问题",
        "errors": "错误",
        "warnings": "警告",
        "info": "提示",
        "new": "新增（相对基线）",
        "known": "已知（基线内）",
        "fixed": "已修复",
        "by_rule": "按规则",
        "rule": "规则",
        "severity": "级别",
        "facet": "维度",
        "by_guide": "按指南",
        "unreadable": "无法审核",
        "more": "另有 {n} 条未列出",
        "clean": "未发现问题。",
    },
    "en": {
        "title": "guidecheck results",
        "metric": "",
        "count": "count",
        "guides": "guides",
        "audited": "audited",
        "failed": "unreadable",
        "findings": "findings",
        "errors": "errors",
        "warnings": "warnings",
        "info": "info",
        "new": "new (vs baseline)",
        "known": "known (in baseline)",
        "fixed": "fixed",
        "by_rule": "Findings by rule",
        "rule": "rule",
        "severity": "severity",
        "facet": "facet",
        "by_guide": "By guide",
        "unreadable": "not audited",
        "more": "{n} more not listed",
        "clean": "No findings.",
    },
}


def escape(text: str) -> str:
    """Crawled text made inert: HTML entities, Markdown specials and pipes escaped, one line."""
    text = " ".join(printable(str(text)).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _finding_item(f: Finding) -> str:
    line = f"- {_ICON[f.severity]} **{escape(f.rule_id)}** {escape(f.message)}"
    if f.evidence and f.evidence not in f.message:
        line += f" 「{escape(f.evidence[:120])}」"
    if f.loc and f.loc.line:
        line += f" (line {f.loc.line})"
    return line


def render(result: RunResult, options: RenderOptions) -> str:
    w = _WORDS.get(options.lang, _WORDS["zh"])
    counts = summary(result)
    out = [f"## {w['title']}", "", f"| {w['metric']} | {w['count']} |", "|---|---:|"]
    for key in ("guides", "audited", "failed", "findings", "errors", "warnings", "info"):
        out.append(f"| {w[key]} | {counts[key]} |")
    if result.baseline:
        for key in ("new", "known", "fixed"):
            out.append(f"| {w[key]} | {result.baseline.get(key, 0)} |")
    out.append("")
    if not result.findings and not result.errors and not (result.baseline or {}).get("fixed"):
        out.append(w["clean"])
        return "\n".join(out) + "\n"

    metas = {m.id: m for m in rules_of(result, options.lang)}
    per_rule = Counter(f.rule_id for f in result.findings)
    if per_rule:
        out += [f"### {w['by_rule']}", "", f"| {w['rule']} | | {w['severity']} | {w['facet']} | {w['count']} |"]
        out.append("|---|---|---|---|---:|")
        for rule_id, n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            meta = metas.get(rule_id)
            title = (meta.title or meta.name) if meta else ""
            sev = max(f.severity for f in result.findings if f.rule_id == rule_id)
            facet = meta.facet if meta else ""
            facet_title = FACETS.get(facet, (facet, facet))[0 if options.lang == "zh" else 1]
            out.append(f"| {escape(rule_id)} | {escape(title)} | {sev} | {escape(facet_title)} | {n} |")
        out.append("")

    out += [f"### {w['by_guide']}", ""]
    listed = 0
    for g in result.guides:
        if not g.findings and not g.error:
            continue
        out.append(f"#### {escape(g.title)}")
        out.append(f"`{g.source.replace('`', '')}`")
        out.append("")
        if g.error:
            out.append(f"- ❌ {w['unreadable']}: {escape(g.error)}")
        for f in sorted(g.findings, key=lambda f: (-f.severity, f.rule_id)):
            if listed < MAX_FINDINGS:
                out.append(_finding_item(f))
            listed += 1
        out.append("")
    fixed = result.baseline.get("fixed_items") if result.baseline else None
    if isinstance(fixed, list) and fixed:
        out += [f"### {w['fixed']}", ""]
        for item in fixed[:MAX_FINDINGS]:
            evidence = escape(str(item.get("evidence", ""))[:120])
            out.append(
                f"- ✅ **{escape(str(item.get('rule', '')))}** {escape(str(item.get('guide', '')))} 「{evidence}」"
            )
        out.append("")
    if listed > MAX_FINDINGS:
        out.append(f"_{w['more'].format(n=listed - MAX_FINDINGS)}_")
        out.append("")
    return "\n".join(out) + "\n"
