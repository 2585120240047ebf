"""Which charset a fetched page really uses: declared when right, proven by the bytes otherwise."""

from __future__ import annotations

import pytest

from guidecheck.crawl.encoding import decode, detect

TEXT = "承诺办结时限：二十个工作日（不含公示）"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (TEXT.encode("utf-8"), "text/html; charset=utf-8", "utf-8"),
        (TEXT.encode("gbk"), "text/html; charset=GBK", "gb18030"),  # GBK is read as its superset
        (TEXT.encode("gbk"), "text/html", "gb18030"),  # nothing declared anywhere
        (TEXT.encode("gbk"), "text/html; charset=utf-8", "gb18030"),  # a wrong declaration loses to the bytes
        (b'<meta charset="gb2312">' + TEXT.encode("gbk"), "text/html", "gb18030"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8-sig"),  # a BOM wins
    ],
)
def test_detect(body: bytes, content_type: str, expected: str) -> None:
    assert detect(body, content_type) == expected
    assert TEXT in decode(body, content_type)[0]


def test_undecodable_bytes_never_raise() -> None:
    text, _ = decode(b"\x80\xff\xfa abc", "text/html; charset=no-such-charset")
    assert "abc" in text


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        # a capped download cut mid-character: was read as UTF-8, every character mojibake
        (TEXT.encode("gbk")[:-1], "text/html; charset=gbk", "gb18030"),
        (TEXT.encode("gbk")[:-1], "text/html", "gb18030"),
        (TEXT.encode("utf-8")[:-1], "text/html; charset=utf-8", "utf-8"),
        # a server's default iso-8859-1 over UTF-8 or GBK bytes: was believed (latin-1 decodes anything)
        (TEXT.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),
        (TEXT.encode("gbk"), "text/html; charset=ISO-8859-1", "gb18030"),
        (b'<meta charset="windows-1252">' + TEXT.encode("gbk"), "text/html", "gb18030"),
        # utf-16 declared over ASCII-compatible bytes: was believed (any even length decodes)
        (TEXT.encode("utf-8") + b"a", "text/html; charset=utf-16", "utf-8"),
        (b'<meta charset="utf-16">' + TEXT.encode("utf-8"), "text/html", "utf-8"),
        # a UTF-32 BOM: was taken for UTF-16 (its BOM starts the same)
        (TEXT.encode("utf-32"), "text/html", "utf-32"),
    ],
)
def test_declarations_the_bytes_disprove(body: bytes, content_type: str, expected: str) -> None:
    assert detect(body, content_type) == expected
    assert TEXT[:-1] in decode(body, content_type)[0]


@pytest.mark.parametrize("charset", ["hex", "base64", "zlib", "rot13", "uu", "undefined", "unicode_escape", "idna"])
def test_codecs_that_are_not_charsets_are_ignored(charset: str) -> None:
    # was: LookupError ("'hex' is not a text encoding") or UnicodeError ("undefined") from decode()
    for body, content_type in ((TEXT.encode("gbk"), f"text/html; charset={charset}"),
                               (f'<meta charset="{charset}">'.encode() + TEXT.encode("utf-8"), "")):  # fmt: skip
        text, encoding = decode(body, content_type)
        assert TEXT in text and encoding in ("utf-8", "gb18030")


def test_a_stray_byte_in_a_gbk_page_keeps_it_gbk() -> None:
    data = TEXT.encode("gbk")
    text, encoding = decode(data[:6] + b"\xff" + data[6:])
    assert encoding == "gb18030" and TEXT[:3] in text and TEXT[-6:] in text


def test_decode_never_raises_on_mutated_pages() -> None:
    # a small deterministic fuzz: real text in the encodings portals use, cut, spliced and mislabelled
    import random

    rng = random.Random(20261123)
    charsets = ["", "utf-8", "gbk", "gb2312", "gb18030", "big5", "iso-8859-1", "utf-16", "utf-32", "hex", "bogus"]
    for _ in range(500):
        body = (TEXT * 3).encode(rng.choice(["utf-8", "gb18030", "gbk", "utf-16", "big5"]), errors="ignore")
        body = rng.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]) + body
        cut = rng.randrange(len(body) + 1)
        body = (
            body[:cut]
            + rng.choice([b"", b"\xff", b"\x80", b"\xe4\xb8", b"\x00"])
            + body[cut : rng.randrange(cut, len(body) + 1)]
        )
        meta = rng.choice(["", f'<meta charset="{rng.choice(charsets)}">'])
        text, encoding = decode(meta.encode() + body, f"text/html; charset={rng.choice(charsets)}")
        assert isinstance(text, str) and encoding
