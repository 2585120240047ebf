"""The SQLite cache: pages stored as they arrive, conditional requests next time, 304 counted as cached."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from guidecheck.crawl.cache import DONE, CrawlStore
from guidecheck.crawl.navigate import Portal
from guidecheck.crawl.pipeline import CrawlOptions, crawl_to_dir
from guidecheck.crawl.politeness import Politeness
from guidecheck.crawl.profile import load_profile
from guidecheck.crawl.sample_server import SamplePortalServer
from guidecheck.errors import ConfigError
from tests.crawl_portal import ALL_GUIDES, build_portal


def _options(cache: Path | None) -> CrawlOptions:
    return CrawlOptions(politeness=Politeness(concurrency=4, rate=0), cache=cache)


def test_second_run_sends_conditional_requests_and_counts_304_as_cached(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    cache = tmp_path / "crawl.sqlite"
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test portal")
        first = crawl_to_dir(portal, None, tmp_path / "a", options=_options(cache))
        hits_after_first = sum(server.hits.values())
        second = crawl_to_dir(portal, None, tmp_path / "b", options=_options(cache))
        requests_second = sum(server.hits.values()) - hits_after_first
    assert first.stats["fetched"] == ALL_GUIDES and first.stats["cached"] == 0
    assert second.stats["fetched"] == 0 and second.stats["cached"] == ALL_GUIDES
    assert second.stats["not_modified"] > ALL_GUIDES  # the guides and the list pages answered 304
    assert second.stats["resumed"] == 0  # a finished run is not resumed: it is checked again
    # Nothing is downloaded again, but everything is asked about once (plus robots.txt).
    assert requests_second == second.stats["requests"]
    assert _saved(tmp_path / "a") == _saved(tmp_path / "b")


def _saved(folder: Path) -> list[bytes]:
    """The saved files, with the manifest's crawl times left out (the runs are seconds apart)."""
    files = sorted(p.read_bytes() for p in folder.rglob("*.*") if p.name != "crawl.json")
    manifest = re.sub(rb'"crawled": "[^"]*"', b"", (folder / "crawl.json").read_bytes())
    return [*files, manifest]


def test_changed_page_is_downloaded_again(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    cache = tmp_path / "crawl.sqlite"
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test portal")
        crawl_to_dir(portal, ["规划和自然资源局"], tmp_path / "a", options=_options(cache))
        page = root / "guide/ghzy/1.html"
        page.write_text(page.read_text(encoding="utf-8").replace("10个工作日", "5个工作日"), encoding="utf-8")
        again = crawl_to_dir(portal, ["规划和自然资源局"], tmp_path / "b", options=_options(cache))
    assert again.stats["fetched"] == 1 and again.stats["cached"] == 4
    assert "5个工作日" in (tmp_path / "b/ghzy/1.html").read_text(encoding="utf-8")


def test_cache_file_holds_what_the_brief_asks_for(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    cache = tmp_path / "crawl.sqlite"
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test", cache_origin="sample-portal:")
        crawl_to_dir(portal, ["公安局"], tmp_path / "a", options=_options(cache))
    with sqlite3.connect(cache) as db:
        row = db.execute(
            "SELECT status, etag, last_modified, content_type, length(body), fetched_at FROM pages WHERE url = ?",
            ("sample-portal:/guide/gaj/1.html",),
        ).fetchone()
    status, etag, last_modified, content_type, size, fetched_at = row
    assert status == 200 and etag.startswith('"') and "GMT" in last_modified
    assert content_type == "text/html"  # the undeclared-GBK department: no charset, stored as served
    assert size > 500 and fetched_at > 0


def test_no_cache_keeps_nothing_on_disk(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        saved = crawl_to_dir(portal, ["公安局"], tmp_path / "a", options=_options(None))
    assert saved.stats["fetched"] == 5
    assert not list(tmp_path.glob("*.sqlite"))


def test_runs_resume_only_when_unfinished(tmp_path: Path) -> None:
    store = CrawlStore(tmp_path / "c.sqlite")
    run = store.begin_run("k")
    assert not run.resumed
    store.save_page("u", status=200, etag=None, last_modified=None, content_type="", body=b"x", run=run, kind="guide")
    store.close()
    store = CrawlStore(tmp_path / "c.sqlite")  # a new process after a crash
    again = store.begin_run("k")
    assert again.resumed and again.run_id == run.run_id
    state = store.run_url(again, "u")
    assert state is not None and state.state == DONE
    store.finish_run(again)
    assert not store.begin_run("k").resumed
    assert store.begin_run("other").run_id != run.run_id


def test_a_file_that_is_not_a_cache_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("these are my notes, not a database " * 100)
    with pytest.raises(ConfigError, match="not a guidecheck crawl cache"):
        CrawlStore(bogus)


def test_interrupted_run_resumes_under_another_spelling_of_the_department(tmp_path: Path) -> None:
    import asyncio

    from guidecheck.crawl.pipeline import _crawl

    class Stop(Exception):
        pass

    seen: list[str] = []

    def stop_after_two(crawled, _crawler) -> None:
        seen.append(crawled.page.url)
        if len(seen) == 2:
            raise Stop

    root = build_portal(tmp_path / "portal")
    cache = tmp_path / "crawl.sqlite"
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        options = CrawlOptions(politeness=Politeness(concurrency=1, rate=0), cache=cache)
        with pytest.raises(Stop):
            asyncio.run(_crawl(portal, ["临江市公安局"], options, stop_after_two, None))
        hits = dict(server.hits)
        again = crawl_to_dir(portal, ["公安局"], tmp_path / "out", options=options)
        for url in seen:
            path = "/" + url.split("/", 3)[3]
            assert server.hits[path] == hits[path] == 1  # replayed from the store, not asked again
    assert again.stats["resumed"] == 1 and again.stats["replayed"] >= 2
    assert len(again.files) == 5 and again.failures == []


def test_a_finished_run_keeps_its_pages_but_not_its_frontier(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    cache = tmp_path / "crawl.sqlite"
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        for _ in range(3):
            crawl_to_dir(portal, None, tmp_path / "out", options=_options(cache))
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT COUNT(*) FROM run_urls").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0] == 3
        assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] > ALL_GUIDES


def test_a_cache_from_before_final_url_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE pages (url TEXT PRIMARY KEY, status INTEGER NOT NULL, etag TEXT, last_modified TEXT,"
            " content_type TEXT NOT NULL DEFAULT '', body BLOB NOT NULL, fetched_at REAL NOT NULL)"
        )
        db.execute("INSERT INTO pages VALUES ('u', 200, '\"e\"', NULL, 'text/html', x'3c703e', 1.0)")
    store = CrawlStore(path)
    page = store.page("u")
    assert page is not None and page.etag == '"e"' and page.final_url is None and page.body == b"<p>"


def test_a_stale_interrupted_run_is_not_resumed(tmp_path: Path) -> None:
    store = CrawlStore(tmp_path / "c.sqlite")
    old = store.begin_run("k")
    assert store.begin_run("k", max_age=3600).resumed  # recent: resumed
    fresh = store.begin_run("k", max_age=0.0)  # too old: closed, a new run begins
    assert not fresh.resumed and fresh.run_id != old.run_id
