"""One careful HTTP fetcher: retries, backoff, bounded same-host redirects, size caps, bomb-safe decoding.

httpx's defaults are not a crawler's (prior-art §3: no redirects, 5 s timeout, no retries on 429/5xx), so
every one of them is set here. The transport is injectable, so unit tests can use `httpx.MockTransport`.
Every failure becomes a `FetchFailed` whose message is one clear line ("HTTP 500 after 3 tries").
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import socket
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from guidecheck.crawl.politeness import USER_AGENT, HostLimiter, Politeness, Robots, host_key

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_backoff_sleep = asyncio.sleep
"""The wait between tries (a module attribute so tests can record the waits without waiting)."""


@dataclass(slots=True, frozen=True)
class FetchLimits:
    timeout: float = 10.0
    """Seconds one request may take, from connecting to the last byte."""
    tries: int = 3
    """Attempts per request on 429, 5xx, timeouts and connection errors."""
    backoff: float = 1.0
    """Wait before the first retry; doubles each time (with jitter)."""
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    """A server's Retry-After is honoured up to this many seconds."""
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024
    """Largest response body kept (after decompression)."""
    probe_bytes: int = 16 * 1024
    """How much of an attachment is read when HEAD is not supported."""


@dataclass(slots=True)
class Response:
    url: str
    """The URL asked for."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    headers: dict[str, str]
    """Lower-case names."""
    body: bytes
    tries: int = 1

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class FetchFailed(Exception):
    """A URL that could not be fetched; `str(err)` is the reason, one line."""

    def __init__(
        self, reason: str, *, retryable: bool = False, status: int | None = None, robots: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.robots = robots
        """Refused by robots.txt: nothing is known about the URL itself."""


def describe_size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _new_decoder(encoding: str) -> zlib._Decompress | None:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return None
    if enc in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return zlib.decompressobj()
    raise FetchFailed(f"unsupported content encoding {encoding!r}")


class _CappedBody:
    """Collects a body chunk by chunk, decompressing with a hard cap on the decoded size.

    zlib's `max_length` bounds each step's output, so a gzip bomb never expands past the cap in memory.
    """

    def __init__(self, encoding: str, cap: int, *, truncate: bool = False) -> None:
        self._decoder = _new_decoder(encoding)
        self._raw_deflate_tried = False
        self.cap = cap
        self.truncate = truncate
        self.parts: list[bytes] = []
        self.size = 0
        self.raw_size = 0
        self.full = False

    def _take(self, data: bytes) -> None:
        room = self.cap - self.size
        if len(data) > room:
            if not self.truncate:
                raise FetchFailed(f"response larger than {describe_size(self.cap)}")
            data = data[:room]
            self.full = True
        self.parts.append(data)
        self.size += len(data)

    def feed(self, chunk: bytes) -> None:
        self.raw_size += len(chunk)
        if self._decoder is None:
            self._take(chunk)
            return
        if self.raw_size > self.cap and not self.truncate:
            raise FetchFailed(f"response larger than {describe_size(self.cap)}")
        data = chunk
        while data and not self.full:
            try:
                out = self._decoder.decompress(data, self.cap - self.size + 1)
            except zlib.error as err:
                if not self._raw_deflate_tried and self.size == 0 and self.raw_size == len(chunk):
                    # Some servers send raw deflate without the zlib header.
                    self._raw_deflate_tried = True
                    self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchFailed(f"corrupt compressed body ({err})") from None
            self._take(out)
            data = self._decoder.unconsumed_tail

    def finish(self) -> bytes:
        if self._decoder is not None and not self.full:
            try:
                self._take(self._decoder.flush())
            except zlib.error as err:
                raise FetchFailed(f"corrupt compressed body ({err})") from None
        return b"".join(self.parts)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _transport_reason(err: httpx.TransportError, url: str) -> str:
    where = urlsplit(url).netloc
    if isinstance(err, httpx.ConnectError):
        detail = _connect_detail(err)
        return f"cannot connect to {where}" + (f" ({detail})" if detail else "")
    if isinstance(err, (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError)):
        return "connection reset by the server"
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


def _connect_detail(err: BaseException) -> str:
    """ "connection refused" / "host not found" from the OS error under httpx's wrapper, if any."""
    seen: BaseException | None = err
    for _ in range(6):
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return "host not found"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    text = str(err)
    if "refused" in text.lower():
        return "connection refused"
    return ""


def same_origin(a: str, b: str) -> bool:
    return host_key(a) == host_key(b)


class Fetcher:
    """Polite GETs and link probes for one crawl. Use `async with Fetcher(...) as f:`."""

    def __init__(
        self,
        *,
        politeness: Politeness | None = None,
        limits: FetchLimits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = USER_AGENT,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.politeness = politeness or Politeness()
        self.limits = limits or FetchLimits()
        self.limiter = HostLimiter(self.politeness)
        self.robots = Robots()
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.requests = 0
        """HTTP requests sent (every try, every redirect hop, robots.txt included)."""
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(self.limits.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            # A profile's headers may add to these (Referer …) but not undo the safe Accept-Encoding.
            headers={"User-Agent": user_agent, **(headers or {}), "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- robots.txt ---------------------------------------------------------------------------------

    async def ensure_robots(self, url: str) -> None:
        if not self.politeness.obey_robots or self.robots.known(url):
            return
        lock = self._robots_locks.setdefault(host_key(url), asyncio.Lock())
        async with lock:
            if self.robots.known(url):
                return
            robots_url = self.robots.robots_url(url)
            try:
                resp = await self._follow("GET", robots_url, {}, self.limits.max_bytes, check_robots=False)
            except FetchFailed as err:
                if err.status is not None:
                    self.robots.load(url, err.status, "")
                else:
                    self.robots.block(url, f"cannot fetch robots.txt: {err.reason}")
                return
            self.robots.load(url, resp.status, resp.body.decode("utf-8", "replace"))
            delay = self.robots.crawl_delay(url)
            if delay > 0:
                self.limiter.set_min_interval(url, delay)

    async def _check_robots(self, url: str) -> None:
        if not self.politeness.obey_robots:
            return
        await self.ensure_robots(url)
        reason = self.robots.allowed(url)
        if reason:
            raise FetchFailed(reason, robots=True)

    # -- public ---------------------------------------------------------------------------------------

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        method: str = "GET",
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Response:
        """GET (or POST `content`, for list APIs) with the crawler's rules.

        A 304 comes back as a Response with status 304 and no body. Raises FetchFailed for anything that
        is not a usable answer (4xx/5xx included).
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if content_type:
            headers["Content-Type"] = content_type
        resp = await self._follow(method, url, headers, self.limits.max_bytes, content=content)
        if resp.status == 304 or 200 <= resp.status < 300:
            return resp
        raise FetchFailed(f"HTTP {resp.status}", status=resp.status)

    async def probe(self, url: str) -> str | None:
        """Check that a link resolves: "ok", the reason it does not, or None when robots.txt forbids asking.

        HEAD first; a tiny GET when the server refuses HEAD.
        """
        try:
            resp = await self._follow("HEAD", url, {}, 0)
            if resp.status in (405, 501, 403):
                resp = await self._follow("GET", url, {}, self.limits.probe_bytes, truncate=True)
        except FetchFailed as err:
            return None if err.robots else err.reason
        if 200 <= resp.status < 300:
            return "ok"
        return f"HTTP {resp.status}"

    # -- internals ----------------------------------------------------------------------------------

    async def _follow(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        cap: int,
        *,
        truncate: bool = False,
        check_robots: bool = True,
        content: bytes | None = None,
    ) -> Response:
        current = url
        seen = {url}
        tries = 0
        for hop in range(self.limits.max_redirects + 1):
            if check_robots:
                await self._check_robots(current)
            resp = await self._with_retries(method, current, headers, cap, truncate, content)
            tries += resp.tries
            location = resp.headers.get("location")
            if resp.status not in REDIRECT_STATUSES or not location:
                resp.url, resp.tries = url, tries
                return resp
            target = urljoin(current, location.strip())
            if not same_origin(target, url):
                raise FetchFailed(f"redirect to another host {urlsplit(target).netloc or target}")
            if target in seen:
                raise FetchFailed(f"redirect loop ({urlsplit(current).path} → {urlsplit(target).path})")
            if hop == self.limits.max_redirects:
                break
            seen.add(target)
            current = target
            if resp.status in (301, 302, 303) and method == "POST":
                # As browsers do: the redirected request is a GET without the body (307/308 keep both).
                method, content = "GET", None
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        raise FetchFailed(f"more than {self.limits.max_redirects} redirects")

    def _backoff(self, attempt: int) -> float:
        base = self.limits.backoff * (2 ** (attempt - 1))
        return min(self.limits.max_backoff, base * random.uniform(0.75, 1.25))

    async def _with_retries(
        self, method: str, url: str, headers: dict[str, str], cap: int, truncate: bool, content: bytes | None = None
    ) -> Response:
        tries = self.limits.tries
        last = ""
        status: int | None = None
        for attempt in range(1, tries + 1):
            wait = self._backoff(attempt)
            try:
                resp = await self._once(method, url, headers, cap, truncate, content)
            except FetchFailed as err:
                if not err.retryable:
                    raise
                last, status = err.reason, None
            else:
                if resp.status != 429 and not 500 <= resp.status <= 599:
                    resp.tries = attempt
                    return resp
                last, status = f"HTTP {resp.status}", resp.status
                after = _retry_after(resp.headers.get("retry-after"))
                if after is not None:
                    wait = min(after, self.limits.max_retry_after)
                if resp.status in (429, 503) and attempt < tries:
                    self.limiter.pause(url, wait)  # the whole host waits, not just this request
            if attempt < tries:
                await _backoff_sleep(wait)
        count = "1 try" if tries == 1 else f"{tries} tries"
        # "HTTP 500 after 3 tries", "timed out after 10 s (3 tries)"
        reason = f"{last} after {count}" if status is not None else f"{last} ({count})"
        raise FetchFailed(reason, status=status)

    async def _once(
        self, method: str, url: str, headers: dict[str, str], cap: int, truncate: bool, content: bytes | None = None
    ) -> Response:
        async with self.limiter.slot(url):
            self.requests += 1
            try:
                async with asyncio.timeout(self.limits.timeout):
                    return await self._stream(method, url, headers, cap, truncate, content)
            except TimeoutError:
                raise FetchFailed(f"timed out after {_seconds(self.limits.timeout)}", retryable=True) from None
            except httpx.TimeoutException:
                raise FetchFailed(f"timed out after {_seconds(self.limits.timeout)}", retryable=True) from None
            except httpx.UnsupportedProtocol:
                raise FetchFailed(f"unsupported URL {url}") from None
            except httpx.TransportError as err:
                raise FetchFailed(_transport_reason(err, url), retryable=True) from None
            except httpx.InvalidURL as err:
                raise FetchFailed(f"invalid URL {url} ({err})") from None

    async def _stream(
        self, method: str, url: str, headers: dict[str, str], cap: int, truncate: bool, content: bytes | None = None
    ) -> Response:
        async with self._client.stream(method, url, headers=headers, content=content) as resp:
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            if method == "HEAD" or resp.status_code in REDIRECT_STATUSES or resp.status_code == 304:
                return Response(url, url, resp.status_code, resp_headers, b"")
            if resp.status_code == 429 or resp.status_code >= 400:
                # The body of an error is not needed; do not download it.
                return Response(url, url, resp.status_code, resp_headers, b"")
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap and not truncate:
                raise FetchFailed(f"response larger than {describe_size(cap)}")
            if resp.is_stream_consumed:
                # An in-memory response (httpx.MockTransport): httpx has already read and decoded it.
                body = _CappedBody("", cap, truncate=truncate)
                body.feed(resp.content)
            else:
                body = _CappedBody(resp_headers.get("content-encoding", ""), cap, truncate=truncate)
                async for chunk in resp.aiter_raw():
                    body.feed(chunk)
                    if body.full:
                        break
            return Response(url, url, resp.status_code, resp_headers, body.finish())
