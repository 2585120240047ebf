"""`guidecheck report --out report.html [DEPT…|--all]`: audit, save to the history, write the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
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
    audit_and_record,
    portal_settings,
)
from guidecheck.errors import GuidecheckError
from guidecheck.report.html_report import build_html


@app.command("report")
def report_command(
    departments: Annotated[
        list[str] | None,
        typer.Argument(help="Department name(s), as for `audit`. Default: every department.", show_default=False),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("report.html"),
    all_: Annotated[bool, typer.Option("--all", help="Every department of the portal (the default).")] = False,
    portal: PortalOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    history_path: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    no_cache: NoCacheOpt = False,
    concurrency: ConcurrencyOpt = None,
    rate: RateOpt = None,
    quiet: QuietOpt = False,
) -> int:
    """Audit departments and write one self-contained HTML report (no network needed to open it).

    The report shows the ranking, facet breakdown, most frequent rules, catalogue statistics, the score
    trend from the audit history (this audit is saved there first) and every guide's findings.
    """
    ruleset, lang, portal = portal_settings(lang=lang, rules=rules, config=config, no_config=no_config, portal=portal)
    if all_ and departments:
        raise typer.BadParameter("give department names or --all, not both")
    result = audit_and_record(
        departments or None,
        purpose="report on",
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
    names = sorted({g.department for g in result.guides})
    trends = history.read_trends(names, history_path)
    page = build_html(result, lang, trends=trends, history_label=str(history.resolve_path(history_path)))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as err:
        raise GuidecheckError(f"{out}: cannot write: {err.strerror or err}") from None
    if not quiet:
        stderr.print(Text(f"report written to {out} ({len(page) // 1024} KiB)", style="bold"), soft_wrap=True)
    return 0
