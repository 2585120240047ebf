"""`guidecheck check PATH...`: audit saved guide files and folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from guidecheck.api import check_paths, collect_files, default_jobs
from guidecheck.cli._app import app, stderr
from guidecheck.cli._options import (
    AlsoOpt,
    BaselineOpt,
    CommonArgs,
    ConfigOpt,
    FailOnOpt,
    FormatOpt,
    IgnoreOpt,
    LangOpt,
    NoConfigOpt,
    OutputJsonOpt,
    OutputJunitOpt,
    OutputMarkdownOpt,
    OutputOpt,
    OutputSarifOpt,
    RulesOpt,
    SelectOpt,
    SeverityOpt,
    WriteBaselineOpt,
    finish,
    load_rules,
    settings_for,
)

PROGRESS_FROM = 20
"""Show a progress bar on stderr from this many files on (and only on a terminal)."""

# Shared with `audit` (cli/_options.py); re-exported here for modules that import them from check_cmd.
__all__ = ["FailOnOpt", "FormatOpt", "LangOpt", "RulesOpt", "check", "check_lang"]


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r}: choose zh or en", param_hint="--lang")
    return lang


def config_start(paths: list[Path]) -> Path:
    """Where the config search starts: the checked paths' common folder (so `guidecheck check repo/`
    finds repo/guidecheck.toml from anywhere), or the working directory when they share none."""
    try:
        common = Path(os.path.commonpath([p.resolve() for p in paths]))
    except ValueError:
        return Path.cwd()
    return common if common.is_dir() else common.parent


@app.command()
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Guide files or folders (.html .htm .txt .md .json .guide.toml).")
    ],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    lang: LangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    severity: SeverityOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = None,
    output_sarif: OutputSarifOpt = None,
    output_junit: OutputJunitOpt = None,
    output_json: OutputJsonOpt = None,
    output_markdown: OutputMarkdownOpt = None,
    also: AlsoOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes (default: every core from 50 files on, else 1). Same findings either way.",
        ),
    ] = None,
) -> int:
    """Check saved guide pages and guide files and print every finding.

    Settings come from the command line, then guidecheck.toml (or [tool.guidecheck] in pyproject.toml)
    found upward from the checked folder, then the defaults.
    """
    args = CommonArgs(
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        lang=lang,
        rules=rules,
        select=select,
        ignore=ignore,
        severity=severity,
        config=config,
        no_config=no_config,
        baseline=baseline,
        write_baseline=write_baseline,
        output_sarif=output_sarif,
        output_junit=output_junit,
        output_json=output_json,
        output_markdown=output_markdown,
        also=also,
    )
    settings = settings_for(args, config_start(paths))
    ruleset = load_rules(settings)
    lang = settings.lang
    total = len(collect_files(paths))
    jobs = jobs or default_jobs(total)
    if quiet or total < PROGRESS_FROM or not sys.stderr.isatty():
        result = check_paths(paths, ruleset, lang, jobs=jobs)
    else:
        with Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=stderr,
            transient=True,
        ) as bar:
            task = bar.add_task("check", total=total)
            result = check_paths(
                paths, ruleset, lang, progress=lambda done, _t, _s: bar.update(task, completed=done), jobs=jobs
            )
    return finish(result, settings)
