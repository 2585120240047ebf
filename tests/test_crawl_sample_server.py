"""The bundled sample portal's server: content types, charsets per site.json, ETag/304, 404, HEAD."""

from __future__ import annotations

import json

import httpx
import pytest

from guidecheck.crawl.sample_server import SamplePortalServer, serve_sample_portal
from guidecheck.resources import sample_portal_dir

ROOT = sample_portal_dir()
SITE = json.loads((ROOT / "site.json").read_text(encoding="utf-8"))


def _first_guide(encoding: str) -> str:
    dept = next(d for d in SITE["departments"] if d["encoding"] == encoding and d["template"] != "json")
    page = sorted((ROOT / "guide" / dept["code"]).glob("*.html"))[0]
    return "/" + page.relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def server() -> SamplePortalServer:
    srv = serve_sample_portal()
    yield srv
    srv.stop()


def test_content_types_follow_site_json(server: SamplePortalServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        assert client.get(_first_guide("utf-8")).headers["content-type"] == "text/html; charset=utf-8"
        assert client.get(_first_guide("gbk")).headers["content-type"] == "text/html; charset=gbk"
        assert client.get(_first_guide("gbk-undeclared")).headers["content-type"] == "text/html"
        api = next(d for d in SITE["departments"] if d["template"] == "json")
        assert client.get(api["list"]).headers["content-type"] == "application/json; charset=utf-8"
        assert client.get("/robots.txt").text.startswith("User-agent: *")


def test_etag_and_last_modified_give_304(server: SamplePortalServer) -> None:
    path = _first_guide("utf-8")
    with httpx.Client(base_url=server.url) as client:
        first = client.get(path)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_missing_files_and_bookkeeping_are_404(server: SamplePortalServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        for path in ("/files/no-such-form.docx", "/site.json", "/manifest.json", "/../pyproject.toml"):
            assert client.get(path).status_code == 404, path
        head = client.head(_first_guide("utf-8"))
        assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_latency_is_injected_and_hits_are_counted(tmp_path) -> None:
    (tmp_path / "a.html").write_text("<p>a</p>", encoding="utf-8")
    with SamplePortalServer(tmp_path, latency=0.2) as srv, httpx.Client(base_url=srv.url) as client:
        response = client.get("/a.html")
        assert response.elapsed.total_seconds() >= 0.2
        assert srv.hits["/a.html"] == 1


def test_paths_outside_the_portal_are_refused(server: SamplePortalServer) -> None:
    import http.client

    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), port, timeout=5)
    conn.request("GET", "/../../pyproject.toml")  # http.client sends the path as is
    assert conn.getresponse().status == 404
    conn.close()
