"""Crawled text cannot drive the terminal or reorder what a reader sees, in any report for people.

A page may carry an ESC (raw, or as `&#27;` that the HTML parser decodes), a BEL, C1 controls or bidi
overrides in a 事项名称 or a material name. Text, Markdown, HTML and GitHub output show them as visible
characters (guidecheck.printable); JSON and SARIF keep them as data, escaped.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.text import Text

from guidecheck.cli import run_app
from guidecheck.printable import printable
from guidecheck.report.console import SafeConsole

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "gdzwfw_yiliao_feiwu.html"
INJECTED = ("\x1b", "\x07", "\x9b", "\u202e")


def test_printable_makes_each_unsafe_character_visible_one_for_one() -> None:
    text = "a\x1b]0;x\x07b\x7fc\x9bd\u202ee\tf\ng"
    shown = printable(text)
    assert shown == "a\u241b]0;x\u2407b\u2421c\ufffdd\ufffde\tf\ng"
    assert len(shown) == len(text)
    assert printable("医疗废物经营许可证核发") == "医疗废物经营许可证核发"


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    html = GOOD.read_text(encoding="utf-8")
    name = "医疗废物经营许可证核发"
    assert f"<td>{name}</td>" in html
    # raw controls in the item name; an OSC title sequence and a bidi override as character references
    html = html.replace(f"<td>{name}</td>", f"<td>{name}\x1b[2J\x07\x9b</td>", 1)
    html = html.replace("</h1>", "&#27;]0;pwned&#7;&#x202e;</h1>", 1)
    # and in a material a finding quotes (CON04: a paper original in a 全程网办 item)
    material = "医疗废物处置设施环境影响评价批复文件"
    assert material in html
    html = html.replace(material, material + "\x1b[31m\u202e", 1)
    page = tmp_path / "hostile.html"
    page.write_text(html, encoding="utf-8")
    return page


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "github"])
def test_reports_for_people_show_no_raw_control_or_bidi_character(
    hostile_page: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_app(["check", str(hostile_page), "--format", fmt, "--fail-on", "never", "--no-config"])
    out = capsys.readouterr().out
    assert "医疗废物处置设施环境影响评价批复文件" in out
    assert not [c for c in INJECTED if c in out], [c for c in INJECTED if c in out]
    assert "\u241b" in out  # the ESC is shown, not dropped: nothing the page said is hidden


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_keep_the_characters_as_escaped_data(
    hostile_page: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_app(["check", str(hostile_page), "--format", fmt, "--fail-on", "never", "--no-config"])
    out = capsys.readouterr().out
    assert not [c for c in INJECTED if c in out]
    assert "\\u001b" in out and "\\u202e" in out
    assert "\\x1b" in repr(json.loads(out))  # the data is still there once parsed


def test_the_console_keeps_its_own_styling_but_not_the_pages_escape_sequences() -> None:
    buf = io.StringIO()
    console = SafeConsole(file=buf, force_terminal=True, width=80)
    console.print(Text.assemble(("事项\x1b]52;c;ZXZpbA==\x07", "bold red"), " 名称"))
    out = buf.getvalue()
    assert "\x1b[1;31m" in out  # rich's bold red
    assert not re.search(r"\x1b\]", out) and "\x07" not in out  # no OSC (52: write the clipboard)
    assert "\u241b]52" in out
