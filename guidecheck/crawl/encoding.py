"""Decode a fetched page: the declared charset when it is right, else the one the bytes prove.

Many government portals serve GBK/GB18030, sometimes without saying so anywhere. Order: a BOM, the
HTTP charset, a <meta> charset, then strict UTF-8, then GB18030 (a superset of GBK and GB2312). A
declaration is believed only when the bytes bear it out: a single-byte charset (the iso-8859-1 a server
sends by default) decodes anything, so it yields to UTF-8 or GB18030 when the bytes prove one of them. A
character cut off at the end (a capped download) does not disprove an encoding.
"""

from __future__ import annotations

import re

from guidecheck.charsets import BOMS, WIDE, canonical, disproved, fits, single_byte

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


def _plausible(body: bytes, declared: str) -> bool:
    if declared.startswith(WIDE):
        return b"\x00" in body[:1024]  # UTF-16/32 text has NULs in its ASCII; a page read as such has none
    if single_byte(declared):
        return not disproved(body, declared)
    return fits(body, declared)


def header_charset(content_type: str) -> str | None:
    match = _HEADER.search(content_type or "")
    return canonical(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    match = _META.search(body[:4096])
    return canonical(match.group(1).decode("ascii", "ignore")) if match else None


def detect(body: bytes, content_type: str = "") -> str:
    """The encoding to read `body` with (a Python codec name)."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return name
    for declared in (header_charset(content_type), meta_charset(body)):
        if declared and _plausible(body, declared):
            return declared  # else a wrong declaration: trust the bytes instead
    for candidate in ("utf-8", "gb18030"):
        if fits(body, candidate):
            return candidate
    # a stray byte somewhere: the candidate that needs fewer replacements
    return min(("utf-8", "gb18030"), key=lambda c: body.decode(c, errors="replace").count("\ufffd"))


def decode(body: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding). Never raises: undecodable bytes become U+FFFD."""
    encoding = detect(body, content_type)
    try:
        return body.decode(encoding, errors="replace"), encoding
    except (UnicodeError, LookupError):  # a codec that fails even with errors="replace"
        return body.decode("utf-8", errors="replace"), "utf-8"
