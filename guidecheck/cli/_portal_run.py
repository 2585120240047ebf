"""Shared by `rank`, `stats` and `report`: audit (part of) a portal through the crawler, record history.

These commands read whole departments, so they use the crawler's core (`open_portal` + `audit_portal`)
exactly as `guidecheck audit` does, with its polite defaults and its cache.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from guidecheck import history
from guidecheck.cli._app import stderr
from guidecheck.cli._options import CommonArgs, load_rules, settings_for
from guidecheck.crawl.pipeline import CrawlOptions, audit_portal, open_portal
from guidecheck.crawl.politeness import Politeness
from guidecheck.errors import GuidecheckError
from guidecheck.results import RunResult

if TYPE_CHECKING:
    from guidecheck.engine import RuleSet

PortalOpt = Annotated[
    str | None,
    typer.Option("--portal", help="Portal URL or profile (as for `audit`). Default: the bundled sample portal."),
]
ProfileOpt = Annotated[str | None, typer.Option("--profile", help="Portal profile to navigate a --portal URL with.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Language: zh or en. [default: zh]")]
HistoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help=f"Audit history file (SQLite). Default: ${history.ENV_VAR} or {history.default_path()}.",
        show_default=False,
    ),
]
NoHistoryOpt = Annotated[bool, typer.Option("--no-history", help="Do not save this audit in the history.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not use the crawl cache.")]
ConcurrencyOpt = Annotated[
    int | None, typer.Option("--concurrency", min=1, help="Requests in flight per host (default: polite, as `audit`).")
]
RateOpt = Annotated[
    float | None, typer.Option("--rate", min=0.0, help="Requests per second per host; 0 = no limit (default: polite).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
TextJsonOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")]


def check_lang(lang: str | None) -> str:
    lang = (lang or "zh").strip().lower()
    if lang not in ("zh", "en"):
        raise GuidecheckError(f"--lang {lang!r}: choose zh or en")
    return lang


def check_text_json(fmt: str) -> str:
    fmt = fmt.strip().lower()
    if fmt not in ("text", "json"):
        raise GuidecheckError(f"--format {fmt!r}: choose text or json")
    return fmt


def portal_settings(
    *, lang: str | None, rules: list[Path] | None, config: Path | None, no_config: bool, portal: str | None
) -> tuple[RuleSet, str, str | None]:
    """The rules, language and portal a portal command uses: its options over guidecheck.toml (found from
    the working directory, as for `audit`) over the defaults."""
    args = CommonArgs(fmt="text", lang=lang, rules=rules, config=config, no_config=no_config)
    settings = settings_for(args, Path.cwd())
    return load_rules(settings), settings.lang, portal or settings.portal


def audit_departments(
    departments: list[str] | None,
    *,
    portal: str | None,
    profile: str | None,
    lang: str,
    ruleset: RuleSet | None = None,
    no_cache: bool = False,
    quiet: bool = False,
    concurrency: int | None = None,
    rate: float | None = None,
) -> RunResult:
    """Crawl and audit `departments` (None = all) with `ruleset` (default: the built-in rules).

    Politeness defaults to the crawler's (polite for a real portal, unlimited for the bundled one) unless
    `concurrency` or `rate` is given."""
    from guidecheck.engine import load_ruleset

    ruleset = ruleset or load_ruleset()
    politeness = None
    if concurrency is not None or rate is not None:
        base = Politeness()
        politeness = Politeness(
            concurrency=base.concurrency if concurrency is None else concurrency,
            rate=base.rate if rate is None else rate,
        )
    options = CrawlOptions(politeness=politeness, cache=None) if no_cache else CrawlOptions(politeness=politeness)
    with open_portal(portal, profile=profile) as site:
        if not quiet:
            stderr.print(Text.assemble(("auditing ", "bold"), site.label), soft_wrap=True)
        if quiet or not sys.stderr.isatty():
            return audit_portal(site, departments, ruleset, lang=lang, options=options)
        with Progress(
            TextColumn("auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        ) as bar:
            task = bar.add_task("auditing", total=None)

            def update(done: int, total: int, _source: str) -> None:
                bar.update(task, completed=done, total=max(total, done) or None)

            return audit_portal(site, departments, ruleset, lang=lang, options=options, progress=update)


def audit_and_record(
    departments: list[str] | None,
    *,
    purpose: str,
    history_path: Path | None,
    no_history: bool,
    quiet: bool = False,
    **audit_options: object,
) -> RunResult:
    """`audit_departments`, refusing a portal that lists nothing to `purpose`, then saved to the history."""
    result = audit_departments(departments, quiet=quiet, **audit_options)  # type: ignore[arg-type]
    if not result.guides:
        raise GuidecheckError(f"the portal lists no guides to {purpose}")
    if not no_history:
        save_history(result, history_path, quiet=quiet)
    return result


def save_history(result: RunResult, path: Path | None, *, quiet: bool = False) -> int | None:
    """Record the audit; a history that cannot be written is a warning, not a lost audit."""
    try:
        run_id = history.record(result, path)
    except GuidecheckError as err:
        stderr.print(Text.assemble(("warning: ", "bold yellow"), f"audit not saved in the history: {err}"))
        return None
    if not quiet:
        stderr.print(Text(f"saved as run {run_id} in {history.resolve_path(path)}", style="dim"), soft_wrap=True)
    return run_id


def department_label(name: str, lang: str) -> str:
    return name or ("(no department)" if lang == "en" else "（未分部门）")
