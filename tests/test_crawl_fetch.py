"""Unit tests of the fetcher with httpx.MockTransport: retries, Retry-After, redirects, caps, decoding."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import httpx
import pytest

from guidecheck.crawl import fetch as fetch_module
from guidecheck.crawl.fetch import Fetcher, FetchFailed, FetchLimits
from guidecheck.crawl.politeness import HostLimiter, Politeness

LIMITS = FetchLimits(timeout=1.0, tries=3, backoff=0.01, max_backoff=0.02, max_retry_after=5.0, max_bytes=1000)
NO_ROBOTS = Politeness(concurrency=4, rate=0, obey_robots=False)


class Chunks(httpx.AsyncByteStream):
    """A streamed body, as a real server sends it (httpx reads plain `content=` eagerly)."""

    def __init__(self, data: bytes, size: int = 4096) -> None:
        self.data, self.size = data, size

    async def __aiter__(self):
        for i in range(0, len(self.data), self.size):
            yield self.data[i : i + self.size]


def streamed(status: int, data: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers, stream=Chunks(data))


def run(handler, coro_fn, *, limits: FetchLimits = LIMITS, politeness: Politeness = NO_ROBOTS):
    async def main():
        async with Fetcher(politeness=politeness, limits=limits, transport=httpx.MockTransport(handler)) as f:
            return await coro_fn(f)

    return asyncio.run(main())


def test_retry_after_is_honoured_and_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(fetch_module, "_backoff_sleep", fake_sleep)
    monkeypatch.setattr(HostLimiter, "pause", lambda self, url, seconds: None)  # tested on its own below
    answers = iter(
        [httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(503, headers={"Retry-After": "3600"})]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(200, text="ok"))

    resp = run(handler, lambda f: f.get("http://portal.test/a"))
    assert resp.status == 200 and resp.body == b"ok" and resp.tries == 3
    assert waits == [2.0, 5.0]  # the server's 2 s, then the 1-hour request capped at max_retry_after


def test_429_holds_the_whole_host_for_retry_after() -> None:
    import time

    first = {"done": False}
    starts: dict[str, float] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/busy" and not first["done"]:
            first["done"] = True
            return httpx.Response(429, headers={"Retry-After": "1"})
        starts.setdefault(path, time.monotonic())
        return httpx.Response(200, text="ok")

    async def both(f: Fetcher):
        t0 = time.monotonic()
        busy = asyncio.ensure_future(f.get("http://portal.test/busy"))
        await asyncio.sleep(0.05)  # the 429 has arrived
        await f.get("http://portal.test/other")
        await busy
        return t0

    t0 = run(handler, both)
    assert starts["/other"] - t0 >= 0.9  # held by the host-wide pause, though it never got a 429 itself


def test_backoff_grows_exponentially(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(fetch_module, "_backoff_sleep", fake_sleep)
    limits = FetchLimits(tries=4, backoff=1.0, max_backoff=100.0)
    with pytest.raises(FetchFailed, match=r"^HTTP 502 after 4 tries$"):
        run(lambda r: httpx.Response(502), lambda f: f.get("http://portal.test/a"), limits=limits)
    assert len(waits) == 3
    assert 0.75 <= waits[0] <= 1.25 and 1.5 <= waits[1] <= 2.5 and 3.0 <= waits[2] <= 5.0


def test_client_errors_are_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        return httpx.Response(404)

    with pytest.raises(FetchFailed, match=r"^HTTP 404$"):
        run(handler, lambda f: f.get("http://portal.test/missing"))
    assert len(calls) == 1


def test_connection_errors_are_retried_then_reported() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("All connection attempts failed", request=request)

    with pytest.raises(FetchFailed, match=r"^cannot connect to portal.test \(3 tries\)$"):
        run(handler, lambda f: f.get("http://portal.test/a"))
    assert len(calls) == 3


def test_redirects_are_followed_on_the_same_host_and_bounded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"}) if n < 3 else httpx.Response(200, text="end")

    resp = run(handler, lambda f: f.get("http://portal.test/0"))
    assert resp.final_url == "http://portal.test/3" and resp.body == b"end"
    endless = lambda r: httpx.Response(302, headers={"Location": f"/{int(r.url.path.strip('/')) + 1}"})  # noqa: E731
    with pytest.raises(FetchFailed, match=r"^more than 5 redirects$"):
        run(endless, lambda f: f.get("http://portal.test/0"))


def test_redirect_to_another_port_is_another_host() -> None:
    handler = lambda r: httpx.Response(301, headers={"Location": "http://portal.test:8080/x"})  # noqa: E731
    with pytest.raises(FetchFailed, match=r"^redirect to another host portal.test:8080$"):
        run(handler, lambda f: f.get("http://portal.test/a"))


def test_declared_and_streamed_size_caps() -> None:
    big = b"x" * 5000
    with pytest.raises(FetchFailed, match=r"^response larger than 1000 bytes$"):
        run(lambda r: httpx.Response(200, content=big), lambda f: f.get("http://portal.test/a"))

    def undeclared(request: httpx.Request) -> httpx.Response:
        return streamed(200, big)  # no Content-Length header

    with pytest.raises(FetchFailed, match=r"^response larger than 1000 bytes$"):
        run(undeclared, lambda f: f.get("http://portal.test/a"))


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ],
)
def test_compressed_bodies_are_decoded(encoding: str, compress) -> None:
    text = "承诺办结时限：10个工作日".encode()
    resp = run(
        lambda r: streamed(200, compress(text), {"Content-Encoding": encoding}),
        lambda f: f.get("http://portal.test/a"),
    )
    assert resp.body == text


def test_gzip_bomb_is_stopped_at_the_cap_without_expanding() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 1000 * 30
    limits = FetchLimits(max_bytes=1024 * 1024, tries=1)
    with pytest.raises(FetchFailed, match=r"^response larger than 1 MB$"):
        run(
            lambda r: streamed(200, bomb, {"Content-Encoding": "gzip"}),
            lambda f: f.get("http://portal.test/bomb"),
            limits=limits,
        )


def test_conditional_headers_are_sent_and_304_returned() -> None:
    seen: dict[str, str] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(304)

    resp = run(
        handler, lambda f: f.get("http://portal.test/a", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    )
    assert resp.status == 304
    assert seen["if-none-match"] == '"v1"' and seen["if-modified-since"].startswith("Mon, 01 Jan 2024")


def test_robots_txt_is_fetched_once_and_obeyed() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /admin/\n")
        return httpx.Response(200, text="page")

    async def both(f: Fetcher):
        ok = await f.get("http://portal.test/guide/1.html")
        with pytest.raises(FetchFailed, match=r"^disallowed by robots.txt$"):
            await f.get("http://portal.test/admin/secret.html")
        return ok

    run(handler, both, politeness=Politeness(rate=0))
    assert paths == ["/robots.txt", "/guide/1.html"]


def test_robots_txt_missing_allows_everything_and_5xx_allows_nothing() -> None:
    def missing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404) if request.url.path == "/robots.txt" else httpx.Response(200, text="page")

    assert run(missing, lambda f: f.get("http://portal.test/a"), politeness=Politeness(rate=0)).status == 200

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500) if request.url.path == "/robots.txt" else httpx.Response(200, text="page")

    with pytest.raises(FetchFailed, match=r"robots\.txt answered HTTP 500"):
        run(broken, lambda f: f.get("http://portal.test/a"), politeness=Politeness(rate=0))


def test_probe_uses_head_then_a_small_get_when_head_is_refused() -> None:
    methods: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        methods.append((request.method, request.url.path))
        if request.url.path == "/files/missing.docx":
            return httpx.Response(404)
        if request.method == "HEAD" and request.url.path == "/files/nohead.pdf":
            return httpx.Response(405)
        return httpx.Response(200, content=b"%PDF" + b"x" * 100_000)

    async def probes(f: Fetcher):
        return [await f.probe(f"http://portal.test/files/{n}") for n in ("ok.docx", "missing.docx", "nohead.pdf")]

    assert run(handler, probes) == ["ok", "HTTP 404", "ok"]
    assert methods == [
        ("HEAD", "/files/ok.docx"),
        ("HEAD", "/files/missing.docx"),
        ("HEAD", "/files/nohead.pdf"),
        ("GET", "/files/nohead.pdf"),
    ]
