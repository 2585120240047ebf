"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, in the sample portal's URL layout.

One department ("临江市故障测试局", code `fault`) lists one guide per fault. Each guide path below
fails in its own way; `/guide/ok.html` is a normal page, so a test can see the crawl go on.
Every request is counted in `server.hits[path]`.
"""

from __future__ import annotations

import functools
import gzip
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULT_DEPT = "临江市故障测试局"

OK_GUIDE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head><body>
<h1>{name}办事指南</h1>
<table>
<tr><th>事项名称</th><td>{name}</td></tr>
<tr><th>实施主体</th><td>临江市故障测试局</td></tr>
<tr><th>事项类型</th><td>行政许可</td></tr>
<tr><th>法定办结时限</th><td>20个工作日</td></tr>
<tr><th>承诺办结时限</th><td>10个工作日</td></tr>
<tr><th>办理形式</th><td>窗口办理</td></tr>
<tr><th>办理地点</th><td>临江市民中心二楼5号窗口</td></tr>
<tr><th>咨询电话</th><td>0571-88001234</td></tr>
<tr><th>监督投诉电话</th><td>0571-12345</td></tr>
</table>
<h2>申请材料</h2>
<table><tr><th>材料名称</th><th>材料形式</th><th>份数</th><th>空表</th></tr>
<tr><td>申请表</td><td>原件</td><td>1份</td><td><a href="/files/form-ok.docx">下载</a></td></tr>
<tr><td>身份证明</td><td>复印件</td><td>1份</td><td><a href="/files/form-missing.docx">下载</a></td></tr>
<tr><td>委托书</td><td>原件</td><td>1份</td><td><a href="/private/form.docx">下载</a></td></tr>
</table>
<h2>办理流程</h2><p>申请→受理（1个工作日）→审查（7个工作日）→决定（2个工作日）→送达（窗口领取）</p>
</body></html>
"""

GBK_NAME = "食品经营许可证核发"
"""The item name of the GBK page that declares no charset anywhere."""

JS_GUIDE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>办事指南</title>
<script src="/static/app.js"></script></head><body><div id="app">
<h1 id="item-name"></h1>
<table>
<tr><th>事项名称</th><td id="sxmc"></td></tr>
<tr><th>实施主体</th><td id="sszt"></td></tr>
<tr><th>法定办结时限</th><td id="fdsx"></td></tr>
<tr><th>承诺办结时限</th><td id="cnsx"></td></tr>
<tr><th>办理形式</th><td id="blxs"></td></tr>
<tr><th>办理地点</th><td id="bldd"></td></tr>
<tr><th>咨询电话</th><td id="zxdh"></td></tr>
<tr><th>申请材料</th><td id="sqcl"></td></tr>
<tr><th>办理流程</th><td id="bllc"></td></tr>
</table></div>
<script>fetch('/api/item?id=1').then(r => r.json())
  .then(d => {{ document.getElementById('sxmc').textContent = d.name; }});</script>
</body></html>
"""

FAULTS: dict[str, str] = {
    "ok": "a normal guide",
    "error500": "HTTP 500 on every try",
    "flaky500": "HTTP 500 once, then fine (a retry succeeds)",
    "ratelimited": "HTTP 429 with Retry-After: 1 on every try",
    "slow": "answers after 3 s (longer than the test timeout)",
    "reset": "closes the connection with a TCP reset",
    "loop": "redirects to loop2, which redirects back",
    "offhost": "redirects to another host",
    "huge": "a 50 MB body without Content-Length",
    "huge-declared": "declares and starts a 50 MB body",
    "bomb": "a gzip bomb: 50 KB on the wire, 50 MB decoded",
    "gbk": "GBK bytes, no charset in the header or the page",
    "js": "labels only; the values are filled by JavaScript",
}

PRIVATE_GUIDE = "/private/secret.html"
"""Listed like a guide, but robots.txt disallows /private/."""

PRIVATE_FORM = "/private/form.docx"
"""A blank form the good guides link to, under the disallowed /private/: it must not be asked for."""


@functools.cache
def _bomb(size: int = 50 * 1024 * 1024) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    # -- helpers ----------------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes = b"",
        ctype: str = "text/html; charset=utf-8",
        *,
        head: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _route(self, *, head: bool) -> None:
        path = urlsplit(self.path).path
        srv = self.server
        count = srv.count(path)
        if srv.latency:
            time.sleep(srv.latency)
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain", head=head)
        elif path == "/departments.html":
            body = (
                '<html><head><meta charset="utf-8"></head><body><ul id="dept-list">'
                f'<li><a class="dept" data-code="fault" href="/dept/fault/items-1.html">{FAULT_DEPT}</a></li>'
                "</ul></body></html>"
            )
            self._send(200, body.encode(), head=head)
        elif path == "/dept/fault/items-1.html":
            links = "".join(f'<li><a class="item" href="/guide/{n}.html">{n}</a></li>' for n in FAULTS)
            links += f'<li><a class="item" href="{PRIVATE_GUIDE}">private</a></li>'
            self._send(200, f'<html><body><ul id="item-list">{links}</ul></body></html>'.encode(), head=head)
        elif path == "/files/form-ok.docx":
            self._send(200, b"blank form", "application/octet-stream", head=head)
        elif path.startswith("/guide/"):
            self._guide(path.removeprefix("/guide/").removesuffix(".html"), count, head)
        else:
            self._send(404, b"not found", "text/plain", head=head)

    def _guide(self, name: str, count: int, head: bool) -> None:
        ok = OK_GUIDE.format(name=name).encode()
        if name == "ok":
            self._send(200, OK_GUIDE.format(name="建设工程规划许可证核发").encode(), head=head)
        elif name == "error500":
            self._send(500, b"internal error", "text/plain", head=head)
        elif name == "flaky500":
            if count == 1:
                self._send(503, b"busy", "text/plain", head=head)
            else:
                self._send(200, OK_GUIDE.format(name="临时建设工程规划许可").encode(), head=head)
        elif name == "ratelimited":
            self._send(429, b"slow down", "text/plain", head=head, headers={"Retry-After": "1"})
        elif name == "slow":
            time.sleep(3)
            self._send(200, ok, head=head)
        elif name == "reset":
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif name == "loop":
            self._send(302, b"", headers={"Location": "/guide/loop2.html"}, head=head)
        elif name == "loop2":
            self._send(302, b"", headers={"Location": "/guide/loop.html"}, head=head)
        elif name == "offhost":
            self._send(302, b"", headers={"Location": "http://evil.example/guide/ok.html"}, head=head)
        elif name == "huge":
            self._stream_huge(declared=False, head=head)
        elif name == "huge-declared":
            self._stream_huge(declared=True, head=head)
        elif name == "bomb":
            body = self.server.bomb
            self._send(200, body, head=head, headers={"Content-Encoding": "gzip"})
        elif name == "gbk":
            page = OK_GUIDE.format(name=GBK_NAME).replace('<meta charset="utf-8">', "")
            self._send(200, page.encode("gbk"), "text/html", head=head)
        elif name == "js":
            self._send(200, JS_GUIDE.encode(), head=head)
        else:
            self._send(404, b"not found", "text/plain", head=head)

    def _stream_huge(self, *, declared: bool, head: bool) -> None:
        size = 50 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head:
            return
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, latency: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.latency = latency
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.bomb = _bomb()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def count(self, path: str) -> int:
        with self._lock:
            self.hits[path] += 1
            return self.hits[path]

    def __enter__(self) -> FaultServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
