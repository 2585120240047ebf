"""`guidecheck check PATH...`: audit saved guide files and folders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from guidecheck.api import check_paths, collect_files
from guidecheck.cli._app import app, stderr
from guidecheck.cli._output import check_format, exit_code, parse_fail_on, write_outputs

PROGRESS_FROM = 20
"""Show a progress bar on stderr from this many files on (and only on a terminal)."""

RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule folder (TOML packs, term lists); repeatable. Overrides built-in rules."),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Message language: zh or en.")]
FailOnOpt = Annotated[
    str, typer.Option("--fail-on", help="Exit 1 when a finding is at or above: error, warning, info, never.")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format (text, json, …).")]


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r}: choose zh or en", param_hint="--lang")
    return lang


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Guide files or folders (.html .htm .txt .md .json).")],
    fmt: FormatOpt = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    fail_on: FailOnOpt = "error",
    lang: LangOpt = "zh",
    rules: RulesOpt = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Run only these rules or groups (id, alias, MAT, flow …).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules or groups.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> int:
    """Check saved guide pages and print every finding."""
    from guidecheck.engine import load_ruleset

    lang = check_lang(lang)
    threshold = parse_fail_on(fail_on)
    check_format(fmt)
    ruleset = load_ruleset(rules or (), select=select or (), ignore=ignore or ())
    total = len(collect_files(paths))
    if quiet or total < PROGRESS_FROM or not sys.stderr.isatty():
        result = check_paths(paths, ruleset, lang)
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
            result = check_paths(paths, ruleset, lang, progress=lambda done, _t, _s: bar.update(task, completed=done))
    write_outputs(result, fmt, lang=lang, output=output)
    return exit_code(result, threshold)
