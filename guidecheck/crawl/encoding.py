"""Decode a fetched page: the declared charset when it is right, else the one the bytes prove.

Many government portals serve GBK/GB18030, sometimes without saying so anywhere. Order: a BOM, the
HTTP charset, a <meta> charset, then strict UTF-8, then GB18030 (a superset of GBK and GB2312).
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)

_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _canonical(name: str) -> str | None:
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(content_type: str) -> str | None:
    match = _HEADER.search(content_type or "")
    return _canonical(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    match = _META.search(body[:4096])
    return _canonical(match.group(1).decode("ascii", "ignore")) if match else None


def detect(body: bytes, content_type: str = "") -> str:
    """The encoding to read `body` with (a Python codec name)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    for declared in (header_charset(content_type), meta_charset(body)):
        if declared:
            try:
                body.decode(declared)
            except UnicodeDecodeError:
                continue  # a wrong declaration: trust the bytes instead
            return declared
    for candidate in ("utf-8", "gb18030"):
        try:
            body.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return "utf-8"


def decode(body: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding). Never raises: undecodable bytes become U+FFFD."""
    encoding = detect(body, content_type)
    return body.decode(encoding, errors="replace"), encoding
