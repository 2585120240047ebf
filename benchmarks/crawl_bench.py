"""Benchmark the crawler: guides per second against the local sample portal, polite and unleashed.

    python benchmarks/crawl_bench.py [--latencies 0,0.05] [--polite-dept 规划和自然资源局] [--repeat 3]

For each injected server latency (per request, in the sample server's handler thread) it crawls:
- at the default politeness (2 requests in flight per host, 2 requests/s with jitter), one department,
  because at 2 requests/s the whole portal takes minutes, by design;
- with politeness lifted (`--concurrency 16 --rate 0`), the whole portal (433 guides);
- a baseline in the same run: bare httpx.AsyncClient GETs of the same guide URLs, 16 at a time, with no
  robots.txt, no cache, no list pages. crawler / baseline says what the crawler's care costs.

The unleashed crawl and the baseline run `--repeat` times (interleaved) and the median is kept; the
polite crawl runs once (its time is set by the rate limit). Every crawl starts from an empty cache
(`crawl_to_dir` with no cache file), so every guide is downloaded.
Link checks (attachments) are off: this measures guide fetching; `audit` adds one HEAD per attachment.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from guidecheck.crawl.navigate import Portal  # noqa: E402
from guidecheck.crawl.pipeline import CrawlOptions, crawl_to_dir  # noqa: E402
from guidecheck.crawl.politeness import Politeness  # noqa: E402
from guidecheck.crawl.profile import load_profile  # noqa: E402
from guidecheck.crawl.sample_server import SamplePortalServer  # noqa: E402
from guidecheck.resources import sample_portal_dir  # noqa: E402

DEFAULT = Politeness()
LIFTED = Politeness(concurrency=16, rate=0.0)


def crawl(server: SamplePortalServer, departments: list[str] | None, politeness: Politeness) -> tuple[int, float]:
    portal = Portal(server.url + "/", load_profile("sample"), "bench")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        saved = crawl_to_dir(portal, departments, Path(out), options=CrawlOptions(politeness=politeness, cache=None))
        elapsed = time.perf_counter() - start
    if saved.failures:
        raise SystemExit(f"the crawl failed: {saved.failures[0].source}: {saved.failures[0].error}")
    return len(saved.files), elapsed


def guide_urls(base: str) -> list[str]:
    root = sample_portal_dir()
    paths = sorted((root / "guide").rglob("*.html")) + sorted((root / "api" / "guide").glob("*.json"))
    return [base + "/" + p.relative_to(root).as_posix() for p in paths]


def baseline(server: SamplePortalServer, concurrency: int = 16) -> tuple[int, float]:
    urls = guide_urls(server.url)

    async def main() -> None:
        gate = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:

            async def get(url: str) -> None:
                async with gate:
                    (await client.get(url)).raise_for_status()

            await asyncio.gather(*(get(u) for u in urls))

    start = time.perf_counter()
    asyncio.run(main())
    return len(urls), time.perf_counter() - start


def row(name: str, latency: float, guides: int, seconds: float, base: float | None = None) -> str:
    rate = guides / seconds
    ratio = f"{rate / base:.2f}" if base else "—"
    return f"| {name} | {latency * 1000:.0f} ms | {guides} | {seconds:.2f} | {rate:.1f} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latencies", default="0,0.05", help="Injected latencies in seconds, comma-separated.")
    parser.add_argument("--polite-dept", default="规划和自然资源局", help="Department crawled at default politeness.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of the fast measurements (median kept).")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d')}, {platform.python_implementation()} {platform.python_version()}")
    print("| run | latency | guides | seconds | guides/s | vs baseline |")
    print("|---|---|---|---|---|---|")
    for latency in (float(x) for x in args.latencies.split(",")):
        with SamplePortalServer(sample_portal_dir(), latency=latency) as server:
            bases, crawls = [], []
            for _ in range(args.repeat):
                bases.append(baseline(server))
                crawls.append(crawl(server, None, LIFTED))
            base_n, base_s = bases[0][0], statistics.median(t for _, t in bases)
            base_rate = base_n / base_s
            print(row("baseline: bare httpx, 16 at a time", latency, base_n, base_s), flush=True)
            n, s = crawls[0][0], statistics.median(t for _, t in crawls)
            print(row("crawler, --concurrency 16 --rate 0, all", latency, n, s, base_rate), flush=True)
            n, s = crawl(server, [args.polite_dept], DEFAULT)
            print(row(f"crawler, default politeness, {args.polite_dept}", latency, n, s, base_rate), flush=True)


if __name__ == "__main__":
    main()
