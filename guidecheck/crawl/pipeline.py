"""Crawl a portal and audit (or save) its guides: the core behind `guidecheck audit` and `crawl`.

    with open_portal(None) as portal:            # the bundled sample portal, served on 127.0.0.1
        result = audit_portal(portal, ["规划和自然资源局"], load_ruleset())

No CLI here: progress goes through a callback, failures become `GuideResult.error` (one clear line),
and only "nothing could be audited" situations (portal unreachable, unknown department) raise.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from guidecheck import __version__
from guidecheck.crawl.cache import CrawlStore, default_cache_path, run_key
from guidecheck.crawl.departments import Department, match_department
from guidecheck.crawl.encoding import decode, detect
from guidecheck.crawl.fetch import Fetcher, FetchLimits
from guidecheck.crawl.navigate import CrawledGuide, ListFailure, Page, Portal, PortalCrawler
from guidecheck.crawl.politeness import Politeness
from guidecheck.crawl.profile import load_profile
from guidecheck.crawl.sample_server import SamplePortalServer
from guidecheck.crawl_manifest import (
    MANIFEST_NAME,
    CrawledFile,
    CrawlFailure,
    CrawlManifest,
    merged,
    read_manifest,
    relative_name,
    write_manifest,
)
from guidecheck.crawl_manifest import now as manifest_now
from guidecheck.errors import ConfigError, GuidecheckError, InputError
from guidecheck.model import Guide
from guidecheck.resources import sample_portal_dir
from guidecheck.results import GuideResult, RunResult

if TYPE_CHECKING:
    from guidecheck.engine import RuleSet
    from guidecheck.labels import Labels

GuideHandler = Callable[[CrawledGuide, PortalCrawler], Awaitable[None] | None]
"""Called with each guide as soon as it (and its attachment links) are in."""

ProgressCallback = Callable[[int, int, str], None]
"""progress(done, total so far, current URL); the total grows as item lists are read."""

SAMPLE_CACHE_ORIGIN = "sample-portal:"

LOCAL_POLITENESS = Politeness(concurrency=8, rate=0.0)
"""For the bundled sample portal, served by this very process: there is nobody to be polite to."""


def effective_politeness(options: CrawlOptions, portal: Portal) -> Politeness:
    if options.politeness is not None:
        return options.politeness
    return LOCAL_POLITENESS if portal.local else Politeness()


@dataclass(slots=True, frozen=True)
class CrawlOptions:
    politeness: Politeness | None = None
    """None = the portal's default: polite (2 per host, 2/s) for a real portal, unlimited for the bundled one."""
    limits: FetchLimits = field(default_factory=FetchLimits)
    cache: Path | None = field(default_factory=default_cache_path)
    """The SQLite file; None keeps the crawl in memory (no conditional requests, no resume)."""
    check_links: bool = True
    transport: httpx.AsyncBaseTransport | None = None
    """Injected HTTP transport (tests); None = the network."""


# -- which portal -----------------------------------------------------------------------------------


@contextlib.contextmanager
def open_portal(
    portal: str | None = None, *, profile: str | None = None, sample_latency: float = 0.0
) -> Iterator[Portal]:
    """The portal to crawl. None serves the bundled sample portal on 127.0.0.1 for the block's duration.

    `portal` is a URL (navigated with `profile`, default "sample") or a profile (name or TOML path)
    whose [portal] base_url says where the portal is.
    """
    if portal is None:
        root = sample_portal_dir()
        if not (root / "departments.html").is_file():
            raise GuidecheckError(f"the bundled sample portal is missing ({root}); reinstall guidecheck")
        prof = load_profile(profile or "sample")
        server = SamplePortalServer(root, latency=sample_latency).start()
        try:
            title = prof.title or "sample portal"
            label = f"{title} {server.url}/"
            yield Portal(server.url + "/", prof, label, cache_origin=SAMPLE_CACHE_ORIGIN, local=True)
        finally:
            server.stop()
        return
    if portal.startswith(("http://", "https://")):
        prof = load_profile(profile or "sample")
        base = portal if portal.endswith("/") else portal + "/"
        yield Portal(base, prof, base)
        return
    prof = load_profile(portal)
    if not prof.base_url:
        raise ConfigError(
            prof.source,
            "the profile has no [portal] base_url",
            fix="set base_url in [portal], or pass the URL: --portal URL --profile " + prof.source,
        )
    if not prof.base_url.startswith(("http://", "https://")):
        raise ConfigError(prof.source, f"[portal] base_url {prof.base_url!r} is not an http(s) URL")
    yield Portal(prof.base_url, prof, f"{prof.title or prof.name} {prof.base_url}")


def select_departments(available: Sequence[Department], names: Sequence[str] | None) -> list[Department]:
    """`names` matched on the portal (fuzzy, see departments.py); None or empty = all departments."""
    if not names:
        return list(available)
    chosen: list[Department] = []
    for name in names:
        dept = match_department(name, available)
        if dept not in chosen:
            chosen.append(dept)
    return chosen


# -- the crawl --------------------------------------------------------------------------------------


@dataclass(slots=True)
class CrawlOutcome:
    departments: list[Department]
    guides: list[CrawledGuide]
    list_failures: list[ListFailure]
    stats: dict[str, int]


def _open_store(path: Path | None) -> tuple[CrawlStore, str]:
    """The cache file; when the *default* one cannot be opened (read-only home), carry on in memory."""
    try:
        return CrawlStore(path), ""
    except ConfigError as err:
        if path is None or path != default_cache_path():
            raise  # a file the user chose: say so
        return CrawlStore(None), str(err)


async def _crawl(
    portal: Portal,
    names: Sequence[str] | None,
    options: CrawlOptions,
    handle: GuideHandler,
    progress: ProgressCallback | None,
) -> CrawlOutcome:
    store, cache_note = _open_store(options.cache)
    try:
        async with Fetcher(
            politeness=effective_politeness(options, portal),
            limits=options.limits,
            transport=options.transport,
            headers=dict(portal.profile.headers),
        ) as fetcher:
            crawler = PortalCrawler(portal, fetcher, store)
            departments = select_departments(await crawler.departments(), names)
            # The run is keyed by the departments as resolved, so "公安局" resumes "临江市公安局".
            chosen = (f"{d.name}@{portal.cache_key(d.url)}" for d in departments)
            selection = "*" if not names else "\x1e".join(sorted(chosen))
            run = store.begin_run(run_key(portal.cache_key(portal.base_url), portal.profile.name, selection))
            crawler.run = run
            guides: list[CrawledGuide] = []
            failures: list[ListFailure] = []
            total = 0

            def discovered(n: int) -> None:
                nonlocal total
                total = n
                if progress:
                    progress(len(guides), total, "")

            async def on_guide(crawled: CrawledGuide) -> None:
                guides.append(crawled)
                outcome = handle(crawled, crawler)
                if outcome is not None:
                    await outcome
                crawled.page.body = b""  # handled: extracted or saved; a big portal must not pile up in memory
                if progress:
                    progress(len(guides), max(total, len(guides)), crawled.page.url)

            try:
                await crawler.crawl(
                    departments,
                    on_guide,
                    on_list_failure=failures.append,
                    on_discovered=discovered,
                    check_links=options.check_links,
                )
            except BaseExceptionGroup as group:
                raise _first_error(group) from None
            store.finish_run(run)
            stats = dict(crawler.stats)
            stats["requests"] = fetcher.requests
            stats["resumed"] = int(run.resumed)
            stats["cache_unavailable"] = int(bool(cache_note))
            return CrawlOutcome(departments, guides, failures, stats)
    finally:
        store.close()


def _first_error(group: BaseExceptionGroup) -> BaseException:
    """The task group's first user-facing error (or its first error) without the group wrapper."""
    leaves: list[BaseException] = []
    pending: list[BaseException] = [group]
    while pending:
        exc = pending.pop(0)
        if isinstance(exc, BaseExceptionGroup):
            pending.extend(exc.exceptions)
        else:
            leaves.append(exc)
    for exc in leaves:
        if isinstance(exc, GuidecheckError):
            return exc
    return leaves[0] if leaves else group


def _order(portal_guides: list[CrawledGuide], departments: list[Department]) -> list[CrawledGuide]:
    rank = {d: i for i, d in enumerate(departments)}
    return sorted(portal_guides, key=lambda g: (rank.get(g.department, 0), _natural(g.page.url)))


def _natural(text: str) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _guide_stats(outcome: CrawlOutcome) -> dict[str, int]:
    ok = [g for g in outcome.guides if g.page.error is None]
    stats = {
        "guides": len(outcome.guides),
        "fetched": sum(1 for g in ok if not g.page.from_cache),
        "cached": sum(1 for g in ok if g.page.from_cache),
        "failed": len(outcome.guides) - len(ok) + len(outcome.list_failures),
        "list_failures": len(outcome.list_failures),
    }
    for key in (
        "requests",
        "links_checked",
        "links_broken",
        "replayed",
        "not_modified",
        "resumed",
        "cache_unavailable",
    ):
        stats[key] = outcome.stats.get(key, 0)
    return stats


# -- audit ------------------------------------------------------------------------------------------


def media_type(page: Page) -> str:
    """The page's media type with the charset the bytes really use (GBK pages often declare none)."""
    base = (page.content_type.split(";", 1)[0].strip().lower()) or ("application/json" if page.is_json else "text/html")
    return f"{base}; charset={detect(page.body, page.content_type)}"


def extract_page(page: Page, labels: Labels | None = None) -> Guide:
    from guidecheck.extract import extract

    return extract(page.body, page.url, media_type=media_type(page), labels=labels)


def _extracted(crawled: CrawledGuide, labels: Labels | None) -> Guide | GuideResult:
    """The page's Guide, or the GuideResult that says why there is none."""
    page, dept = crawled.page, crawled.department.name
    if page.error:
        return GuideResult(source=page.url, error=page.error, department=dept, from_cache=page.from_cache)
    try:
        return extract_page(page, labels)
    except InputError as err:
        return GuideResult(source=page.url, error=str(err), department=dept, from_cache=page.from_cache)
    except Exception as err:  # a crawler must not stop at one odd page; say what happened instead
        reason = f"could not extract the guide ({type(err).__name__}: {err})"
        return GuideResult(source=page.url, error=reason, department=dept, from_cache=page.from_cache)


def material_links(guide: Guide) -> list[str]:
    """Blank-form and sample links of the guide's materials, as the extractor read them (MAT10 keys)."""
    links: list[str] = []
    for material in guide.materials:
        for link in (material.blank_form, material.sample):
            if link and link not in links and ("/" in link or link.startswith("http")):
                links.append(link)
    return links


def _checked(guide: Guide, crawled: CrawledGuide, ruleset: RuleSet, lang: str) -> GuideResult:
    from guidecheck.api import audit_guide

    guide.link_status.update(crawled.links)
    result = audit_guide(guide, ruleset, lang, department=crawled.department.name)
    result.source = crawled.page.url
    result.from_cache = crawled.page.from_cache
    return result


def audit_crawled(crawled: CrawledGuide, ruleset: RuleSet, lang: str = "zh") -> GuideResult:
    """Extract and check one crawled guide; anything that stops the audit becomes the guide's error."""
    got = _extracted(crawled, ruleset.labels)
    return got if isinstance(got, GuideResult) else _checked(got, crawled, ruleset, lang)


def audit_portal(
    portal: Portal,
    departments: Sequence[str] | None,
    ruleset: RuleSet,
    *,
    lang: str = "zh",
    options: CrawlOptions | None = None,
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Crawl `departments` (None = all) of `portal` and audit every guide.

    Raises PortalError when the portal cannot be read at all, GuidecheckError for an unknown department.
    """
    options = options or CrawlOptions()
    results: dict[str, GuideResult] = {}

    async def handle(crawled: CrawledGuide, crawler: PortalCrawler) -> None:
        got = _extracted(crawled, ruleset.labels)
        if isinstance(got, GuideResult):
            results[crawled.page.url] = got
            return
        if options.check_links:
            # The materials may link forms the profile's attachment XPath did not see: check those too.
            extra = [link for link in material_links(got) if link not in crawled.links]
            if extra:
                crawled.links.update(await crawler.check_links(crawled.page, extra))
        results[crawled.page.url] = _checked(got, crawled, ruleset, lang)

    outcome = asyncio.run(_crawl(portal, departments, options, handle, progress))
    run = RunResult(lang=lang, portal=portal.label, rules=list(ruleset.rules))
    run.departments = [d.name for d in outcome.departments]
    for crawled in _order(outcome.guides, outcome.departments):
        run.guides.append(results[crawled.page.url])
    for failure in outcome.list_failures:
        run.guides.append(GuideResult(source=failure.url, error=failure.reason, department=failure.department.name))
    run.stats = _guide_stats(outcome)
    run.stats["audited"] = sum(1 for g in run.guides if not g.error)
    run.stats["failed"] = len(run.errors)
    return run


def audit_department(portal: Portal, department: str, ruleset: RuleSet, **kwargs: object) -> RunResult:
    """One department's audit (see `audit_portal`)."""
    return audit_portal(portal, [department], ruleset, **kwargs)  # type: ignore[arg-type]


# -- crawl to files ---------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"(<meta[^>]*charset\s*=\s*[\"']?)([A-Za-z0-9_\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""(<\?xml[^>]*encoding\s*=\s*["'])([A-Za-z0-9_\-.]+)(["'])""", re.IGNORECASE)
_UNSAFE = re.compile(r"[^\w.\-]+")


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "_"


def saved_name(crawled: CrawledGuide) -> str:
    """department-code/last-path-segment.{html,json}; a query string adds a short hash."""
    page = crawled.page
    parts = urlsplit(page.url)
    stem = Path(parts.path).stem or "index"
    if parts.query:
        stem += "-" + hashlib.sha1(parts.query.encode()).hexdigest()[:8]
    suffix = ".json" if page.is_json else ".html"
    folder = _safe(crawled.department.code or crawled.department.name)
    name = _safe(stem) + suffix
    if name == MANIFEST_NAME:  # `check` would take the guide for a manifest
        name = f"{_safe(stem)}_{suffix}"
    return f"{folder}/{name}"


def utf8_body(page: Page) -> bytes:
    """The body re-encoded as UTF-8, with an HTML <meta charset> saying so."""
    text, _ = decode(page.body, page.content_type)
    data = text.encode("utf-8")
    if not page.is_json:
        data = _META_CHARSET.sub(lambda m: m.group(1) + b"utf-8", data, count=1)
        data = _XML_ENCODING.sub(lambda m: m.group(1) + b"utf-8" + m.group(3), data, count=1)
    return data


@dataclass(slots=True)
class SavedCrawl:
    portal: str
    departments: list[str]
    files: list[Path]
    failures: list[GuideResult]
    stats: dict[str, int]
    manifest: Path
    """The crawl.json written beside the files."""


def crawl_to_dir(
    portal: Portal,
    departments: Sequence[str] | None,
    out_dir: Path,
    *,
    options: CrawlOptions | None = None,
    progress: ProgressCallback | None = None,
    labels: Labels | None = None,
) -> SavedCrawl:
    """Save every guide of `departments` under `out_dir` as UTF-8 files that `guidecheck check` reads.

    Beside them `out_dir/crawl.json` records each file's URL, department and attachment link statuses
    (merged with the manifest already there), so that `check` reports MAT10 as `audit` does. `labels`
    (a rules folder's synonyms) read the pages for their material links as `check --rules` will.
    """
    options = options or CrawlOptions()
    manifest_path = out_dir / MANIFEST_NAME
    if manifest_path.exists() and not manifest_path.is_file():  # found out after the crawl, it would be lost
        raise GuidecheckError(f"{manifest_path}: is a folder, where the crawl manifest goes; move it away")
    previous = read_manifest(manifest_path) if manifest_path.is_file() else None  # a broken one stops us here
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GuidecheckError(f"{out_dir}: cannot create: {err.strerror or err}") from None
    started = manifest_now()
    files: list[Path] = []
    failures: list[GuideResult] = []
    entries: dict[str, CrawledFile] = {}

    async def handle(crawled: CrawledGuide, crawler: PortalCrawler) -> None:
        page = crawled.page
        if page.error:
            failures.append(GuideResult(source=page.url, error=page.error, department=crawled.department.name))
            return
        if options.check_links:
            await _check_material_links(crawled, crawler, labels)
        target = out_dir / saved_name(crawled)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(utf8_body(page))
        except OSError as err:
            raise GuidecheckError(f"{target}: cannot write: {err.strerror or err}") from None
        files.append(target)
        name = relative_name(target, out_dir)
        links = dict(crawled.links) if options.check_links else None
        entries[name] = CrawledFile(name, page.url, crawled.department.name, started, links)

    outcome: CrawlOutcome | None = None
    try:
        outcome = asyncio.run(_crawl(portal, departments, options, handle, progress))
    finally:
        # Even an interrupted crawl records the files it saved: without their entries they would be
        # checked as if their links had never been looked at.
        if entries or outcome is not None:
            crawled_names = [d.name for d in outcome.departments] if outcome else []
            list_failures = outcome.list_failures if outcome else []
            _write_manifest(manifest_path, previous, portal, started, entries, failures, list_failures, crawled_names)
    for failure in outcome.list_failures:
        failures.append(GuideResult(source=failure.url, error=failure.reason, department=failure.department.name))
    stats = _guide_stats(outcome)
    stats["saved"] = len(files)
    return SavedCrawl(
        portal.label, [d.name for d in outcome.departments], sorted(files), failures, stats, manifest_path
    )


async def _check_material_links(crawled: CrawledGuide, crawler: PortalCrawler, labels: Labels | None) -> None:
    """As `audit` does: the materials may link forms the profile's attachment XPath did not see."""
    try:
        guide = extract_page(crawled.page, labels)
    except Exception:  # the file is saved all the same; `check` will say why it cannot be read
        return
    extra = [link for link in material_links(guide) if link not in crawled.links]
    if extra:
        crawled.links.update(await crawler.check_links(crawled.page, extra))


def _write_manifest(
    path: Path,
    previous: CrawlManifest | None,
    portal: Portal,
    started: str,
    entries: dict[str, CrawledFile],
    failures: list[GuideResult],
    list_failures: list[ListFailure],
    departments: list[str],
) -> None:
    failed = [CrawlFailure(f.source, f.department, f.error or "", started) for f in failures]
    failed += [CrawlFailure(f.url, f.department.name, f.reason, started) for f in list_failures]
    new = CrawlManifest(portal.label, started, __version__, entries, failed)
    write_manifest(path, merged(previous, new, departments))
