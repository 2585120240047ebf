"""Navigation: JSON department lists, server-given next pages, broken and looping pagination, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from guidecheck.crawl.navigate import Portal
from guidecheck.crawl.pipeline import CrawlOptions, crawl_to_dir
from guidecheck.crawl.politeness import Politeness
from guidecheck.crawl.profile import load_profile
from guidecheck.crawl.sample_server import SamplePortalServer
from tests.crawl_portal import build_portal

FAST = CrawlOptions(politeness=Politeness(concurrency=4, rate=0), cache=None)

JSON_PROFILE = """
[portal]
name = "json-city"

[departments]
url = "/api/depts"
items = "data.depts"
name_field = "DEPT_NAME"
code_field = "DEPT_CODE"
list_url = "/api/items/{DEPT_CODE}/1"

[json_list]
items = "data.rows"
item_name = "title"
guide_url = "/api/guide/{id}"
next_url = "data.next"
"""


def _write(root: Path, path: str, data: object) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_json_only_portal_with_server_given_next_pages(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    _write(root, "/api/depts", {"data": {"depts": [{"DEPT_NAME": "某某市交通运输局", "DEPT_CODE": "JT"}]}})
    _write(root, "/api/items/JT/1", {"data": {"rows": [{"id": "A1", "title": "道路运输经营许可"}], "next": "2"}})
    _write(root, "/api/items/JT/2", {"data": {"rows": [{"id": "A2", "title": "出租汽车经营许可"}], "next": None}})
    for code in ("A1", "A2"):
        _write(root, f"/api/guide/{code}", {"AUDIT_ITEM": {"TASK_NAME": code, "TASK_CODE": code}})
    profile = tmp_path / "json-city.toml"
    profile.write_text(JSON_PROFILE, encoding="utf-8")
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile(profile), "json city")
        saved = crawl_to_dir(portal, ["交通运输局"], tmp_path / "out", options=FAST)
        assert server.hits["/api/items/JT/2"] == 1
    assert sorted(p.name for p in saved.files) == ["A1.json", "A2.json"]
    assert saved.failures == [] and saved.departments == ["某某市交通运输局"]


def test_a_broken_list_page_is_reported_and_earlier_pages_are_kept(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    (root / "dept/ghzy/items-2.html").unlink()
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        saved = crawl_to_dir(portal, ["规划和自然资源局"], tmp_path / "out", options=FAST)
    assert len(saved.files) == 2  # page 1's guides
    [failure] = saved.failures
    assert failure.error == "item list page 2 of 临江市规划和自然资源局: HTTP 404"
    assert failure.source.endswith("/dept/ghzy/items-2.html")


def test_pagination_loop_stops_and_duplicates_are_fetched_once(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    last = root / "dept/ghzy/items-3.html"
    # The last page links back to the first, and lists a guide of page 1 again.
    last.write_text(
        last.read_text(encoding="utf-8").replace(
            "</ul>",
            '<li><a class="item" href="/guide/ghzy/1.html">again</a></li></ul>'
            '<a class="next" href="/dept/ghzy/items-1.html">下一页</a>',
        ),
        encoding="utf-8",
    )
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        saved = crawl_to_dir(portal, ["规划和自然资源局"], tmp_path / "out", options=FAST)
        assert server.hits["/dept/ghzy/items-1.html"] == 1
        assert server.hits["/guide/ghzy/1.html"] == 1
    assert len(saved.files) == 5 and saved.failures == []


def test_bundled_portal_lists_all_departments(tmp_path: Path) -> None:
    from guidecheck.crawl.pipeline import open_portal

    site = json.loads((Path(__file__).parents[1] / "fixtures/sample_portal/site.json").read_text(encoding="utf-8"))
    with open_portal(None) as portal:
        assert portal.local and portal.cache_key(portal.base_url + "x") == "sample-portal:/x"
        saved = crawl_to_dir(portal, ["应急管理局", "商务局"], tmp_path / "out", options=FAST)
    expected = {d["name"]: d["guides"] for d in site["departments"]}
    assert saved.departments == ["临江市应急管理局", "临江市商务局"]
    assert len(saved.files) == expected["临江市应急管理局"] + expected["临江市商务局"]


def test_progress_reports_every_guide_and_a_growing_total(tmp_path: Path) -> None:
    root = build_portal(tmp_path / "portal")
    calls: list[tuple[int, int, str]] = []
    with SamplePortalServer(root) as server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        saved = crawl_to_dir(portal, None, tmp_path / "out", options=FAST, progress=lambda *a: calls.append(a))
    done = [c for c in calls if c[2]]
    assert [c[0] for c in done] == list(range(1, len(saved.files) + 1))
    assert all(d <= t for d, t, _ in calls) and calls[-1][:2] == (len(saved.files), len(saved.files))


def test_saved_pages_are_utf8_and_declare_it() -> None:
    from guidecheck.crawl.departments import Department
    from guidecheck.crawl.navigate import CrawledGuide, Page
    from guidecheck.crawl.pipeline import utf8_body

    source = '<?xml version="1.0" encoding="gbk"?><html><head><meta charset="gbk"></head><body>临江</body></html>'
    page = Page("http://x/guide/1.html", "guide", content_type="text/html", body=source.encode("gbk"))
    saved = utf8_body(page).decode("utf-8")
    assert 'encoding="utf-8"' in saved and '<meta charset="utf-8">' in saved and "临江" in saved
    crawled = CrawledGuide(page, Department("gaj", "临江市公安局", "u"))
    from guidecheck.crawl.pipeline import saved_name

    assert saved_name(crawled) == "gaj/1.html"


def test_relative_links_resolve_against_the_page_that_answered_after_a_redirect(tmp_path: Path) -> None:
    """/dept/x/list redirects to /dept/x/pages/1.html, whose links are relative: "2.html", "../../g/1.html"."""
    from tests.faultserver import OK_GUIDE

    root = tmp_path / "portal"
    (root / "dept/x/pages").mkdir(parents=True)
    (root / "g").mkdir()
    (root / "departments.html").write_text(
        '<ul id="dept-list"><li><a class="dept" href="/dept/x/list">临江市某局</a></li></ul>', encoding="utf-8"
    )
    (root / "dept/x/pages/1.html").write_text(
        '<ul id="item-list"><li><a class="item" href="../../../g/1.html">1</a></li></ul>'
        '<a class="next" href="2.html">下一页</a>',
        encoding="utf-8",
    )
    (root / "dept/x/pages/2.html").write_text(
        '<ul id="item-list"><li><a class="item" href="../../../g/2.html">2</a></li></ul>', encoding="utf-8"
    )
    for n in (1, 2):
        (root / f"g/{n}.html").write_text(OK_GUIDE.format(name=f"事项{n}"), encoding="utf-8")

    from guidecheck.crawl.sample_server import _Handler

    class Handler(_Handler):
        def do_GET(self) -> None:
            if self.path == "/dept/x/list":
                self.send_response(302)
                self.send_header("Location", "/dept/x/pages/1.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

    server = SamplePortalServer(root)
    server.RequestHandlerClass = Handler
    cache = tmp_path / "c.sqlite"
    options = CrawlOptions(politeness=Politeness(concurrency=4, rate=0), cache=cache)
    with server:
        portal = Portal(server.url + "/", load_profile("sample"), "test")
        first = crawl_to_dir(portal, None, tmp_path / "a", options=options)
        again = crawl_to_dir(portal, None, tmp_path / "b", options=options)  # from the cache: same links
    assert sorted(p.name for p in first.files) == ["1.html", "2.html"] and first.failures == []
    assert sorted(p.name for p in again.files) == ["1.html", "2.html"] and again.stats["cached"] == 2


POST_PROFILE = """
[portal]
name = "post-city"

[departments]
url = "/portal/api/v2/node/gdbsNav/current"
items = "hall"
name_field = "ORGNAME"
code_field = "ORGCODE"
list_url = "/portal/api/v2/solr/getCommonAuditItem"

[json_list]
method = "POST"
body = { DEPT_CODE = "{dept_code}", PAGENO = "{page}", PAGESIZE = "2" }
items = "CUSTOM.AUDIT_ITEMLIST"
guide_url = "/portal/v2/guide/{TASK_CODE}.json"
page_index = "CUSTOM.PAGEINFO.CURRENTPAGEINDEX"
page_size = "CUSTOM.PAGEINFO.PAGESIZE"
total = "CUSTOM.PAGEINFO.TOTALNUM"
"""


def test_post_list_api_in_the_manner_of_gdzwfw(tmp_path: Path) -> None:
    """Every department lists through one POST endpoint; department and page number go in the JSON body."""
    from guidecheck.crawl.sample_server import _Handler

    items = {"A": [f"A{n}" for n in range(1, 6)], "B": ["B1"]}
    root = tmp_path / "portal"
    _write(root, "/portal/api/v2/node/gdbsNav/current", {
        "hall": [{"ORGNAME": "某某市甲局", "ORGCODE": "A"}, {"ORGNAME": "某某市乙局", "ORGCODE": "B"}]
    })  # fmt: skip
    for codes in items.values():
        for code in codes:
            _write(root, f"/portal/v2/guide/{code}.json", {"AUDIT_ITEM": {"TASK_NAME": code, "TASK_CODE": code}})
    bodies: list[dict[str, str]] = []

    class Handler(_Handler):
        def do_POST(self) -> None:
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            bodies.append(query)
            page, size = int(query["PAGENO"]), int(query["PAGESIZE"])
            codes = items[query["DEPT_CODE"]]
            listing = {
                "CUSTOM": {
                    "AUDIT_ITEMLIST": [{"TASK_CODE": c} for c in codes[(page - 1) * size : page * size]],
                    "PAGEINFO": {"CURRENTPAGEINDEX": page, "PAGESIZE": size, "TOTALNUM": len(codes)},
                }
            }
            self._send(200, json.dumps(listing).encode(), "application/json", head=False)

    profile = tmp_path / "post-city.toml"
    profile.write_text(POST_PROFILE, encoding="utf-8")
    server = SamplePortalServer(root)
    server.RequestHandlerClass = Handler
    cache = tmp_path / "c.sqlite"
    options = CrawlOptions(politeness=Politeness(concurrency=4, rate=0), cache=cache)
    with server:
        portal = Portal(server.url + "/", load_profile(profile), "post city")
        saved = crawl_to_dir(portal, ["甲局"], tmp_path / "a", options=options)
        other = crawl_to_dir(portal, ["乙局"], tmp_path / "b", options=options)
    assert sorted(p.stem for p in saved.files) == ["A1", "A2", "A3", "A4", "A5"] and saved.failures == []
    assert sorted(p.stem for p in other.files) == ["B1"] and other.stats["resumed"] == 0
    assert bodies[:3] == [{"DEPT_CODE": "A", "PAGENO": str(n), "PAGESIZE": "2"} for n in (1, 2, 3)]


def test_profile_headers_are_sent_and_the_transport_is_injectable(tmp_path: Path) -> None:
    """The whole pipeline on httpx.MockTransport: no socket at all, and every request carries the headers."""
    import httpx

    pages = {
        "/robots.txt": "User-agent: *\nDisallow:\n",
        "/departments.html": '<ul id="dept-list"><a class="dept" href="/d/1.html">某某市甲局</a></ul>',
        "/d/1.html": '<ul id="item-list"><a class="item" href="/g/1.html">1</a></ul>',
        "/g/1.html": "<h1>事项</h1>",
    }
    seen: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        body = pages.get(request.url.path)
        return httpx.Response(200, text=body) if body else httpx.Response(404)

    profile = tmp_path / "p.toml"
    text = (Path(__file__).parents[1] / "guidecheck/crawl/profiles/sample.toml").read_text(encoding="utf-8")
    text = text.replace("[departments]", '[portal.headers]\nX-Requested-With = "XMLHttpRequest"\n\n[departments]', 1)
    profile.write_text(text, encoding="utf-8")
    options = CrawlOptions(
        politeness=Politeness(rate=0), cache=None, transport=httpx.MockTransport(handler), check_links=False
    )
    portal = Portal("http://portal.test/", load_profile(profile), "mock")
    saved = crawl_to_dir(portal, ["甲局"], tmp_path / "out", options=options)
    assert [p.name for p in saved.files] == ["1.html"]
    assert len(seen) == 4 and all(h["x-requested-with"] == "XMLHttpRequest" for h in seen)
    assert all(h["accept-encoding"] == "gzip, deflate" for h in seen)
