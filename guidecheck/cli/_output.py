"""Shared by `check` and `audit`: write the chosen formats and turn a result into an exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from guidecheck import exitcodes
from guidecheck.errors import GuidecheckError
from guidecheck.findings import Severity
from guidecheck.report import FORMATS, RenderOptions, render
from guidecheck.results import RunResult

FAIL_ON = ("error", "warning", "info", "never")


def parse_fail_on(value: str) -> Severity | None:
    value = value.strip().lower()
    if value not in FAIL_ON:
        raise GuidecheckError(f"--fail-on {value!r}: choose one of {', '.join(FAIL_ON)}")
    return None if value == "never" else Severity.parse(value)


def check_format(name: str) -> str:
    if name not in FORMATS:
        raise GuidecheckError(f"unknown format {name!r}: choose one of {', '.join(sorted(FORMATS))}")
    return name


def write_outputs(
    result: RunResult,
    fmt: str,
    *,
    lang: str,
    output: Path | None = None,
    extra: dict[str, Path] | None = None,
    fail_on: Severity | None = Severity.ERROR,
    history: Path | None = None,
) -> None:
    """Write `fmt` to stdout (or `output`) and each extra format to its own file."""
    color = output is None and sys.stdout.isatty()
    text = render(fmt, result, RenderOptions(lang=lang, color=color, fail_on=fail_on, history=history))
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write(output, text)
    for name, path in (extra or {}).items():
        _write(path, render(name, result, RenderOptions(lang=lang, fail_on=fail_on, history=history)))


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise GuidecheckError(f"{path}: cannot write: {err.strerror or err}") from None


def exit_code(result: RunResult, fail_on: Severity | None, *, unreadable: int = exitcodes.ERROR) -> int:
    """Unreadable guides outrank findings: a run that could not read its input has not passed."""
    if result.errors:
        return unreadable
    if result.at_or_above(fail_on):
        return exitcodes.FINDINGS
    return exitcodes.OK
