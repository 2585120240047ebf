"""Output formats, behind an explicit registry: one small module per format, no if/elif chain.

A reporter turns a `RunResult` into text. It never sees rules' internals, only findings and the rule
metadata the result carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from guidecheck.errors import GuidecheckError
from guidecheck.findings import Severity
from guidecheck.report import (
    github_report,
    html_report,
    json_report,
    junit_report,
    markdown_report,
    sarif_report,
    text_report,
)
from guidecheck.results import RunResult


@dataclass(slots=True, frozen=True)
class RenderOptions:
    lang: str = "zh"
    color: bool = False
    width: int = 120
    fail_on: Severity | None = Severity.ERROR
    """The run's --fail-on threshold: formats that mark pass/fail (junit) use it."""
    history: Path | None = None
    """The audit history file the html format reads trends from (None: $GUIDECHECK_HISTORY or the default)."""


class Reporter(Protocol):
    def __call__(self, result: RunResult, options: RenderOptions) -> str: ...


FORMATS: dict[str, Reporter] = {
    "text": text_report.render,
    "json": json_report.render,
    "sarif": sarif_report.render,
    "junit": junit_report.render,
    "github": github_report.render,
    "markdown": markdown_report.render,
    "html": html_report.render,
}
"""Format name → reporter. Add a format by adding one module and one line here."""


def get_reporter(name: str) -> Reporter:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise GuidecheckError(f"unknown format {name!r}: choose one of {known}") from None


def render(name: str, result: RunResult, options: RenderOptions | None = None) -> str:
    return get_reporter(name)(result, options or RenderOptions(lang=result.lang))
