"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

`::error file=guides/a.guide.toml,line=12,title=MAT04 …::message` shows on the pull request's diff.
Severity maps to error / warning / notice. Values are escaped as the runner expects: in the message
`%`, CR and LF; in properties also `:` and `,`. Chosen automatically when GITHUB_ACTIONS=true and no
--format was given (see cli/_options.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from guidecheck.findings import Finding, Severity
from guidecheck.printable import printable
from guidecheck.report._english import counted
from guidecheck.results import RunResult

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(source: str) -> str | None:
    """The path GitHub matches against the diff: relative to the workspace; None for URLs."""
    if "://" in source:
        return None
    root = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        return Path(source).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return Path(source).as_posix()


def command(kind: str, message: str, *, file: str | None = None, line: int | None = None, title: str = "") -> str:
    props: list[str] = []
    if file:
        props.append(f"file={escape_property(file)}")
    if line:
        props.append(f"line={line}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{kind} {','.join(props)}" if props else f"::{kind}"
    return f"{head}::{escape_data(message)}"


def _annotation(f: Finding) -> str:
    source = f.loc.source if f.loc and f.loc.source else f.guide_source
    file = workspace_path(source)
    message = f.message
    if f.evidence and f.evidence not in message:
        message += f"「{f.evidence}」"
    if file is None:
        message = f"{source}: {message}"
    elif f.loc and f.loc.path and not f.loc.line:
        message += f" ({f.loc.path})"
    title = f"{f.rule_id} {f.rule_name}".strip()
    return command(_COMMAND[f.severity], message, file=file, line=f.loc.line if f.loc else None, title=title)


def render(result: RunResult, options: RenderOptions) -> str:
    lines = [_annotation(f) for f in result.findings]
    for g in result.errors:
        file = workspace_path(g.source)
        message = (g.error or "") if file else f"{g.source}: {g.error}"
        lines.append(command("error", message, file=file, title="guidecheck: unreadable guide"))
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in Severity}
    summary = (
        f"guidecheck: {counted(len(result.guides), 'guide')}, {counted(len(result.findings), 'finding')} "
        f"({counted(counts[Severity.ERROR], 'error')}, {counted(counts[Severity.WARNING], 'warning')}, "
        f"{counts[Severity.INFO]} info)"
    )
    if result.errors:
        summary += f", {len(result.errors)} unreadable"
    if result.baseline:
        b = result.baseline
        summary += f"; baseline: {b.get('new', 0)} new, {b.get('known', 0)} known, {b.get('fixed', 0)} fixed"
    lines.append(summary)
    return "\n".join(lines) + "\n"
