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
