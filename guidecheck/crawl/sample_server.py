"""Serve the bundled sample portal on 127.0.0.1, so `audit` crawls it through the real HTTP path.

A static file server with the manners of a real portal: content types (JSON, HTML), charset=gbk for the
GBK departments that declare it and no charset for the one that does not (site.json), ETag and
Last-Modified with 304 answers, 404 for missing files. It can add latency (benchmarks) and counts hits
per path (tests).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from guidecheck.resources import sample_portal_dir

_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}


def load_charsets(root: Path) -> dict[str, str | None]:
    """Department code → charset to declare for its HTML (None = declare none) from site.json.

    Departments not listed are UTF-8 and say so.
    """
    site = root / "site.json"
    if not site.is_file():
        return {}
    data = json.loads(site.read_text(encoding="utf-8"))
    charsets: dict[str, str | None] = {}
    for dept in data.get("departments", []):
        encoding = str(dept.get("encoding") or "utf-8").lower()
        if encoding in ("utf-8", "utf8"):
            continue
        # "declared_charset": the charset to send, or null for a page that declares none ("gbk-undeclared").
        declared = dept.get("declared_charset", encoding.split("-", 1)[0])
        charsets[str(dept.get("code"))] = str(declared).lower() if declared else None
    return charsets


class _Handler(BaseHTTPRequestHandler):
    server: SamplePortalServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and CLI own the output
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        portal = self.server
        path = unquote(urlsplit(self.path).path)
        portal.count(path)
        if portal.latency > 0:
            time.sleep(portal.latency)
        file = portal.resolve(path)
        if file is None:
            self._send(404, b"not found", "text/plain; charset=utf-8", head=head)
            return
        stat = file.stat()
        etag = '"' + hashlib.sha1(f"{stat.st_mtime_ns}-{stat.st_size}".encode()).hexdigest()[:16] + '"'
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if self._not_modified(etag, stat.st_mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = file.read_bytes()
        extra = {"ETag": etag, "Last-Modified": last_modified}
        self._send(200, body, portal.content_type(path, file), head=head, extra=extra)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return int(mtime) <= since
        return False

    def _send(self, status: int, body: bytes, ctype: str, *, head: bool, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SamplePortalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, *, latency: float = 0.0, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = root.resolve()
        self.latency = latency
        self.charsets = load_charsets(self.root)
        self.hits: Counter[str] = Counter()
        self._hits_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (a killed crawl, a size cap) is not the server's error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def count(self, path: str) -> None:
        with self._hits_lock:
            self.hits[path] += 1

    def resolve(self, path: str) -> Path | None:
        rel = path.lstrip("/") or "index.html"
        candidate = (self.root / rel).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        if candidate.name.startswith(".") or candidate.name in ("site.json", "manifest.json"):
            return None  # the portal's own bookkeeping is not part of the site
        return candidate

    def content_type(self, path: str, file: Path) -> str:
        base = _TYPES.get(file.suffix.lower(), "application/octet-stream")
        if base == "application/json":
            return "application/json; charset=utf-8"
        if not base.startswith("text/"):
            return base
        parts = [p for p in path.split("/") if p]
        # /dept/{code}/..., /guide/{code}/... carry the department's code in second place.
        if len(parts) >= 3 and parts[0] in ("dept", "guide") and parts[1] in self.charsets:
            charset = self.charsets[parts[1]]
            return base if charset is None else f"{base}; charset={charset}"
        return f"{base}; charset=utf-8"

    def start(self) -> SamplePortalServer:
        self._thread = threading.Thread(target=self.serve_forever, name="sample-portal", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SamplePortalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_sample_portal(root: Path | None = None, *, latency: float = 0.0) -> SamplePortalServer:
    """Start the bundled (or given) portal in a background thread; stop it with `.stop()` or `with`."""
    return SamplePortalServer(root or sample_portal_dir(), latency=latency).start()
