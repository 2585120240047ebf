"""`guidecheck history DEPT`: a department's score over its saved audits, and what changed last time."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from guidecheck import history
from guidecheck.cli._app import app
from guidecheck.cli._portal_run import HistoryOpt, LangOpt, TextJsonOpt, check_lang, check_text_json
from guidecheck.crawl.departments import Department, match_department
from guidecheck.errors import GuidecheckError
from guidecheck.history import Changes, FindingRow, TrendPoint
from guidecheck.printable import json_dumps
from guidecheck.report.console import SafeConsole

_SPARK = "▁▂▃▄▅▆▇█"
LIST_LIMIT = 50

_W = {
    "zh": {
        "trend": "{dept} 得分趋势",
        "run": "批次",
        "when": "时间 (UTC)",
        "score": "得分",
        "delta": "变化",
        "audited": "已审核",
        "failed": "无法审核",
        "findings": "问题",
        "new": "新增问题 {n} 条（与批次 {prev} 相比）",
        "fixed": "已修复 {n} 条",
        "first": "首次审核：{n} 条问题均为新增",
        "unchanged": "未变 {n} 条",
        "not_reaudited": "另有 {n} 条所在指南本次未能审核，不计为已修复",
        "more": "… 另有 {n} 条（用 --format json 查看全部）",
    },
    "en": {
        "trend": "{dept}: score trend",
        "run": "Run",
        "when": "When (UTC)",
        "score": "Score",
        "delta": "Change",
        "audited": "Audited",
        "failed": "Failed",
        "findings": "Findings",
        "new": "{n} new findings (against run {prev})",
        "fixed": "{n} fixed",
        "first": "First audit: all {n} findings are new",
        "unchanged": "{n} unchanged",
        "not_reaudited": "{n} more were on guides not audited this time; not counted as fixed",
        "more": "… {n} more (see --format json)",
    },
}


def sparkline(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    out = ""
    for v in values:
        if v is None:
            out += " "
        else:
            out += _SPARK[0 if hi == lo else round((v - lo) / (hi - lo) * (len(_SPARK) - 1))]
    return out


def _trend_table(points: list[TrendPoint], lang: str, dept: str) -> Table:
    w = _W[lang]
    table = Table(title=w["trend"].format(dept=dept), title_style="bold", header_style="bold", pad_edge=False)
    for head, right in ((w["run"], True), (w["when"], False), (w["score"], True), (w["delta"], True),
                        (w["audited"], True), (w["failed"], True), (w["findings"], True)):  # fmt: skip
        table.add_column(head, justify="right" if right else "left")
    previous: float | None = None
    for p in points:
        delta = ""
        if p.score is not None and previous is not None:
            change = p.score - previous
            delta = Text(f"{change:+.2f}", style="green" if change > 0 else "red" if change < 0 else "dim")
        table.add_row(
            str(p.run_id),
            p.started_at.replace("T", " ").rstrip("Z"),
            "—" if p.score is None else f"{p.score:.2f}",
            delta,
            str(p.audited),
            str(p.failed),
            str(p.findings),
        )
        previous = p.score if p.score is not None else previous
    return table


def _finding_line(f: FindingRow, mark: str, style: str) -> Text:
    evidence = " ".join(f.evidence.split())
    if len(evidence) > 60:
        evidence = evidence[:59] + "…"
    return Text.assemble(
        (f"  {mark} ", style), (f"{f.rule_id:<7}", "bold"), f"{f.guide_title}  ", (f"「{evidence}」", "dim")
    )


def _changes_block(console: Console, c: Changes, lang: str) -> None:
    w = _W[lang]
    if c.previous_run is None:
        console.print(Text(w["first"].format(n=len(c.new)), style="bold"))
        return
    console.print(Text(w["new"].format(n=len(c.new), prev=c.previous_run), style="bold red" if c.new else "bold"))
    for f in c.new[:LIST_LIMIT]:
        console.print(_finding_line(f, "+", "red"))
    if len(c.new) > LIST_LIMIT:
        console.print(Text(w["more"].format(n=len(c.new) - LIST_LIMIT), style="dim"))
    console.print(Text(w["fixed"].format(n=len(c.fixed)), style="bold green" if c.fixed else "bold"))
    for f in c.fixed[:LIST_LIMIT]:
        console.print(_finding_line(f, "−", "green"))
    if len(c.fixed) > LIST_LIMIT:
        console.print(Text(w["more"].format(n=len(c.fixed) - LIST_LIMIT), style="dim"))
    console.print(Text(w["unchanged"].format(n=c.unchanged), style="dim"))
    if c.not_reaudited:
        console.print(Text(w["not_reaudited"].format(n=c.not_reaudited), style="yellow"))


def find_department(query: str, known: list[str], path: object = "the history") -> str:
    """The recorded department `query` names (full, partial or city-less name), as `audit` matches them."""
    if query in known:
        return query
    named = [n for n in known if n]  # a damaged row can hold an empty name: match_department wants names
    if not named:
        raise GuidecheckError(f"{path}: no audit of a department in this history yet (run `guidecheck audit`)")
    return match_department(query, [Department(code="", name=n, url="") for n in named]).name


@app.command("history")
def history_command(
    department: Annotated[str, typer.Argument(help="Department name, as for `audit`.", show_default=False)],
    history_path: HistoryOpt = None,
    fmt: TextJsonOpt = "text",
    lang: LangOpt = "zh",
) -> int:
    """A department's score trend over its saved audits, and the findings new and fixed since the one before.

    Findings are matched by fingerprint (guide, rule, normalised evidence), so edits elsewhere in a guide
    do not make old findings look new. Every `guidecheck audit` and `rank` saves an audit.
    """
    lang = check_lang(lang)
    fmt = check_text_json(fmt)
    with history.opened(history_path, create=False) as h:
        dept = find_department(department, h.departments(), h.path)
        points = h.trend(dept)
        changes = h.changes(dept)
        path = str(h.path)
    if changes is None:  # listed, but its runs are gone: a damaged file
        raise GuidecheckError(f"{path}: {dept} is listed but none of its audits can be read (a damaged history?)")
    if fmt == "json":
        doc = {
            "history": path,
            "department": dept,
            "trend": [
                {"run": p.run_id, "at": p.started_at, "score": p.score, "audited": p.audited, "failed": p.failed,
                 "findings": p.findings}
                for p in points
            ],
            "latest_run": changes.latest_run,
            "previous_run": changes.previous_run,
            "new": [f.to_dict() for f in changes.new],
            "fixed": [f.to_dict() for f in changes.fixed],
            "unchanged": changes.unchanged,
            "not_reaudited": changes.not_reaudited,
        }  # fmt: skip
        sys.stdout.write(json_dumps(doc, indent=2) + "\n")
        return 0
    console = SafeConsole(highlight=False)
    console.print(_trend_table(points, lang, dept))
    spark = sparkline([p.score for p in points])
    if len(points) > 1 and spark:
        console.print(Text(f"  {spark}", style="cyan"))
    _changes_block(console, changes, lang)
    return 0
