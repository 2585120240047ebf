"""`guidecheck rank`: the league table of departments; `guidecheck scoring`: how scores are computed.

`rank` audits every department of the portal (default: the bundled sample portal) through the crawler
and saves the audit in the history, so a later `rank --from-history` or `history DEPT` can use it.
`--from-history` ranks from each department's latest saved audit instead, without crawling.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from guidecheck import history
from guidecheck.cli._app import app, stderr
from guidecheck.cli._options import ConfigOpt, NoConfigOpt, RulesOpt
from guidecheck.cli._portal_run import (
    ConcurrencyOpt,
    HistoryOpt,
    LangOpt,
    NoCacheOpt,
    NoHistoryOpt,
    PortalOpt,
    ProfileOpt,
    QuietOpt,
    RateOpt,
    TextJsonOpt,
    audit_and_record,
    check_lang,
    check_text_json,
    department_label,
    portal_settings,
)
from guidecheck.errors import GuidecheckError
from guidecheck.findings import FACETS
from guidecheck.printable import json_dumps
from guidecheck.report.console import SafeConsole
from guidecheck.score import FACET_WEIGHTS, League, facet_label, league, league_from

_HEAD = {
    "zh": ("名次", "部门", "得分", "无错误占比", "指南", "无法审核", "问题", "最常见规则"),
    "en": ("Rank", "Department", "Score", "No error", "Guides", "Failed", "Findings", "Top rules"),
}
_FACET_SHORT = {
    "zh": {"completeness": "基本信息", "materials": "材料", "flow": "流程", "consistency": "一致"},
    "en": {"completeness": "Info", "materials": "Materials", "flow": "Flow", "consistency": "Consist."},
}


def _num(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _style(score: float | None) -> str:
    if score is None:
        return "dim"
    return "green" if score >= 90 else "cyan" if score >= 80 else "yellow" if score >= 70 else "red"


def render_league(table: League, lang: str, *, title: str) -> Table:
    head = _HEAD[lang]
    out = Table(title=title, title_style="bold", header_style="bold", show_lines=False, pad_edge=False)
    out.add_column(head[0], justify="right")
    out.add_column(head[1], no_wrap=True)
    out.add_column(head[2], justify="right")
    for k in FACETS:
        out.add_column(_FACET_SHORT[lang][k], justify="right")
    for h in head[3:7]:
        out.add_column(h, justify="right")
    out.add_column(head[7], no_wrap=True, overflow="ellipsis")
    for d in table.rows:
        top = ", ".join(f"{rule}×{n}" for rule, n in list(d.by_rule.items())[:3])
        out.add_row(
            str(d.rank) if d.rank else "—",
            department_label(d.department, lang),
            Text(_num(d.mean), style="bold " + _style(d.mean)),
            *(Text(_num(d.facet_means.get(k), 1), style=_style(d.facet_means.get(k))) for k in FACETS),
            "—" if d.no_error_share is None else f"{d.no_error_share:.0%}",
            str(d.guides),
            str(d.failed),
            str(d.findings),
            top,
        )
    return out


def _summary(table: League, lang: str) -> str:
    if lang == "en":
        return (
            f"{len(table.rows)} departments, average {_num(table.average)}; {table.guides} guides "
            f"({table.audited} audited, {table.failed} not audited), {table.findings} findings"
        )
    return (
        f"{len(table.rows)} 个部门，平均得分 {_num(table.average)}；指南 {table.guides} 份"
        f"（已审核 {table.audited}，无法审核 {table.failed}），问题 {table.findings} 条"
    )


@app.command("rank")
def rank_command(
    portal: PortalOpt = None,
    profile: ProfileOpt = None,
    fmt: TextJsonOpt = "text",
    lang: LangOpt = None,
    rules: RulesOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    from_history: Annotated[
        bool, typer.Option("--from-history", help="Rank from each department's latest saved audit; no crawling.")
    ] = False,
    history_path: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    rate: RateOpt = None,
    quiet: QuietOpt = False,
) -> int:
    """The league table of departments: mean guide score, facets, share without errors, findings per rule.

    Audits every department of the portal (and saves the audit in the history), or ranks from the
    history with --from-history. Equal scores (2 decimals) share a rank: 1, 2, 2, 4.
    """
    ruleset, lang, portal = portal_settings(lang=lang, rules=rules, config=config, no_config=no_config, portal=portal)
    fmt = check_text_json(fmt)
    source: dict[str, object]
    if from_history:
        with history.opened(history_path, create=False) as h:
            departments, when = h.latest_scores()
            path = str(h.path)
        if not departments:
            raise GuidecheckError(f"{path}: the history holds no audit yet (run `guidecheck audit --all`)")
        table = league_from(departments)
        source = {"from": "history", "history": path, "audited_at": when}
    else:
        result = audit_and_record(
            None,
            purpose="rank",
            history_path=history_path,
            no_history=no_history,
            quiet=quiet,
            portal=portal,
            profile=profile,
            lang=lang,
            ruleset=ruleset,
            no_cache=no_cache,
            concurrency=concurrency,
            rate=rate,
        )
        table = league(result)
        source = {"from": "audit", "portal": result.portal}
    if fmt == "json":
        sys.stdout.write(json_dumps({**source, **table.to_dict()}, indent=2) + "\n")
        return 0
    title = "部门排名（办事指南得分）" if lang == "zh" else "Department ranking (service guide scores)"
    console = SafeConsole(highlight=False, soft_wrap=False, width=max(140, SafeConsole().width))
    console.print(render_league(table, lang, title=title))
    console.print(Text(_summary(table, lang), style="bold"))
    return 0


def scoring_text(lang: str, rules: list[object]) -> Text:
    """The scoring method and every rule's deduction, as printed by `guidecheck scoring`."""
    zh = lang != "en"
    out = Text()
    out.append("评分方法\n" if zh else "How scores are computed\n", style="bold underline")
    lines_zh = [
        "· 每份指南按四个维度打分，每个维度满分 100。",
        "· 规则命中后按其权重（weight）扣分；同一规则在一份指南中无论命中几次只扣一次；维度最低 0 分。",
        "· 未设权重的规则按级别扣分：错误 10、警告 4、提示 1；权重为 0 的规则只报告不扣分。",
        "· 总分 = 四个维度得分的加权平均：",
        "· 无法抓取或读取的指南不计分，计入“无法审核”。",
        "· 部门得分 = 已审核指南总分的平均值，保留两位小数；按得分排名，同分同名次（1, 2, 2, 4）。",
        "· 无错误占比 = 没有任何“错误”级问题的已审核指南所占比例。",
    ]
    lines_en = [
        "· Each guide is scored on four facets, each out of 100.",
        "· A rule that fires deducts its weight, once per guide however often it fires; a facet floors at 0.",
        "· A rule without a weight deducts by severity: error 10, warning 4, info 1; weight 0 reports only.",
        "· Overall score = weighted mean of the facets:",
        "· A guide that could not be fetched or read gets no score and counts as not audited.",
        "· Department score = mean overall score of its audited guides, 2 decimals; equal scores share a rank "
        "(1, 2, 2, 4).",
        "· No-error share = audited guides without any error-severity finding.",
    ]
    lines = lines_zh if zh else lines_en
    for i, line in enumerate(lines):
        out.append(line + "\n")
        if i == 3:
            for k, w in FACET_WEIGHTS.items():
                out.append(f"    {facet_label(k, lang)} ({k}) {w:g}%\n")
    by_facet: dict[str, list[object]] = {}
    for r in rules:
        by_facet.setdefault(str(getattr(r, "facet", "")), []).append(r)
    for facet in FACETS:
        out.append(f"\n{facet_label(facet, lang)} ({facet})\n", style="bold")
        for r in sorted(by_facet.get(facet, []), key=lambda r: str(getattr(r, "id", ""))):
            title = getattr(r, "title", {}) or {}
            name = (title.get(lang) or title.get("zh") or "") if isinstance(title, dict) else str(title)
            out.append(f"  {getattr(r, 'id', '')!s:<7}", style="bold")
            out.append(f"−{float(getattr(r, 'weight', 0.0)):g}".ljust(6))
            out.append(f"{getattr(r, 'severity', '')!s:<8}", style="dim")
            out.append(f"{name}\n")
    out.append("\n" + ("详见 docs/scoring.md" if zh else "See docs/scoring.md") + "\n", style="dim")
    return out


@app.command("scoring")
def scoring_command(lang: LangOpt = "zh") -> int:
    """Explain how guide and department scores are computed, with every rule's deduction."""
    from guidecheck.engine import load_ruleset

    lang = check_lang(lang)
    SafeConsole(highlight=False, soft_wrap=True).print(scoring_text(lang, list(load_ruleset().rules)))
    return 0


__all__ = ["rank_command", "scoring_command", "stderr"]
