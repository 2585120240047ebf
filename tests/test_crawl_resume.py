"""A killed crawl resumes: nothing it already stored is fetched again, and the result is complete."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidecheck.crawl.sample_server import SamplePortalServer
from tests.crawl_portal import ALL_GUIDES, build_portal

REPO = Path(__file__).resolve().parent.parent


def _crawl_cmd(url: str, out: Path, cache: Path) -> list[str]:
    return [
        sys.executable, "-m", "guidecheck", "crawl", "--all", "--portal", url, "--out", str(out),
        "--cache", str(cache), "--concurrency", "2", "--rate", "0", "--quiet", "--lang", "en",
    ]  # fmt: skip


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def _done_paths(cache: Path) -> set[str]:
    """Paths the interrupted run stored (pages only; attachment probes are not page fetches)."""
    try:
        with sqlite3.connect(cache, timeout=5) as db:
            rows = db.execute("SELECT url FROM run_urls WHERE state = 'done' AND kind != 'attachment'").fetchall()
    except sqlite3.OperationalError:
        return set()
    return {"/" + url.split("/", 3)[3] for (url,) in rows}


def _wait_for(cache: Path, n: int, proc: subprocess.Popen[bytes], limit: float = 30.0) -> set[str]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done = _done_paths(cache) if cache.exists() else set()
        if sum(1 for p in done if p.startswith(("/guide/", "/api/guide/"))) >= n:
            return done
        if proc.poll() is not None:
            pytest.fail(f"the crawl ended before it could be killed (exit {proc.returncode})")
        time.sleep(0.05)
    pytest.fail("the crawl made no progress")


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 130)], ids=["SIGKILL", "Ctrl-C"]
)
def test_interrupted_crawl_resumes_without_fetching_again(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    root = build_portal(tmp_path / "portal")
    out, cache = tmp_path / "out", tmp_path / "crawl.sqlite"
    with SamplePortalServer(root, latency=0.1) as server:
        proc = subprocess.Popen(_crawl_cmd(server.url, out, cache), env=_env(), cwd=tmp_path)
        try:
            _wait_for(cache, 4, proc)
        finally:
            proc.send_signal(sig)
            proc.wait(timeout=10)
        assert proc.returncode == code
        stored = _done_paths(cache)
        guides_stored = {p for p in stored if p.startswith(("/guide/", "/api/guide/"))}
        assert 4 <= len(guides_stored) < ALL_GUIDES, "kill it mid-way, not before or after"
        hits_before = dict(server.hits)

        rerun = subprocess.run(_crawl_cmd(server.url, out, cache), env=_env(), cwd=tmp_path, capture_output=True)
        assert rerun.returncode == 0, rerun.stderr.decode()
        assert "resumed" in rerun.stderr.decode()

        refetched = {p for p in stored if server.hits[p] != hits_before.get(p, 0)}
        assert refetched == set(), f"stored pages fetched again: {sorted(refetched)}"
        saved = sorted(out.rglob("*.html")) + sorted(p for p in out.rglob("*.json") if p.name != "crawl.json")
        assert len(saved) == ALL_GUIDES
        # The manifest lists every file, those of the interrupted run included.
        manifest = json.loads((out / "crawl.json").read_text(encoding="utf-8"))
        assert sorted(g["file"] for g in manifest["guides"]) == sorted(p.relative_to(out).as_posix() for p in saved)
        # Only the requests in flight at the kill (at most --concurrency) were asked for twice.
        guide_hits = {p: n for p, n in server.hits.items() if p.startswith(("/guide/", "/api/guide/"))}
        assert len(guide_hits) == ALL_GUIDES
        assert sum(1 for n in guide_hits.values() if n > 1) <= 2
