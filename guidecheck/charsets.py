"""What the crawler and the extractor agree on about character sets: BOMs, which declared names are
text encodings (and which to read GB pages with), and when bytes bear a declaration out.

The crawler (crawl/encoding.py) never refuses a fetched page; the extractor (extract/decode.py) refuses
empty and binary files. Both choose the encoding by these rules, so a page reads the same whether it
was audited from the portal or checked from a saved copy.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

# UTF-32 first: its little-endian BOM begins with UTF-16's
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "gb_2312-80"})
"""Read with the superset GB18030: portals label GBK pages as gb2312."""
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7"})
"""Python codecs no page is written in: `charset=undefined` raises, the escape codecs turn bytes into nonsense."""
WIDE = ("utf-16", "utf-32")


def canonical(name: str) -> str | None:
    """The Python codec for a declared charset name, or None when it names no text encoding."""
    name = name.strip().lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # hex, base64, zlib, rot13 … are codecs but not text encodings: decoding with them raises
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


_PAIRS = b"\xc3\xa9\xe4\xb8\xad\x81\x40\xa4\xa4\x82\xa0"
"""Byte pairs that UTF-8, GB18030, Big5, Shift_JIS or EUC-KR read as one character."""


@lru_cache(maxsize=64)
def single_byte(encoding: str) -> bool:
    """Latin-1, cp1252 …: every byte is a character, so any bytes "decode" and prove nothing.

    (Counting the characters of bytes 0x80–0xFF is not enough: UTF-8 replaces each of them with one
    U+FFFD. A single-byte charset is one that never reads two bytes as one character.)
    """
    return len(_PAIRS.decode(encoding, errors="replace")) == len(_PAIRS)


def fits(body: bytes, encoding: str) -> bool:
    """The bytes decode strictly, but for a character cut off at the end (a capped or interrupted download)."""
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(body, final=False)
    except (UnicodeError, LookupError):
        return False
    return True


def disproved(body: bytes, declared: str) -> bool:
    """A single-byte declaration (the iso-8859-1 a server sends by default) over bytes that prove UTF-8
    or GB18030: the declaration is wrong, the bytes are right."""
    return single_byte(declared) and not body.isascii() and (fits(body, "utf-8") or fits(body, "gb18030"))
