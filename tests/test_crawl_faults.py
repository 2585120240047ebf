"""Issue #3 §5: a real misbehaving server. Every fault is reported against its guide, the crawl goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.crawl.fetch import FetchLimits
from guidecheck.crawl.navigate import Portal
from guidecheck.crawl.pipeline import CrawlOptions, SavedCrawl, crawl_to_dir
from guidecheck.crawl.politeness import Politeness
from guidecheck.crawl.profile import load_profile
from tests.faultserver import GBK_NAME, PRIVATE_GUIDE, FaultServer

FAST = FetchLimits(timeout=0.5, tries=2, backoff=0.01, max_backoff=0.05, max_retry_after=0.05)

EXPECTED = {
    "error500": "HTTP 500 after 2 tries",
    "ratelimited": "HTTP 429 after 2 tries",
    "slow": "timed out after 0.5 s (2 tries)",
    "reset": "connection reset by the server (2 tries)",
    "loop": "redirect loop (/guide/loop2.html → /guide/loop.html)",
    "offhost": "redirect to another host evil.example",
    "huge": "response larger than 5 MB",
    "huge-declared": "response larger than 5 MB",
    "bomb": "response larger than 5 MB",
}


def fast_options(cache: Path | None) -> CrawlOptions:
    return CrawlOptions(politeness=Politeness(concurrency=8, rate=0), limits=FAST, cache=cache)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[SavedCrawl, FaultServer, Path]:
    out = tmp_path_factory.mktemp("faults")
    with FaultServer() as server:
        portal = Portal(server.url, load_profile("sample"), "fault server")
        saved = crawl_to_dir(portal, ["故障测试局"], out / "guides", options=fast_options(out / "c.sqlite"))
        return saved, server, out / "guides"


def _reasons(saved: SavedCrawl) -> dict[str, str]:
    return {f.source.rsplit("/", 1)[-1].removesuffix(".html"): f.error or "" for f in saved.failures}


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_each_fault_is_reported_against_its_guide_with_a_clear_reason(faulty, fault: str) -> None:
    saved, _, _ = faulty
    assert _reasons(saved)[fault] == EXPECTED[fault]


def test_robots_txt_disallowed_guide_is_reported_and_never_requested(faulty) -> None:
    saved, server, _ = faulty
    assert _reasons(saved)["secret"] == "disallowed by robots.txt"
    assert server.hits[PRIVATE_GUIDE] == 0


def test_the_crawl_goes_on_past_the_faults(faulty) -> None:
    saved, server, _ = faulty
    names = sorted(p.name for p in saved.files)
    assert names == ["flaky500.html", "gbk.html", "js.html", "ok.html"]
    assert server.hits["/guide/flaky500.html"] == 2  # the 503 was retried once
    assert saved.stats["failed"] == len(EXPECTED) + 1


def test_retries_are_bounded(faulty) -> None:
    _, server, _ = faulty
    assert server.hits["/guide/error500.html"] == 2
    assert server.hits["/guide/ratelimited.html"] == 2
    assert server.hits["/guide/loop.html"] == 1 and server.hits["/guide/loop2.html"] == 1


def test_gbk_page_without_any_charset_is_saved_as_correct_utf8(faulty) -> None:
    _, _, out = faulty
    text = (out / "fault" / "gbk.html").read_text(encoding="utf-8")
    assert GBK_NAME in text
