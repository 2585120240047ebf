"""Options shared by `check` and `audit`: formats and outputs, configuration, rules, baselines.

Both commands declare the same typer options (the `…Opt` types below), pack them into `CommonArgs`,
and call `settings_for` (CLI over config file over defaults), `load_rules`, then `finish` (baseline,
outputs, exit code). Keeping this in one place means the two commands cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from guidecheck import baseline as baselines
from guidecheck import exitcodes
from guidecheck.cli._app import stderr
from guidecheck.cli._output import check_format, exit_code, parse_fail_on, write_outputs
from guidecheck.config import Config, discover
from guidecheck.findings import Severity
from guidecheck.results import RunResult

if TYPE_CHECKING:
    from guidecheck.engine import RuleSet

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="Output format: text, json, sarif, junit, github, markdown … (github on GitHub Actions)."
    ),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on", help="Exit 1 when a finding is at or above: error, warning, info, never. [default: error]"
    ),
]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Message language: zh or en. [default: zh]")]
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", help="Extra rule folder (TOML packs, term lists, labels.toml); repeatable. Overrides built-ins."
    ),
]
SelectOpt = Annotated[
    list[str] | None, typer.Option("--select", help="Run only these rules or groups (id, alias, MAT, flow …).")
]
IgnoreOpt = Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules or groups.")]
SeverityOpt = Annotated[
    list[str] | None, typer.Option("--severity", help="Override a rule's severity: ID=error|warning|info; repeatable.")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Read this config file instead of searching for guidecheck.toml.")
]
NoConfigOpt = Annotated[bool, typer.Option("--no-config", help="Ignore guidecheck.toml and [tool.guidecheck].")]
BaselineOpt = Annotated[
    Path | None, typer.Option("--baseline", help="Report only findings not in this baseline file (exit code too).")
]
WriteBaselineOpt = Annotated[
    Path | None, typer.Option("--write-baseline", help="Record today's findings in this baseline file.")
]
OutputSarifOpt = Annotated[Path | None, typer.Option("--output-sarif", help="Also write SARIF 2.1.0 to this file.")]
OutputJunitOpt = Annotated[Path | None, typer.Option("--output-junit", help="Also write JUnit XML to this file.")]
OutputJsonOpt = Annotated[Path | None, typer.Option("--output-json", help="Also write JSON to this file.")]
OutputMarkdownOpt = Annotated[
    Path | None, typer.Option("--output-markdown", help="Also write a Markdown summary to this file.")
]
AlsoOpt = Annotated[
    list[str] | None,
    typer.Option("--also", help="Also write FORMAT to FILE, as FORMAT=FILE (e.g. html=report.html); repeatable."),
]


@dataclass(slots=True)
class CommonArgs:
    """The shared options as typed on the command line (None = not given)."""

    fmt: str | None = None
    output: Path | None = None
    fail_on: str | None = None
    lang: str | None = None
    rules: list[Path] | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: list[str] | None = None
    config: Path | None = None
    no_config: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    output_sarif: Path | None = None
    output_junit: Path | None = None
    output_json: Path | None = None
    output_markdown: Path | None = None
    also: list[str] | None = None


@dataclass(slots=True)
class Settings:
    """What a run uses after the command line, the config file and the defaults are merged."""

    fmt: str
    output: Path | None
    extra: dict[str, Path]
    lang: str
    fail_on: Severity | None
    select: list[str]
    ignore: list[str]
    severity: dict[str, str]
    rule_dirs: list[Path]
    area_code: str | None
    portal: str | None
    baseline: Path | None
    write_baseline: Path | None
    config: Config = field(default_factory=Config)
    history: Path | None = None
    """`audit --history`: where the html format reads score trends (None: the default history)."""


def default_format() -> str:
    """`github` inside GitHub Actions (annotations on the pull request), else `text`."""
    return "github" if os.environ.get("GITHUB_ACTIONS", "").lower() == "true" else "text"


def _severity_args(values: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value in values:
        rule, sep, level = value.partition("=")
        if not sep or not rule.strip() or level.strip().lower() not in ("error", "warning", "info"):
            raise typer.BadParameter(f"{value!r}: write ID=error, ID=warning or ID=info", param_hint="--severity")
        table[rule.strip()] = level.strip().lower()
    return table


def _extra_outputs(args: CommonArgs) -> dict[str, Path]:
    extra: dict[str, Path] = {}
    named = {
        "sarif": args.output_sarif,
        "junit": args.output_junit,
        "json": args.output_json,
        "markdown": args.output_markdown,
    }
    extra.update({name: path for name, path in named.items() if path is not None})
    for value in args.also or []:
        name, sep, path = value.partition("=")
        if not sep or not path.strip():
            raise typer.BadParameter(f"{value!r}: write FORMAT=FILE, e.g. sarif=out.sarif", param_hint="--also")
        extra[check_format(name.strip())] = Path(path.strip())
    return extra


def settings_for(args: CommonArgs, start: Path) -> Settings:
    """Merge the command line over the config file found from `start` over the defaults."""
    config = discover(start, args.config, enabled=not args.no_config)
    lang = (args.lang or config.lang or "zh").strip().lower()
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r}: choose zh or en", param_hint="--lang")
    fmt = check_format(args.fmt or default_format())
    severity = dict(config.severity)
    severity.update(_severity_args(args.severity or []))
    return Settings(
        fmt=fmt,
        output=args.output,
        extra=_extra_outputs(args),
        lang=lang,
        fail_on=parse_fail_on(args.fail_on or config.fail_on or "error"),
        select=list(args.select if args.select is not None else (config.select or [])),
        ignore=list(args.ignore if args.ignore is not None else (config.ignore or [])),
        severity=severity,
        rule_dirs=[*(args.rules if args.rules is not None else config.rules), *config.terms],
        area_code=config.area_code,
        portal=config.portal,
        baseline=args.baseline or config.baseline,
        write_baseline=args.write_baseline,
        config=config,
    )


def load_rules(settings: Settings) -> RuleSet:
    """The rule set the settings ask for. Names from the config file are checked first, so a typo there
    is reported with the file and line rather than as a bare option error."""
    from guidecheck.engine import RuleSet, load_ruleset
    from guidecheck.engine.loader import load_rules as load_all

    if settings.config.file is not None:
        everything = load_all(settings.rule_dirs)
        known = [k for r in everything for k in (r.id, r.name, r.group, r.facet, *r.aliases)]
        settings.config.check_rule_names(known, RuleSet(everything).closest)
    ruleset = load_ruleset(
        settings.rule_dirs, select=settings.select, ignore=settings.ignore, severity=settings.severity
    )
    if settings.area_code:
        # the rules whose check takes an `area_code` parameter (the phone rule CMP05) get the local one
        ruleset.set_param("area_code", settings.area_code)
    return ruleset


def finish(result: RunResult, settings: Settings, *, unreadable: int = exitcodes.ERROR) -> int:
    """Baseline, outputs, exit code: the end of every `check` and `audit` run."""
    if settings.write_baseline is not None:
        count = baselines.write(result, settings.write_baseline)
        stderr.print(Text(f"baseline: recorded {count} findings in {settings.write_baseline}", style="bold"))
    # --write-baseline alone accepts today's findings, so the run reports them as known and passes.
    base = settings.baseline or settings.write_baseline
    if base is not None:
        baselines.apply(result, baselines.load(base), str(base))
    write_outputs(
        result,
        settings.fmt,
        lang=settings.lang,
        output=settings.output,
        extra=settings.extra,
        fail_on=settings.fail_on,
        history=settings.history,
    )
    return exit_code(result, settings.fail_on, unreadable=unreadable)
