"""The HTML report: self-contained, every crawled string escaped, and rendered by a real browser.

The browser tests run Debian's headless `chromium` (installed by .ci/run). Without it they FAIL when
the CI variable is set and skip otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guidecheck.findings import Severity
from guidecheck.history import record
from guidecheck.model import Loc, Material
from guidecheck.report import FORMATS, RenderOptions
from guidecheck.report.html_report import build_html, safe_href
from guidecheck.results import RunResult
from tests.scoring_factory import finding, guide_result, run

SCRIPT = "<script>document.title='PWNED-script'</script>"
IMG = "<img src=x onerror=\"document.title='PWNED-img'\">"
PLANTS = (SCRIPT, IMG, "<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
CHARTS = (
    "chart-ranking",
    "chart-departments",
    "chart-facets",
    "chart-rules",
    "chart-item-types",
    "chart-case-type",
    "chart-online",
    "chart-visits",
    "chart-time",
    "chart-time-distribution",
    "chart-quality",
)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def hostile_run() -> RunResult:
    """Three departments; one guide carries script and onerror payloads in every crawled field."""
    evil_material = Material(name=f"申请表{IMG}", loc=Loc("x"), copies=None)
    evil = guide_result(
        f"市民政局{SCRIPT}",
        "EVIL",
        [
            finding("MAT01", "materials", Severity.ERROR, guide="EVIL", evidence=f"其他材料{SCRIPT}{IMG}",
                    message=f"兜底条款 <script>alert(1)</script> {IMG}"),
            finding("CON01", "consistency", Severity.ERROR, guide="EVIL", evidence="<img src=x onerror=alert(1)>"),
        ],
        name=f"婚姻登记{SCRIPT}<img src=x onerror=alert(1)>",
        item_type=f"行政确认{IMG}",
        materials=[evil_material],
    )  # fmt: skip
    evil.source = "javascript:document.title='PWNED-href'"
    guides = [evil]
    for dept, n, bad in (("市公安局", 6, 0), ("市水务局", 5, 2), ("市民政局" + SCRIPT, 4, 1)):
        for i in range(n):
            code = f"{dept[:3]}-{i}"
            fs = [finding("FLW02", "flow", Severity.WARNING, guide=code, evidence="受理")] if i < bad else []
            guides.append(guide_result(dept, code, fs, case_type="即办件" if i % 2 else "承诺件", visits=i % 3))
    guides.append(guide_result("市水务局", "DOWN", [], error="HTTP 503 <b>bold</b>"))
    return run(*guides)


def test_html_is_registered_and_self_contained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GUIDECHECK_HISTORY", str(tmp_path / "none.sqlite"))
    html = FORMATS["html"](hostile_run(), RenderOptions(lang="zh"))
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    # No network and no script of our own: nothing is loaded from anywhere.
    parsed = tags_of(html).tags
    assert not [t for t, _ in parsed if t in ("script", "link", "iframe", "object", "embed", "img")]
    assert not [a for _, attrs in parsed for a, _ in attrs if a in ("src", "srcset")]
    assert "Content-Security-Policy" in html
    for chart in CHARTS:
        assert f'id="{chart}"' in html, chart
    assert "chart-trend" not in html  # no history yet
    assert not (tmp_path / "none.sqlite").exists()  # rendering never creates a history file


def test_every_crawled_string_is_escaped() -> None:
    html = build_html(hostile_run(), "zh")
    for plant in PLANTS:
        assert plant not in html
    assert "&lt;script&gt;document.title=&#x27;PWNED-script&#x27;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html

    parser = tags_of(html)
    assert not [t for t, _ in parser.tags if t in ("script", "img")]
    assert not [a for _, attrs in parser.tags for a, _ in attrs if a.startswith("on")]
    hrefs = [v for t, attrs in parser.tags if t == "a" for a, v in attrs if a == "href"]
    assert hrefs and all(v and v.startswith("https://portal.example/") for v in hrefs)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.gdzwfw.gov.cn/portal/guide/1", True),
        ("http://example.org/a?b=1&c=2", True),
        ("guides/1.html", True),
        ("/guide/2", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:x", False),
        ("//evil.example/x", False),
        ("http:///nohost", False),
        ("C:\\guides\\1.html", False),
        ("", False),
    ],
)
def test_safe_href(url: str, linked: bool) -> None:
    assert (safe_href(url) is not None) is linked


def test_english_labels() -> None:
    html = build_html(hostile_run(), "en")
    assert '<html lang="en">' in html
    for label in ("Department ranking", "Facet breakdown", "Most frequent rules", "Catalogue statistics"):
        assert label in html
    assert "部门排名" not in html


def test_trend_appears_when_history_exists(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    result = hostile_run()
    record(result, db)
    record(result, db)
    monkeypatch.setenv("GUIDECHECK_HISTORY", str(db))
    html = FORMATS["html"](result, RenderOptions(lang="zh"))
    assert 'id="chart-trend"' in html
    assert html.count('class="point"') >= 2 * 3  # two runs × three departments


# -- the real browser --------------------------------------------------------------------------------


def chromium() -> str:
    path = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or ""
    if not path:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: the HTML report must be checked in a real browser in CI")
        pytest.skip("chromium is not installed")
    return path


def run_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
        page.resolve().as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False)


def png_pixels(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB/RGBA PNG (what Chromium writes) into rows: stdlib only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


@pytest.mark.browser
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(build_html(hostile_run(), "zh"), encoding="utf-8")
    shot = tmp_path / "report.png"

    done = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.is_file(), done.stderr.decode(errors="replace")[-2000:]
    width, height, channels, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    colours = {row[x : x + 3] for row in rows[::8] for x in range(0, width * channels, channels * 8)}
    assert len(colours) > 50, f"the page looks blank: {len(colours)} colours"
    # The blue header band is drawn (CSS applied), and the body below it is not just background.
    top = rows[20][640 * channels : 640 * channels + 3]
    assert top[2] > top[0] + 40, f"header not rendered: {top!r}"
    dark = sum(1 for row in rows[150:1900:4] for x in range(0, width * channels, channels * 4) if row[x] < 100)
    assert dark > 2000, "almost no text or bars drawn below the header"

    dom_run = run_chromium(page, tmp_path / "profile2", "--dump-dom")
    dom = dom_run.stdout.decode("utf-8", errors="replace")
    assert "<title>guidecheck · 办事指南审核报告</title>" in dom, dom[:500]
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)  # type: ignore[union-attr]
    assert not re.search(r"<script\b", dom, re.IGNORECASE), "a planted <script> became an element"
    assert not re.search(r"<img\b", dom, re.IGNORECASE), "a planted <img> became an element"
    assert 'href="javascript:' not in dom
    for chart in CHARTS:
        match = re.search(rf'<svg[^>]*id="{chart}"[^>]*>(.*?)</svg>', dom, re.S)
        assert match, f"chart {chart} missing from the rendered DOM"
        assert 'class="bar"' in match.group(1), f"chart {chart} has no bars"
    ranking = re.search(r'<svg[^>]*id="chart-ranking"[^>]*>(.*?)</svg>', dom, re.S).group(1)  # type: ignore[union-attr]
    assert ranking.count('class="bar"') == 3
