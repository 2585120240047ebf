"""The crawler and the extractor read a page's bytes the same way (guidecheck/charsets.py), so a page
audited from the portal and the same page checked from a saved copy say the same thing."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from guidecheck.charsets import single_byte
from guidecheck.crawl.encoding import decode as crawl_decode
from guidecheck.extract import extract_file
from guidecheck.extract.decode import decode as extract_decode

PAGE = "<html><head>{meta}<title>申请材料</title></head><body><h1>申请材料：身份证原件1份</h1></body></html>"


def page(encoding: str, meta: str = "") -> bytes:
    return PAGE.format(meta=meta).encode(encoding)


CASES = {
    # a wrong single-byte declaration (a server's default) yields to bytes that prove UTF-8 or GBK
    "GBK bytes, meta iso-8859-1": (page("gbk", '<meta charset="iso-8859-1">'), ""),
    "UTF-8 bytes, meta windows-1252": (page("utf-8", '<meta charset="windows-1252">'), ""),
    "UTF-8 bytes, header iso-8859-1": (page("utf-8"), "text/html; charset=ISO-8859-1"),
    "GBK bytes, header latin1, meta gbk": (page("gbk", '<meta charset="gbk">'), "text/html; charset=latin1"),
    # right declarations, and none
    "GBK bytes, meta gb2312": (page("gbk", '<meta charset="gb2312">'), ""),
    "GBK bytes, nothing declared": (page("gbk"), ""),
    "UTF-8 bytes, meta utf-8": (page("utf-8", '<meta charset="utf-8">'), ""),
    "UTF-8 bytes, meta utf-7 (no page is UTF-7)": (page("utf-8", '<meta charset="utf-7">'), ""),
    # BOMs, UTF-32 included (its little-endian BOM begins with UTF-16's)
    "UTF-16 with BOM": (codecs.BOM_UTF16_LE + page("utf-16-le"), ""),
    "UTF-32 with BOM": (codecs.BOM_UTF32_LE + page("utf-32-le"), ""),
}


@pytest.mark.parametrize("name", CASES)
def test_crawler_and_extractor_read_the_same_text(name: str) -> None:
    body, content_type = CASES[name]
    crawled, _ = crawl_decode(body, content_type)
    saved, _ = extract_decode(body, "page.html", content_type or None)
    assert "身份证原件1份" in crawled
    assert saved == crawled


def test_an_ascii_page_keeps_its_single_byte_declaration() -> None:
    """Nothing disproves windows-1252 when every byte is ASCII: both keep what the page declares."""
    body = b'<html><head><meta charset="windows-1252"></head><body>Guide</body></html>'
    assert crawl_decode(body)[1] == extract_decode(body, "page.html")[1] == "cp1252"


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_saved_page_with_a_wrong_latin1_meta_is_still_read_as_a_guide(tmp_path: Path, encoding: str) -> None:
    good = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "gdzwfw_yiliao_feiwu.html"
    text = re.sub(r"<meta[^>]*charset[^>]*>", "", good.read_text(encoding="utf-8"))
    saved = tmp_path / "page.html"
    saved.write_bytes(text.replace("<head>", '<head><meta charset="iso-8859-1">', 1).encode(encoding))
    guide = extract_file(saved)
    assert guide.item_name is not None and guide.item_name.text == "医疗废物经营许可证核发"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("iso8859-1", True), ("cp1252", True), ("cp1251", True), ("koi8-r", True)]
    + [(e, False) for e in ("utf-8", "gb18030", "big5", "shift_jis", "euc_kr", "euc_jp")],
)
def test_single_byte_charsets_are_told_from_multi_byte_ones(encoding: str, expected: bool) -> None:
    """Only a single-byte declaration yields to the bytes: UTF-8 replaces each stray byte 0x80–0xFF
    with one character too, and must not be taken for one."""
    assert single_byte(encoding) is expected
