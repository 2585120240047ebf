"""Politeness: how many requests a host gets at once and how often, and what robots.txt allows.

Defaults follow prior-art §5: two requests in flight per host, about two requests per second with
0.5–1.5× jitter (Scrapy's scheme), robots.txt obeyed.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

USER_AGENT = "guidecheck/0.1 (+service-guide audit; polite crawler)"
"""Sent with every request; robots.txt rules are matched against its first word."""

ROBOTS_AGENT = "guidecheck"


@dataclass(slots=True, frozen=True)
class Politeness:
    concurrency: int = 2
    """Requests in flight per host."""
    rate: float = 2.0
    """Requests started per second per host; 0 lifts the limit."""
    jitter: float = 0.5
    """Each gap is the base gap × a random factor in [1 - jitter, 1 + jitter]."""
    obey_robots: bool = True


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class _HostSlot:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class HostLimiter:
    """Per-host gate: a semaphore for concurrency and a spaced start time for the rate.

    Use as `async with limiter.slot(url): ...` around one request.
    """

    def __init__(self, politeness: Politeness, *, min_interval: dict[str, float] | None = None) -> None:
        self.politeness = politeness
        self._hosts: dict[str, _HostSlot] = {}
        self._min_interval = min_interval if min_interval is not None else {}

    def set_min_interval(self, url: str, seconds: float) -> None:
        """A floor for the gap between requests to a host (robots.txt Crawl-delay)."""
        self._min_interval[host_key(url)] = seconds

    def _host(self, url: str) -> _HostSlot:
        key = host_key(url)
        slot = self._hosts.get(key)
        if slot is None:
            slot = _HostSlot(asyncio.Semaphore(max(1, self.politeness.concurrency)))
            self._hosts[key] = slot
        return slot

    def _gap(self, url: str) -> float:
        rate = self.politeness.rate
        base = 0.0 if rate <= 0 else 1.0 / rate
        if rate > 0:
            base = max(base, self._min_interval.get(host_key(url), 0.0))
        if base <= 0:
            return 0.0
        j = self.politeness.jitter
        return base * random.uniform(1 - j, 1 + j)

    def pause(self, url: str, seconds: float) -> None:
        """Hold every new request to the host for `seconds` (it answered 429/503: it is struggling)."""
        host = self._host(url)
        host.next_start = max(host.next_start, time.monotonic() + seconds)

    def slot(self, url: str) -> _Slot:
        return _Slot(self, url)

    async def _enter(self, url: str) -> None:
        host = self._host(url)
        await host.semaphore.acquire()
        try:
            gap = self._gap(url)
            async with host.lock:
                now = time.monotonic()
                wait = host.next_start - now
                host.next_start = max(now, host.next_start) + gap
            if wait > 0:
                await asyncio.sleep(wait)
        except BaseException:
            host.semaphore.release()
            raise

    def _exit(self, url: str) -> None:
        self._host(url).semaphore.release()


class _Slot:
    def __init__(self, limiter: HostLimiter, url: str) -> None:
        self._limiter, self._url = limiter, url

    async def __aenter__(self) -> None:
        await self._limiter._enter(self._url)

    async def __aexit__(self, *exc: object) -> None:
        self._limiter._exit(self._url)


class Robots:
    """robots.txt rules per host. A host whose robots.txt is missing (4xx) allows everything."""

    def __init__(self) -> None:
        self._parsers: dict[str, RobotFileParser | None] = {}
        self._blocked_reason: dict[str, str] = {}

    def known(self, url: str) -> bool:
        return host_key(url) in self._parsers

    def robots_url(self, url: str) -> str:
        return host_key(url) + "/robots.txt"

    def load(self, url: str, status: int | None, text: str) -> None:
        """Record a host's robots.txt outcome (RFC 9309 §2.3: 4xx → allow all, 5xx → disallow all)."""
        key = host_key(url)
        if status is not None and 200 <= status < 300:
            parser = RobotFileParser()
            parser.parse(text.splitlines())
            self._parsers[key] = parser
        elif status is not None and 400 <= status < 500:
            self._parsers[key] = None
        else:
            self.block(url, f"robots.txt answered HTTP {status}: treated as disallowing everything (RFC 9309)")

    def block(self, url: str, reason: str) -> None:
        """Refuse every URL of the host, with `reason` (robots.txt unreachable or failing)."""
        key = host_key(url)
        self._parsers[key] = None
        self._blocked_reason[key] = reason

    def allowed(self, url: str) -> str | None:
        """None when the URL may be fetched, else the reason it may not."""
        key = host_key(url)
        if key in self._blocked_reason:
            return self._blocked_reason[key]
        parser = self._parsers.get(key)
        if parser is None:
            return None
        if parser.can_fetch(ROBOTS_AGENT, url):
            return None
        return "disallowed by robots.txt"

    def crawl_delay(self, url: str) -> float:
        parser = self._parsers.get(host_key(url))
        if parser is None:
            return 0.0
        delay = parser.crawl_delay(ROBOTS_AGENT)
        try:
            return float(delay) if delay is not None else 0.0
        except (TypeError, ValueError):
            return 0.0
