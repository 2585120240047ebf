"""`--format text`: findings grouped by guide and facet, then a summary line (rich, for people)."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from guidecheck.findings import FACETS, Finding, Severity
from guidecheck.report._english import counted
from guidecheck.report.console import SafeConsole
from guidecheck.results import GuideResult, RunResult

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_FACET_ORDER = list(FACETS)

_WORDS = {
    "zh": {
        "could_not": "无法审核",
        "summary": "共 {guides} 份指南，{findings} 条问题（错误 {errors}，警告 {warnings}，提示 {info}）",
        "failed": "；{failed} 份无法读取或抓取",
        "clean": "未发现问题",
        "portal": "门户：{portal}",
        "baseline": "；基线：新增 {new}，已知 {known}，已修复 {fixed}",
    },
    "en": {
        "could_not": "not audited",
        "summary": "{guides_en}, {findings_en} ({errors_en}, {warnings_en}, {info} info)",
        "failed": "; {failed} could not be read or fetched",
        "clean": "no findings",
        "portal": "portal: {portal}",
        "baseline": "; baseline: {new} new, {known} known, {fixed} fixed",
    },
}


_COUNTED = ("guides", "findings", "errors", "warnings")


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["zh"])


def _finding_line(f: Finding) -> Text:
    line = Text("    ")
    line.append(f"{f.severity!s:<8}", style=_STYLE[f.severity])
    line.append(f"{f.rule_id:<7}", style="bold")
    line.append(f.message)
    if f.evidence and f.evidence not in f.message:
        line.append("  「", style="dim")
        line.append(_clip(f.evidence, 80), style="dim")
        line.append("」", style="dim")
    if f.loc and (f.loc.path or f.loc.line):
        where = f"line {f.loc.line}" if f.loc.line else f.loc.path
        line.append(f"  @ {where}", style="dim")
    return line


def _clip(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _guide_block(console: Console, g: GuideResult, lang: str) -> None:
    head = Text()
    head.append(g.source, style="bold underline")
    if g.guide:
        head.append("  ")
        head.append(g.guide.title, style="bold")
    console.print(head)
    if g.error:
        console.print(Text.assemble("    ", (_words(lang)["could_not"] + ": ", "bold red"), g.error))
        return
    by_facet: dict[str, list[Finding]] = defaultdict(list)
    for f in g.findings:
        by_facet[f.facet].append(f)
    for facet in sorted(by_facet, key=lambda k: _FACET_ORDER.index(k) if k in _FACET_ORDER else 99):
        zh, en = FACETS.get(facet, (facet, facet))
        console.print(Text(f"  {zh if lang == 'zh' else en}", style="bold magenta"))
        for f in sorted(by_facet[facet], key=lambda f: (-f.severity, f.rule_id)):
            console.print(_finding_line(f))


def render(result: RunResult, options: RenderOptions) -> str:
    out = io.StringIO()
    console = SafeConsole(
        file=out,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )
    words = _words(options.lang)
    if result.portal:
        console.print(Text(words["portal"].format(portal=result.portal), style="bold"))
    for g in result.guides:
        if g.findings or g.error:
            _guide_block(console, g, options.lang)
    from guidecheck.report.json_report import summary

    counts = summary(result)
    line = words["summary"].format(**counts, **{f"{k}_en": counted(counts[k], k[:-1]) for k in _COUNTED})
    if counts["failed"]:
        line += words["failed"].format(**counts)
    if result.baseline:
        line += words["baseline"].format(**{k: result.baseline.get(k, 0) for k in ("new", "known", "fixed")})
    if not counts["findings"] and not counts["failed"]:
        line += " — " + words["clean"]
    console.print(Text(line, style="bold"))
    return out.getvalue()
