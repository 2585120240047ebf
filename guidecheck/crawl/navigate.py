"""Walk a portal: department list → item-list pages → guide pages → attachment links.

The profile says where things are; `Fetcher` does the polite HTTP; `CrawlStore` remembers every page
the moment it arrives. A run that was interrupted replays what it already has from the store (no
request at all) and fetches only the rest; a new run sends conditional requests for what it had.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from guidecheck.crawl.cache import DONE, FAILED, CrawlStore, Run
from guidecheck.crawl.departments import Department
from guidecheck.crawl.encoding import detect
from guidecheck.crawl.fetch import Fetcher, FetchFailed, same_origin
from guidecheck.crawl.politeness import host_key
from guidecheck.crawl.profile import JsonListSpec, PortalProfile, json_path
from guidecheck.errors import PortalError

MAX_LIST_PAGES = 2000
"""A department with more item-list pages than this is a pagination loop, not a department."""


@dataclass(slots=True, frozen=True)
class Portal:
    """A portal to crawl: where it is, how to navigate it, and what to call it in the output."""

    base_url: str
    profile: PortalProfile
    label: str
    cache_origin: str = ""
    """A stable stand-in for the origin in cache keys (the sample portal's port changes every run)."""
    local: bool = False
    """The bundled sample portal served by this process (default politeness is lifted for it)."""

    def absolute(self, ref: str, base: str | None = None) -> str:
        return urljoin(base or self.base_url, ref.strip())

    def url_for_key(self, key: str) -> str:
        """The inverse of `cache_key` for this portal's own pages."""
        if self.cache_origin and key.startswith(self.cache_origin):
            return urljoin(self.base_url, key[len(self.cache_origin) :])
        return key

    def cache_key(self, url: str) -> str:
        if self.cache_origin and host_key(url) == host_key(self.base_url):
            parts = urlsplit(url)
            return self.cache_origin + parts.path + (f"?{parts.query}" if parts.query else "")
        return url


@dataclass(slots=True)
class Page:
    url: str
    """The URL asked for (the guide's identity in reports)."""
    kind: str
    department: str = ""
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    from_cache: bool = False
    """Not downloaded this run: answered 304, or replayed from an interrupted run."""
    error: str | None = None
    final_url: str = ""
    """The URL that answered, after redirects; relative links resolve against it."""

    @property
    def base(self) -> str:
        return self.final_url or self.url

    @property
    def is_json(self) -> bool:
        # Portals send JSON as application/json, text/plain, even text/html: trust the first byte too.
        return "json" in self.content_type.lower() or self.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


@dataclass(slots=True, frozen=True)
class GuideRef:
    url: str
    name: str
    department: Department


@dataclass(slots=True)
class CrawledGuide:
    """A guide page with its department and the status of every attachment link on it."""

    page: Page
    department: Department
    name: str = ""
    links: dict[str, str] = field(default_factory=dict)
    """Link (as written on the page, and absolute) → "ok" or why it does not resolve."""


@dataclass(slots=True, frozen=True)
class ListFailure:
    url: str
    department: Department
    reason: str


GuideHandler = Callable[[CrawledGuide], Awaitable[None] | None]


def _parse_html(page: Page) -> etree._Element:
    parser = html.HTMLParser(encoding=detect(page.body, page.content_type))
    root = html.fromstring(page.body or b"<html></html>", parser=parser)
    return root


def _as_text(value: Any) -> str:
    """An XPath result as a link: an element's href, or the string itself (an @href result)."""
    if isinstance(value, etree._Element):
        return value.get("href") or ""
    return str(value)


class PortalCrawler:
    def __init__(self, portal: Portal, fetcher: Fetcher, store: CrawlStore, run: Run | None = None) -> None:
        self.portal = portal
        self.fetcher = fetcher
        self.store = store
        self.run = run
        """The resumable run pages are recorded in; None while the department list is read."""
        self.stats: Counter[str] = Counter()
        self._probes: dict[str, asyncio.Task[str | None]] = {}
        self._seen_guides: set[str] = set()

    # -- one page ---------------------------------------------------------------------------------

    async def page(self, url: str, *, kind: str, department: str = "", post: tuple[bytes, str] | None = None) -> Page:
        """Fetch `url` (or replay it), store it, and say how it went. Never raises for HTTP trouble.

        `post` = (body, content type) POSTs instead of GETting (list APIs); the body is part of the key.
        """
        key = self.portal.cache_key(url)
        if post is not None:
            key += "#post:" + hashlib.sha1(post[0]).hexdigest()[:16]
        state = self.store.run_url(self.run, key)
        cached = self.store.page(key)
        if state is not None and state.state == DONE and cached is not None:
            self.stats["replayed"] += 1
            return self._from_cached(url, kind, department, cached, from_cache=True)
        self.store.add_pending(self.run, key, kind=kind, department=department)
        try:
            resp = await self.fetcher.get(
                url,
                etag=cached.etag if cached else None,
                last_modified=cached.last_modified if cached else None,
                method="GET" if post is None else "POST",
                content=None if post is None else post[0],
                content_type=None if post is None else post[1],
            )
        except FetchFailed as err:
            self.store.mark(self.run, key, kind=kind, department=department, state=FAILED, reason=err.reason)
            self.stats["failed_pages"] += 1
            return Page(url, kind, department, status=err.status or 0, error=err.reason)
        if resp.status == 304 and cached is not None:
            self.store.touch_page(key, run=self.run, kind=kind, department=department)
            self.stats["not_modified"] += 1
            return self._from_cached(url, kind, department, cached, from_cache=True)
        if resp.status == 304:
            reason = "HTTP 304 for a page not in the cache"
            self.store.mark(self.run, key, kind=kind, department=department, state=FAILED, reason=reason)
            return Page(url, kind, department, status=304, error=reason)
        self.store.save_page(
            key,
            status=resp.status,
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            content_type=resp.content_type,
            body=resp.body,
            final_url=self.portal.cache_key(resp.final_url) if resp.final_url != url else None,
            run=self.run,
            kind=kind,
            department=department,
        )
        self.stats["downloaded"] += 1
        final = resp.final_url if resp.final_url != url else ""
        return Page(url, kind, department, resp.status, resp.content_type, resp.body, final_url=final)

    def _from_cached(self, url: str, kind: str, department: str, cached: Any, *, from_cache: bool) -> Page:
        final = self.portal.url_for_key(cached.final_url) if cached.final_url else ""
        return Page(url, kind, department, cached.status, cached.content_type, cached.body, from_cache, final_url=final)

    # -- departments ------------------------------------------------------------------------------

    async def departments(self) -> list[Department]:
        spec = self.portal.profile.departments
        url = self.portal.absolute(spec.url)
        page = await self.page(url, kind="departments")
        if page.error:
            raise PortalError(f"cannot read the department list at {url}: {page.error}")
        found = self._json_departments(page, page.base) if page.is_json else self._html_departments(page, page.base)
        if not found:
            kind = "items" if page.is_json else "link_xpath"
            raise PortalError(f"the department list at {url} has no departments matching the profile's {kind}")
        return found

    def _json_departments(self, page: Page, url: str) -> list[Department]:
        spec = self.portal.profile.departments
        if not spec.items:
            raise PortalError(f"the department list at {url} is JSON, but the profile has no [departments] items")
        try:
            data = json.loads(page.body.decode(detect(page.body, page.content_type), "replace"))
        except json.JSONDecodeError as err:
            raise PortalError(f"the department list at {url} is not valid JSON ({err.msg})") from None
        rows = json_path(data, spec.items)
        found: list[Department] = []
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or not row.get(spec.name_field):
                continue
            fields = {k: v for k, v in row.items() if isinstance(v, (str, int, float))}
            code = str(row.get(spec.code_field, "")) if spec.code_field else ""
            fields.setdefault("code", code)
            try:
                target = self.portal.absolute(spec.list_url.format_map(fields), url)
            except KeyError as err:
                raise PortalError(f"a department in {url} lacks the field {err} used by list_url") from None
            found.append(Department(code=code, name=str(row[spec.name_field]).strip(), url=target))
        return found

    def _html_departments(self, page: Page, url: str) -> list[Department]:
        spec = self.portal.profile.departments
        if not spec.link_xpath:
            raise PortalError(f"the department list at {url} is HTML, but the profile has no [departments] link_xpath")
        root = _parse_html(page)
        found: list[Department] = []
        seen: set[str] = set()
        for el in root.xpath(spec.link_xpath):
            if not isinstance(el, etree._Element):
                continue
            href, name = el.get("href") or "", " ".join(el.text_content().split())
            if not href or not name:
                continue
            target = self.portal.absolute(href, url)
            code = (el.get(spec.code_attribute) if spec.code_attribute else None) or ""
            if target in seen:
                continue
            seen.add(target)
            found.append(Department(code=code, name=name, url=target))
        return found

    # -- item lists -------------------------------------------------------------------------------

    async def guide_refs(self, dept: Department) -> AsyncIterator[GuideRef | ListFailure]:
        """Every guide a department lists, page by page; a page that fails ends the walk with a ListFailure."""
        url: str | None = dept.url
        json_spec = self.portal.profile.json_list
        visited: set[tuple[str, bytes]] = set()
        number = 0
        while url and number < MAX_LIST_PAGES:
            number += 1
            post = json_spec.request_body(dept.code, number) if json_spec else None
            if (url, post[0] if post else b"") in visited:
                break
            visited.add((url, post[0] if post else b""))
            page = await self.page(url, kind="list", department=dept.name, post=post)
            if page.error:
                yield ListFailure(url, dept, f"item list page {number} of {dept.name}: {page.error}")
                return
            try:
                if page.is_json:
                    refs, url = self._json_list(page, dept, number)
                else:
                    refs, url = self._html_list(page, dept)
            except (ValueError, KeyError) as err:
                yield ListFailure(url or page.url, dept, f"item list page {number} of {dept.name}: {err}")
                return
            for ref in refs:
                yield ref

    def _html_list(self, page: Page, dept: Department) -> tuple[list[GuideRef], str | None]:
        spec = self.portal.profile.html_list
        if spec is None:
            raise ValueError("an HTML item list, but the portal profile has no [html_list]")
        root = _parse_html(page)
        refs = []
        for value in root.xpath(spec.item_xpath):
            href = _as_text(value).strip()
            if not href or href.startswith(("javascript:", "#")):
                continue
            name = " ".join(value.text_content().split()) if isinstance(value, etree._Element) else ""
            refs.append(GuideRef(self.portal.absolute(href, page.base), name, dept))
        next_url = None
        if spec.next_xpath:
            values = root.xpath(spec.next_xpath)
            nexts = [_as_text(v).strip() for v in values] if isinstance(values, list) else [str(values)]
            nexts = [n for n in nexts if n and not n.startswith(("javascript:", "#"))]
            if nexts:
                next_url = self.portal.absolute(nexts[0], page.base)
        return refs, next_url

    def _json_list(self, page: Page, dept: Department, number: int) -> tuple[list[GuideRef], str | None]:
        spec: JsonListSpec | None = self.portal.profile.json_list
        if spec is None:
            raise ValueError("a JSON item list, but the portal profile has no [json_list]")
        try:
            data = json.loads(page.body.decode(detect(page.body, page.content_type), "replace"))
        except json.JSONDecodeError as err:
            raise ValueError(f"not valid JSON ({err.msg} at line {err.lineno})") from None
        items = json_path(data, spec.items)
        if not isinstance(items, list):
            raise ValueError(f"no list at '{spec.items}' (the profile's [json_list] items)")
        refs = []
        for item in items:
            if not isinstance(item, dict):
                continue
            fields = {k: v for k, v in item.items() if isinstance(v, (str, int, float))}
            fields.setdefault("dept_code", dept.code)
            try:
                guide = spec.guide_url.format_map(fields)
            except KeyError as err:
                raise ValueError(f"an item lacks the field {err} used by guide_url") from None
            name = str(item.get(spec.item_name, "")) if spec.item_name else ""
            refs.append(GuideRef(self.portal.absolute(guide, page.base), name, dept))
        return refs, self._json_next(data, spec, dept, number, page.base, len(items))

    def _json_next(
        self, data: Any, spec: JsonListSpec, dept: Department, number: int, url: str, count: int
    ) -> str | None:
        if spec.next_url:
            nxt = json_path(data, spec.next_url)
            return self.portal.absolute(str(nxt), url) if nxt else None
        if count == 0 or not (spec.page_url or spec.method == "POST"):
            return None
        index = _int(json_path(data, spec.page_index)) if spec.page_index else None
        size = _int(json_path(data, spec.page_size)) if spec.page_size else None
        total = _int(json_path(data, spec.total)) if spec.total else None
        index = index or number
        size = size or count
        if total is None or index * size >= total:
            return None
        if not spec.page_url:
            return url  # POST: the same endpoint; the next page number goes in the body
        return self.portal.absolute(spec.page_url.format(dept_code=dept.code, page=index + 1), url)

    # -- attachments ------------------------------------------------------------------------------

    def attachment_links(self, page: Page) -> list[str]:
        """Attachment links as written on a guide page (profile [attachments])."""
        spec = self.portal.profile.attachments
        found: list[str] = []
        if page.is_json and spec.json_keys:
            try:
                data = json.loads(page.body.decode(detect(page.body, page.content_type), "replace"))
            except json.JSONDecodeError:
                return []
            found = list(_values_for_keys(data, set(spec.json_keys)))
        elif not page.is_json and spec.html_xpath:
            values = _parse_html(page).xpath(spec.html_xpath)
            found = [_as_text(v) for v in values] if isinstance(values, list) else []
        out: list[str] = []
        for link in found:
            link = link.strip()
            if link and not link.startswith(("javascript:", "#", "mailto:")) and link not in out:
                out.append(link)
        return out

    async def check_links(self, page: Page, links: Iterable[str]) -> dict[str, str]:
        """Status of each same-host link: "ok" or the reason. Links to other hosts are not probed."""
        wanted: dict[str, str] = {}
        for link in links:
            target = self.portal.absolute(link, page.base)
            if urlsplit(target).scheme in ("http", "https") and same_origin(target, self.portal.base_url):
                wanted[link] = target
        results = await asyncio.gather(*(self._probe(t, page.department) for t in wanted.values()))
        status: dict[str, str] = {}
        for (link, target), outcome in zip(wanted.items(), results, strict=True):
            if outcome is None:
                continue  # not checked (robots.txt): no news is not bad news
            status[link] = outcome
            status[target] = outcome
        return status

    async def _probe(self, url: str, department: str) -> str | None:
        task = self._probes.get(url)
        if task is None:
            task = asyncio.ensure_future(self._probe_once(url, department))
            self._probes[url] = task
        return await task

    async def _probe_once(self, url: str, department: str) -> str | None:
        key = self.portal.cache_key(url)
        state = self.store.run_url(self.run, key)
        if state is not None and state.state == DONE and state.reason:
            return state.reason
        self.store.add_pending(self.run, key, kind="attachment", department=department)
        outcome = await self.fetcher.probe(url)
        if outcome is None:
            self.stats["links_disallowed"] += 1
            return None
        self.store.mark(self.run, key, kind="attachment", department=department, state=DONE, reason=outcome)
        self.stats["links_checked"] += 1
        if outcome != "ok":
            self.stats["links_broken"] += 1
        return outcome

    # -- the whole walk ---------------------------------------------------------------------------

    async def crawl(
        self,
        departments: Iterable[Department],
        on_guide: GuideHandler,
        *,
        on_list_failure: Callable[[ListFailure], None] | None = None,
        on_discovered: Callable[[int], None] | None = None,
        check_links: bool = True,
    ) -> None:
        """Fetch every guide of `departments`, calling `on_guide` for each as soon as it is ready."""
        async with asyncio.TaskGroup() as group:
            for dept in departments:
                group.create_task(self._walk(dept, group, on_guide, on_list_failure, on_discovered, check_links))

    async def _walk(
        self,
        dept: Department,
        group: asyncio.TaskGroup,
        on_guide: GuideHandler,
        on_list_failure: Callable[[ListFailure], None] | None,
        on_discovered: Callable[[int], None] | None,
        check_links: bool,
    ) -> None:
        async for ref in self.guide_refs(dept):
            if isinstance(ref, ListFailure):
                if on_list_failure:
                    on_list_failure(ref)
                continue
            if ref.url in self._seen_guides:
                continue
            self._seen_guides.add(ref.url)
            if on_discovered:
                on_discovered(len(self._seen_guides))
            group.create_task(self._guide(ref, on_guide, check_links))

    async def _guide(self, ref: GuideRef, on_guide: GuideHandler, check_links: bool) -> None:
        page = await self.page(ref.url, kind="guide", department=ref.department.name)
        crawled = CrawledGuide(page, ref.department, ref.name)
        if page.error is None and check_links:
            crawled.links = await self.check_links(page, self.attachment_links(page))
        outcome = on_guide(crawled)
        if outcome is not None:
            await outcome


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _values_for_keys(data: Any, keys: set[str]) -> Iterable[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys and isinstance(value, str):
                yield value
            else:
                yield from _values_for_keys(value, keys)
    elif isinstance(data, list):
        for value in data:
            yield from _values_for_keys(value, keys)
