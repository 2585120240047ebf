"""Bytes → text: BOMs, declared charsets (HTTP header, <meta>, XML declaration) and undeclared GBK.

Many portals serve GBK/GB18030. When nothing is declared we try UTF-8 strictly and fall back to
GB18030 (a superset of GBK and GB2312), which decodes any byte sequence a Chinese page is likely to use.
A page with only a few bytes that neither decodes (a download cut off mid-character, a stray byte) is
read with them replaced, rather than refused as binary.
"""

from __future__ import annotations

import re

from guidecheck.charsets import BOMS, canonical, disproved
from guidecheck.errors import InputError

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.IGNORECASE)
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
# Control characters other than tab, LF, FF and CR; a regex counts them in C, not a Python loop per character.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def charset_from_media_type(media_type: str | None) -> str | None:
    """ "text/html; charset=GBK" → "gbk"."""
    if not media_type:
        return None
    m = _HEADER_CHARSET_RE.search(media_type)
    return m.group(1).lower() if m else None


def declared_charset(data: bytes) -> str | None:
    """A charset declared inside the document (meta tag or XML declaration), lower-case."""
    head = data[:_SNIFF_BYTES]
    m = _XML_ENCODING_RE.search(head) or _CHARSET_RE.search(head)
    return m.group(1).decode("ascii", "replace").lower() if m else None


def decode(data: bytes, source: str, media_type: str | None = None, *, sniff_markup: bool = True) -> tuple[str, str]:
    """(text, encoding name) for `data`; raises InputError for empty or binary input."""
    if not data.strip():
        raise InputError(f"{source}: the file is empty")
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(f"{source}: not a text file (binary content: NUL bytes)")
    candidates: list[str] = []
    for charset in (charset_from_media_type(media_type), declared_charset(data) if sniff_markup else None):
        name = canonical(charset) if charset else None
        if name and name not in candidates and not disproved(data, name):  # as the crawler reads a page
            candidates.append(name)
    for fallback in ("utf-8", "gb18030"):
        if fallback not in candidates:
            candidates.append(fallback)
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            # Nearly valid UTF-8 is UTF-8 with a few bad bytes, not GB18030: that would read as mojibake.
            if name == "utf-8" and (repaired := _nearly(data, name)):
                return repaired
            continue
        except LookupError:
            continue
        if name == "gb18030" and _looks_binary(text):
            break
        return text, name
    for name in candidates:  # e.g. a GBK page cut mid-character
        if repaired := _nearly(data, name):
            return repaired
    raise InputError(f"{source}: cannot decode the file as UTF-8 or GBK/GB18030 text (binary or unknown encoding)")


_MAX_BAD_BYTES = 8
"""A page with at most this many undecodable spots (or one per 1,000 characters) is repaired, not refused."""


def _nearly(data: bytes, name: str) -> tuple[str, str] | None:
    """(text, encoding) with each undecodable spot as U+FFFD, when there are only a few of them.

    A page cut off mid-character, or with a stray byte, is still a guide. The encoding name then says so
    (and, not being plain "utf-8" / "gb18030", makes the HTML reader parse this text, not the bytes).
    """
    try:
        text = data.decode(name, "replace")
    except LookupError:
        return None
    bad = text.count("\ufffd") - data.count("\ufffd".encode(name, "replace"))
    # characters the encoding did decode: the non-ASCII ones (counted in C, not char by char)
    decoded = len(text) - len(text.encode("ascii", "ignore")) - bad
    if bad > max(_MAX_BAD_BYTES, len(text) // 1000) or decoded < 10 * bad or _looks_binary(text):
        return None
    return text, f"{name} ({bad} undecodable {'byte' if bad == 1 else 'bytes'} replaced)"


def _looks_binary(text: str) -> bool:
    """GB18030 decodes almost anything; reject text full of control characters (a binary file)."""
    sample = text[:_SNIFF_BYTES]
    return len(_CONTROL_RE.findall(sample)) > len(sample) // 50
