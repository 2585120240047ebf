"""Politeness: per-host concurrency and request rate are enforced; --rate 0 lifts the rate limit."""

from __future__ import annotations

import asyncio
import time

from guidecheck.crawl.politeness import HostLimiter, Politeness


def _run(politeness: Politeness, urls: list[str], hold: float = 0.0) -> tuple[list[float], dict[str, int]]:
    starts: list[float] = []
    peak: dict[str, int] = {}
    active: dict[str, int] = {}

    async def one(limiter: HostLimiter, url: str) -> None:
        host = url.split("/")[2]
        async with limiter.slot(url):
            starts.append(time.monotonic())
            active[host] = active.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), active[host])
            await asyncio.sleep(hold)
            active[host] -= 1

    async def main() -> None:
        limiter = HostLimiter(politeness)
        await asyncio.gather(*(one(limiter, u) for u in urls))

    asyncio.run(main())
    return sorted(starts), peak


def test_concurrency_per_host_is_bounded() -> None:
    urls = [f"http://a.test/{i}" for i in range(12)] + [f"http://b.test/{i}" for i in range(12)]
    _, peak = _run(Politeness(concurrency=3, rate=0), urls, hold=0.02)
    assert peak == {"a.test": 3, "b.test": 3}


def test_rate_spaces_request_starts_with_jitter() -> None:
    starts, _ = _run(Politeness(concurrency=8, rate=20.0, jitter=0.5), [f"http://a.test/{i}" for i in range(9)])
    span = starts[-1] - starts[0]
    # 8 gaps of 50 ms × [0.5, 1.5]: between 0.2 s and 0.6 s.
    assert 0.2 <= span <= 0.75


def test_rate_zero_is_unlimited() -> None:
    starts, _ = _run(Politeness(concurrency=16, rate=0), [f"http://a.test/{i}" for i in range(16)])
    assert starts[-1] - starts[0] < 0.1


def test_crawl_delay_from_robots_is_a_floor() -> None:
    async def main() -> float:
        limiter = HostLimiter(Politeness(concurrency=4, rate=100.0, jitter=0.0))
        limiter.set_min_interval("http://a.test/", 0.1)
        t0 = time.monotonic()
        for i in range(4):
            async with limiter.slot(f"http://a.test/{i}"):
                pass
        return time.monotonic() - t0

    assert asyncio.run(main()) >= 0.28


def test_a_paused_host_holds_new_requests_but_not_other_hosts() -> None:
    async def main() -> tuple[float, float]:
        limiter = HostLimiter(Politeness(concurrency=4, rate=0))
        limiter.pause("http://a.test/x", 0.2)
        t0 = time.monotonic()
        async with limiter.slot("http://b.test/1"):
            other = time.monotonic() - t0
        async with limiter.slot("http://a.test/1"):
            same = time.monotonic() - t0
        return other, same

    other, same = asyncio.run(main())
    assert other < 0.05 and same >= 0.19
