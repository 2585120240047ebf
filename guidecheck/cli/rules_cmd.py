"""`guidecheck rules` (the rule list) and `guidecheck explain ID` (one rule's documentation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from guidecheck.checks import CHECK_KINDS
from guidecheck.cli._app import app
from guidecheck.engine import Rule, conditions, load_ruleset
from guidecheck.engine.rule import RuleDoc, RuleSource
from guidecheck.findings import FACETS, Severity
from guidecheck.report.console import SafeConsole
from guidecheck.suppress import META_RULES, MetaRule

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

RulesDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule folder (TOML packs, term lists); repeatable. Overrides built-in rules."),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of titles and docs: zh or en.")]


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r}: choose zh or en", param_hint="--lang")
    return lang


@app.command("rules")
def rules_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (a table) or json.")] = "text",
    rules: RulesDirOpt = None,
    lang: LangOpt = "zh",
    kinds: Annotated[
        bool, typer.Option("--kinds", help="List the check kinds a rule pack can use, with their parameters.")
    ] = False,
) -> int:
    """List every rule: id, name, facet, severity and title."""
    lang = _lang(lang)
    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"{fmt!r}: choose text or json", param_hint="--format")
    if kinds:
        return _print_kinds(fmt)
    # The suppression meta rules (GC01, GC02) come last: they report in every format, so they are listed.
    listed = [*load_ruleset(rules or ()).rules, *(_meta_as_rule(m) for m in META_RULES.values())]
    console = SafeConsole(highlight=False, soft_wrap=fmt == "json")
    if fmt == "json":
        console.out(json.dumps([r.to_dict() for r in listed], ensure_ascii=False, indent=2))
        return 0
    table = Table(title=f"guidecheck rules ({len(listed)})", title_justify="left")
    for column in ("id", "name", "facet", "severity", "title"):
        table.add_column(column, no_wrap=column in ("id", "severity", "facet"), overflow="fold")
    for rule in listed:
        table.add_row(
            rule.id,
            rule.name,
            rule.facet,
            Text(str(rule.severity), style=_SEVERITY_STYLE[rule.severity]),
            rule.title_for(lang),
        )
    console.print(table)
    return 0


@app.command("explain")
def explain_command(
    rule_id: Annotated[
        str | None,
        typer.Argument(metavar="ID", help="A rule id, alias or name (MAT01, M1, materials.catch-all)."),
    ] = None,
    rules: RulesDirOpt = None,
    lang: LangOpt = "zh",
    scoring: Annotated[bool, typer.Option("--scoring", help="Explain how scores are computed instead.")] = False,
) -> int:
    """Explain one rule: what it checks, why, its source, a failing and a passing example, its parameters."""
    lang = _lang(lang)
    if scoring:  # the scoring method lives with `guidecheck scoring` (cli/rank_cmd.py)
        from guidecheck.cli.rank_cmd import scoring_text

        SafeConsole(highlight=False, soft_wrap=True).print(scoring_text(lang, list(load_ruleset(rules or ()).rules)))
        return 0
    if not rule_id:
        raise typer.BadParameter("name a rule (e.g. MAT01), or use --scoring", param_hint="ID")
    meta = next((m for m in META_RULES.values() if rule_id.strip() in (m.id, m.id.lower(), m.name)), None)
    # unknown → GuidecheckError with the closest ids (exit 2)
    rule = _meta_as_rule(meta) if meta else load_ruleset(rules or ()).get(rule_id)
    SafeConsole(highlight=False).print(render_rule(rule, lang))
    return 0


def _meta_as_rule(meta: MetaRule) -> Rule:
    """A suppression meta rule shown like any rule."""

    def doc(key: str, lang: str) -> str:
        return meta.doc[key].get(lang) or meta.doc[key]["zh"]

    return Rule(
        id=meta.id,
        name=meta.name,
        facet=meta.facet,
        severity=meta.severity,
        weight=meta.weight,
        title=meta.title,
        message=meta.message,
        source=RuleSource(("guidecheck",), "guidecheck's own check of guidecheck-disable comments"),
        doc=RuleDoc(
            what=doc("what", "en"),
            why=doc("why", "en"),
            fail=doc("fail", "en"),
            pass_=doc("pass", "en"),
            zh={k: doc(k, "zh") for k in ("what", "why", "fail", "pass")},
        ),
        check="suppression",
        params={},
        file="guidecheck/suppress.py",
    )


def _print_kinds(fmt: str) -> int:
    """The check kinds with their documentation (module docstrings): for authors of rule packs."""
    console = SafeConsole(highlight=False, soft_wrap=fmt == "json")
    if fmt == "json":
        console.out(json.dumps({name: kind.doc for name, kind in CHECK_KINDS.items()}, ensure_ascii=False, indent=2))
        return 0
    for name, kind in CHECK_KINDS.items():
        console.print(Panel(Text(kind.doc), title=name, title_align="left", expand=False))
    console.print(
        Panel(Text((conditions.__doc__ or "").strip()), title="[rule.when]", title_align="left", expand=False)
    )
    return 0


def render_rule(rule: Rule, lang: str = "zh") -> Panel:
    """One rule's documentation as a rich renderable (also used by other reports)."""
    zh = lang != "en"
    facet = FACETS[rule.facet][0 if zh else 1]
    head = Text.assemble(
        (f"{rule.id}  ", "bold"),
        (rule.name, "bold cyan"),
        "\n",
        (str(rule.severity), _SEVERITY_STYLE[rule.severity]),
        f" · {rule.facet} ({facet}) · weight {rule.weight:g}",
        f" · aliases: {', '.join(rule.aliases)}" if rule.aliases else "",
    )
    labels = (
        ("检查内容", "原因", "依据", "不合格示例", "合格示例", "参数", "适用条件", "消息")
        if zh
        else (
            "What it checks",
            "Why",
            "Source",
            "Failing example",
            "Passing example",
            "Parameters",
            "Applies when",
            "Message",
        )
    )
    sections: list[object] = [head, ""]

    def section(title: str, body: str, style: str = "") -> None:
        sections.append(Text(title, style="bold underline"))
        sections.append(Text(body, style=style))
        sections.append("")

    section(labels[0], rule.doc.text("what", lang))
    section(labels[1], rule.doc.text("why", lang))
    section(labels[2], f"{', '.join(rule.source.ids)} — {rule.source.text}")
    section(labels[3], rule.doc.text("fail", lang), "red")
    section(labels[4], rule.doc.text("pass", lang), "green")
    section(labels[7], rule.message_for(lang))
    if rule.when:
        section(labels[6], json.dumps(rule.when, ensure_ascii=False))
    params = json.dumps({"check": rule.check, **rule.params}, ensure_ascii=False, indent=2)
    section(labels[5], params)
    sections.append(Text(f"{rule.file}", style="dim"))
    return Panel(Group(*sections), title=escape(rule.title_for(lang)), title_align="left", expand=False)
