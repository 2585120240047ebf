"""`guidecheck stats DEPT… | --all`: catalogue statistics of a portal's departments (seed 002's figures)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from guidecheck.cli._app import app
from guidecheck.cli._options import ConfigOpt, NoConfigOpt, RulesOpt
from guidecheck.cli._portal_run import (
    ConcurrencyOpt,
    LangOpt,
    NoCacheOpt,
    PortalOpt,
    ProfileOpt,
    QuietOpt,
    RateOpt,
    TextJsonOpt,
    audit_departments,
    check_text_json,
    department_label,
    portal_settings,
)
from guidecheck.errors import GuidecheckError
from guidecheck.printable import json_dumps
from guidecheck.report.console import SafeConsole
from guidecheck.stats import TIME_BUCKETS, UNSTATED, CatalogueStats, run_stats

_W = {
    "zh": {
        "guides": "指南数",
        "types": "事项类型",
        "case": "办件类型",
        "online": "可网办",
        "visits": "到办事现场次数",
        "v0": "0 次",
        "v1": "1 次",
        "v2": "2 次及以上",
        "unstated": "未说明",
        "time": "办结时限（折算为工作日）",
        "legal": "平均法定时限",
        "promised": "平均承诺时限",
        "ratio": "压缩比（承诺/法定）",
        "pairs": "同时载明两者的指南",
        "dist": "承诺时限分布",
        "b0": "即办",
        "b1": "1 天",
        "b2-10": "2–10 天",
        "b11-30": "11–30 天",
        "b30+": "30 天以上",
        "flowchart": "有流程图",
        "samples": "表格均有示例样表",
        "copies": "材料均注明份数",
        "by_dept": "各部门",
        "all": "全部部门",
        "units": (
            "换算：工作日 ×1，自然日 ×5/7，日/天 ×5/7（行政许可按工作日 ×1），月 ×21.75，年 ×250，小时 ÷8，即办 = 0"
        ),
        "days": "个工作日",
    },
    "en": {
        "guides": "Guides",
        "types": "Items by type",
        "case": "Case type",
        "online": "Online (网办)",
        "visits": "Visits in person",
        "v0": "0",
        "v1": "1",
        "v2": "2 or more",
        "unstated": "not stated",
        "time": "Time limits (in working days)",
        "legal": "Mean legal limit",
        "promised": "Mean promised limit",
        "ratio": "Compression (promised/legal)",
        "pairs": "guides stating both",
        "dist": "Promised time",
        "b0": "immediate",
        "b1": "1 day",
        "b2-10": "2–10 days",
        "b11-30": "11–30 days",
        "b30+": "over 30 days",
        "flowchart": "With a flowchart",
        "samples": "Every form has a sample",
        "copies": "Every material's copies stated",
        "by_dept": "By department",
        "all": "All departments",
        "units": "Units: working day ×1, calendar day ×5/7, 日/天 ×5/7 (a licence's: ×1), month ×21.75, year ×250, "
        "hour ÷8, 即办 = 0",
        "days": "working days",
    },
}


def _pct(count: int, of: int) -> str:
    return f"{count / of:.1%} ({count}/{of})" if of else f"— (0/{of})"


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def render_stats(s: CatalogueStats, lang: str, title: str) -> Group:
    w = _W[lang]
    table = Table(title=title, title_style="bold", show_header=False, pad_edge=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(max_width=100)

    def counts(items: dict[str, int]) -> str:
        return "；".join(f"{k or w['unstated']} {v} ({v / s.guides:.0%})" for k, v in items.items() if v) or "—"

    table.add_row(w["guides"], str(s.guides))
    table.add_row(w["types"], counts(s.item_types))
    table.add_row(w["case"], counts(s.case_types))
    table.add_row(w["online"], _pct(s.online, s.guides))
    labels = {"0": w["v0"], "1": w["v1"], "2+": w["v2"], UNSTATED: w["unstated"]}
    table.add_row(w["visits"], counts({labels[k]: v for k, v in s.visits.items()}) if s.guides else "—")
    ratio = "—" if s.compression is None else f"{s.compression:.1%}"
    table.add_row(
        w["time"],
        f"{w['legal']} {_num(s.mean_legal_days)} · {w['promised']} {_num(s.mean_promised_days)} · "
        f"{w['ratio']} {ratio} ({w['pairs']}: {s.time_pairs})",
    )
    table.add_row(w["dist"], "；".join(f"{w['b' + k]} {s.promised_distribution[k]}" for k in TIME_BUCKETS))
    table.add_row(w["flowchart"], _pct(s.with_flowchart, s.guides))
    table.add_row(w["samples"], _pct(s.with_samples, s.with_forms))
    table.add_row(w["copies"], _pct(s.with_copies, s.with_materials))
    return Group(table, Text(w["units"], style="dim"))


def render_department_table(per: dict[str, CatalogueStats], lang: str) -> Table:
    w = _W[lang]
    table = Table(title=w["by_dept"], title_style="bold", header_style="bold", pad_edge=False)
    table.add_column("", no_wrap=True)
    for head in (w["guides"], "即办件", w["online"], w["v0"], w["legal"], w["promised"], w["ratio"]):
        table.add_column(head, justify="right")
    table.add_column(w["flowchart"], justify="right")
    for name, s in per.items():
        table.add_row(
            department_label(name, lang),
            str(s.guides),
            f"{s.share(s.case_types.get('即办件', 0)) or 0:.0%}",
            f"{s.share(s.online) or 0:.0%}",
            f"{s.share(s.visits.get('0', 0)) or 0:.0%}",
            _num(s.mean_legal_days),
            _num(s.mean_promised_days),
            "—" if s.compression is None else f"{s.compression:.0%}",
            f"{s.share(s.with_flowchart) or 0:.0%}",
        )
    return table


@app.command("stats")
def stats_command(
    departments: Annotated[
        list[str] | None, typer.Argument(help="Department name(s), as for `audit`.", show_default=False)
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every department of the portal.")] = False,
    portal: PortalOpt = None,
    profile: ProfileOpt = None,
    fmt: TextJsonOpt = "text",
    lang: LangOpt = None,
    rules: RulesOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    rate: RateOpt = None,
    quiet: QuietOpt = False,
) -> int:
    """Catalogue statistics: items by type, 即办件/承诺件, 网办 share, visits, 法定 vs 承诺 days and their
    compression ratio, guides with a flowchart, with sample forms, with every material's copies stated."""
    ruleset, lang, portal = portal_settings(lang=lang, rules=rules, config=config, no_config=no_config, portal=portal)
    fmt = check_text_json(fmt)
    if all_ and departments:
        raise typer.BadParameter("give department names or --all, not both")
    if not all_ and not departments:
        raise typer.BadParameter("name a department (e.g. 规划和自然资源局) or use --all", param_hint="DEPT")
    result = audit_departments(
        None if all_ else departments,
        portal=portal,
        profile=profile,
        lang=lang,
        ruleset=ruleset,
        no_cache=no_cache,
        quiet=quiet,
        concurrency=concurrency,
        rate=rate,
    )
    total, per = run_stats(result)
    if not total.guides:
        raise GuidecheckError("no guide could be read: nothing to count")
    if fmt == "json":
        doc = {
            "portal": result.portal,
            "departments": result.departments,
            "failed": len(result.errors),
            "all": total.to_dict(),
            "by_department": {name: s.to_dict() for name, s in per.items()},
        }
        sys.stdout.write(json_dumps(doc, indent=2) + "\n")
        return 0
    console = SafeConsole(highlight=False, width=max(SafeConsole().width, 130))
    title = _W[lang]["all"] if all_ or len(per) > 1 else department_label(next(iter(per)), lang)
    console.print(render_stats(total, lang, title))
    if len(per) > 1:
        console.print()
        console.print(render_department_table(per, lang))
    return 0
