"""Decode a fetched page: the declared charset when it is right, else the one the bytes prove.

Many government portals serve GBK/GB18030, sometimes without saying so anywhere. Order: a BOM, the
HTTP charset, a <meta> charset, then strict UTF-8, then GB18030 (a superset of GBK and GB2312). A
declaration is believed only when the bytes bear it out: a single-byte charset (the iso-8859-1 a server
sends by default) decodes anything, so it yields to UTF-8 or GB18030 when the bytes prove one of them. A
character cut off at the end (a capped download) does not disprove an encoding.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)

_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}

# UTF-32 first: its little-endian BOM begins with UTF-16's
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7"})
"""Python codecs no page is written in: `charset=undefined` raises, the escape codecs turn bytes into nonsense."""
_WIDE = ("utf-16", "utf-32")


def _canonical(name: str) -> str | None:
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # hex, base64, zlib, rot13 … are codecs but not text encodings: decoding with them raises
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


@lru_cache(maxsize=64)
def _single_byte(encoding: str) -> bool:
    """Latin-1, cp1252 …: every byte is a character, so any bytes "decode" and prove nothing."""
    return len(bytes(range(0x80, 0x100)).decode(encoding, errors="replace")) == 0x80


def _fits(body: bytes, encoding: str) -> bool:
    """The bytes decode strictly, but for a character cut off at the end (a capped or interrupted download)."""
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(body, final=False)
    except (UnicodeError, LookupError):
        return False
    return True


def _plausible(body: bytes, declared: str) -> bool:
    if declared.startswith(_WIDE):
        return b"\x00" in body[:1024]  # UTF-16/32 text has NULs in its ASCII; a page read as such has none
    if _single_byte(declared) and not body.isascii():
        # a server default (iso-8859-1) over Chinese bytes: trust the bytes when they prove UTF-8 or GB18030
        return not (_fits(body, "utf-8") or _fits(body, "gb18030"))
    return _fits(body, declared)


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
        if declared and _plausible(body, declared):
            return declared  # else a wrong declaration: trust the bytes instead
    for candidate in ("utf-8", "gb18030"):
        if _fits(body, candidate):
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
