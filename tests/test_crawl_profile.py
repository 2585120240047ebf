"""Portal profiles: the bundled one loads, broken ones fail with the file and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.crawl.profile import load_profile
from guidecheck.errors import ConfigError

GOOD = """
[portal]
name = "my-city"
base_url = "https://zwfw.example.gov.cn/"

[departments]
url = "/bm/list.html"
link_xpath = "//div[@class='bm']//a"

[html_list]
item_xpath = "//ul[@class='sx']/li/a"
next_xpath = "//a[text()='下一页']/@href"
"""


def test_bundled_sample_profile_loads() -> None:
    profile = load_profile("sample")
    assert profile.name == "sample"
    assert profile.html_list is not None and profile.json_list is not None
    assert profile.json_list.items == "CUSTOM.AUDIT_ITEMLIST"


def test_profile_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "my-city.toml"
    path.write_text(GOOD, encoding="utf-8")
    profile = load_profile(path)
    assert profile.base_url == "https://zwfw.example.gov.cn/"
    assert profile.json_list is None and profile.html_list is not None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("[departments]", "[departmentz]"), "unknown table [departmentz]"),
        (lambda t: t.replace("next_xpath", "nxt_xpath"), "unknown key(s) nxt_xpath in [html_list]"),
        (lambda t: t.replace("//ul[@class='sx']/li/a", "//ul[@class="), "item_xpath is not a valid XPath"),
        (lambda t: t.replace('url = "/bm/list.html"', ""), "[departments] url is required"),
        (lambda t: t.split("[html_list]")[0], "no item list described"),
        (lambda t: t + "\n[[oops", "TOML syntax error"),
        (lambda t: t.replace("[departments]", "[departments"), "bad.toml:6: TOML syntax error"),  # with its line
        (lambda t: t + "\nx = " + "[" * 5000 + "]" * 5000 + "\n", "TOML nested too deeply"),
        (lambda t: t + '[json_list]\nitems = "a"\nguide_url = "/g/{id}"\nmethod = "PUT"\n', "use GET or POST"),
        (lambda t: t + '[json_list]\nitems = "a"\nguide_url = "/g"\nbody = { a = "1" }\n', "only sent with method"),
    ],
)
def test_broken_profiles_say_what_is_wrong(tmp_path: Path, edit, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(edit(GOOD), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_profile(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_a_profile_saved_with_a_bom_or_in_gbk(tmp_path: Path) -> None:
    """Windows editors write a BOM: the profile is read as rule packs and configs are; GBK is named."""
    path = tmp_path / "my-city.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_profile(path).base_url == "https://zwfw.example.gov.cn/"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(ConfigError, match=r"not UTF-8 text\s+fix: save the portal profile as UTF-8"):
        load_profile(path)


def test_unknown_profile_name() -> None:
    with pytest.raises(ConfigError, match="no such portal profile"):
        load_profile("nonexistent-profile")
