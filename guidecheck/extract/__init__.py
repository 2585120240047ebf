"""The extractor: any guide page (HTML, plain text / Markdown, JSON) → the typed `Guide`.

    extract(data, source, media_type=None, labels=None) -> Guide
    extract_file(path) -> Guide

The format is chosen from the media type, then the file ending, then the content. Each format reader
walks its input once and reports to the shared `Assembler` (assemble.py), which maps labels to elements
and parses values the same way for every format.

What the extractor refuses or flags (messages name the source, never a traceback):
* empty input → InputError "<source>: the file is empty"; NUL bytes or undecodable bytes → InputError
  (but a page with only a few undecodable bytes — cut off mid-character, a stray byte — is read with
  them as U+FFFD, and Guide.encoding says "utf-8 (1 undecodable byte replaced)");
* no guide label at all → InputError "<source>: no guide found: none of the guide labels (…) appear";
* a JS-filled shell — at least 5 guide labels seen and at most 20 % of them with a value — or a page whose
  values are dictionary codes (办理形式 "1,2,3" in 3+ word-valued elements) → one Diagnostic
  "not-auditable" (api.audit_guide reports it as the guide's error instead of findings).
Encodings: BOM, then the HTTP charset, then <meta>/XML declaration (HTML only), then strict UTF-8, then
GB18030 (covers GBK/GB2312). The decoder used is recorded in Guide.encoding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from guidecheck.errors import InputError
from guidecheck.extract.assemble import Assembler
from guidecheck.extract.decode import decode
from guidecheck.gcpause import collector_paused
from guidecheck.labels import Labels, load_labels
from guidecheck.model import Guide

__all__ = ["FORMATS", "detect_format", "extract", "extract_file"]

_SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".jsp": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}
_MEDIA_FORMATS = (
    ("json", "json"),
    ("html", "html"),
    ("xml", "html"),
    ("markdown", "markdown"),
    ("text/plain", "text"),
)
_HTML_SNIFF_RE = re.compile(r"<(?:!doctype\s+html|html|head|body|table|div|p|h[1-6]|dl|ul|meta)[\s>/]", re.IGNORECASE)


def _looks_like_page(text: str) -> bool:
    head = text[:4096].lstrip("\ufeff \t\r\n")
    return head.startswith("<") and not head.startswith("<!--") and bool(_HTML_SNIFF_RE.search(head))


def detect_format(data_head: str, source: str, media_type: str | None) -> str:
    """html, text, markdown or json — media type first, then the file ending, then the content."""
    if media_type:
        mt = media_type.split(";", 1)[0].strip().lower()
        for needle, fmt in _MEDIA_FORMATS:
            if needle in mt:
                return fmt
    suffix = Path(source.split("?", 1)[0]).suffix.lower()
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    head = data_head.lstrip("\ufeff \t\r\n")
    if head[:1] in "{[":
        return "json"
    if _HTML_SNIFF_RE.search(head[:4096]):
        return "html"
    return "text"


def _read_text(text: str, asm: Assembler, data: bytes = b"") -> None:
    from guidecheck.extract.text import read_text

    read_text(text, asm)


def _read_html(text: str, asm: Assembler, data: bytes = b"") -> None:
    from guidecheck.extract.html import read_html

    read_html(text, asm, data, asm.guide.encoding)


def _read_json(text: str, asm: Assembler, data: bytes = b"") -> None:
    from guidecheck.extract.json_record import read_json

    read_json(text, asm)


FORMATS: dict[str, Callable[[str, Assembler, bytes], None]] = {
    "text": _read_text,
    "markdown": _read_text,
    "html": _read_html,
    "json": _read_json,
}
"""Format name → reader. Explicit registry: add a format here."""


def extract(data: bytes, source: str, *, media_type: str | None = None, labels: Labels | None = None) -> Guide:
    """Read one guide page. Raises InputError for empty, binary or non-guide input."""
    with collector_paused():  # a page makes many short-lived objects and no cycles: see gcpause
        return _extract(data, source, media_type, labels)


def _extract(data: bytes, source: str, media_type: str | None, labels: Labels | None) -> Guide:
    head = data[:64].decode("latin-1")
    fmt = detect_format(head, source, media_type)
    text, encoding = decode(data, source, media_type, sniff_markup=fmt == "html")
    if fmt in ("text", "markdown") and _looks_like_page(text):
        fmt = "html"  # a .txt that is really a saved web page
    elif fmt in ("html", "text") and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[" if fmt == "html" else "{"):
        fmt = "json"  # portals often serve their JSON API as text/html or text/plain
    asm = Assembler(source, fmt, encoding, labels or load_labels())
    try:
        FORMATS[fmt](text, asm, data)
    except RecursionError:
        raise InputError(f"{source}: the page is nested too deeply to read") from None
    guide = asm.finish()
    if "guidecheck-disable" in text:
        from guidecheck import suppress  # one parser for comments and the JSON key (suppress.py)

        guide.suppressions = suppress.parse(text, source, fmt)
    return guide


def extract_file(path: str | Path, *, labels: Labels | None = None) -> Guide:
    """Read a guide file; OSError is turned into a clear InputError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a guide file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    return extract(data, str(path), labels=labels)
