"""A rules folder's `labels.toml` teaches the extractor a portal's own wording, without Python.

`--rules DIR` (or `rules` in guidecheck.toml) adds rule packs; a `labels.toml` in that folder adds
label synonyms, merged over the built-in rules/labels.toml, for `check` and `audit` alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidecheck.cli import run_app
from guidecheck.engine import load_ruleset
from guidecheck.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "fixtures" / "pages" / "gdzwfw_yiliao_feiwu.html"
ODD_LABEL = "办理承诺天数"  # a wording no built-in synonym covers


@pytest.fixture
def odd_page(tmp_path: Path) -> Path:
    page = tmp_path / "guides" / "odd.html"
    page.parent.mkdir()
    page.write_text(GOOD.read_text(encoding="utf-8").replace("<th>承诺办结时限</th>", f"<th>{ODD_LABEL}</th>"))
    return page


def _cmp01_elements(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    run_app(["check", *argv, "--format", "json", "--lang", "en", "--no-config"])
    doc = json.loads(capsys.readouterr().out)
    return [f["message"] for g in doc["guides"] for f in g["findings"] if f["rule_id"] == "CMP01"]


def test_an_unknown_label_leaves_its_element_missing_until_the_rules_folder_names_it(
    odd_page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _cmp01_elements(capsys, str(odd_page))
    assert any("promised" in m.lower() for m in before), before

    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "labels.toml").write_text(f'[elements]\npromised_limit_text = ["{ODD_LABEL}"]\n', encoding="utf-8")
    after = _cmp01_elements(capsys, str(odd_page), "--rules", str(rules))
    assert not any("promised" in m.lower() for m in after), after


def test_the_ruleset_carries_the_folders_labels_and_none_without_one(tmp_path: Path) -> None:
    assert load_ruleset().labels is None
    (tmp_path / "labels.toml").write_text(f'[elements]\npromised_limit_text = ["{ODD_LABEL}"]\n', encoding="utf-8")
    labels = load_ruleset([tmp_path]).labels
    assert labels is not None and labels.element(ODD_LABEL) == "promised_limit_text"
    assert labels.element("承诺办结时限") == "promised_limit_text"  # the built-in synonyms stay


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("elements = 1\n", 1, "'elements' must be a table"),
        ("[element]\nitem_name = ['x']\n", 1, "did you mean [elements]"),
        ("[elements]\nitem_name = '事项名称'\n", 2, "must be a list of strings"),
        ("[flags]\n\nsupports_post = [1, 2]\n", 3, "must be a list of strings"),
        ("[json.guangdong.item]\nname = 5\n", 2, "field name"),
        ("[elements]\nno_such_element = ['x']\n", None, "unknown element key"),
        ("[elements\n", 1, "TOML syntax error"),
    ],
)
def test_a_broken_labels_file_names_the_file_the_line_and_the_fix(
    text: str, line: int | None, words: str, tmp_path: Path, odd_page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.toml"
    labels.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_ruleset([tmp_path])
    assert caught.value.file == str(labels) and caught.value.line == line and words in str(caught.value)

    assert run_app(["check", str(odd_page), "--rules", str(tmp_path), "--no-config"]) == 2
    err = capsys.readouterr().err
    assert str(labels) in " ".join(err.split()) and "Traceback" not in err


def test_labels_in_gbk_are_refused_by_name_and_a_bom_is_read(tmp_path: Path) -> None:
    # Found by tests/fuzz_inputs.py once labels.toml became a seed: a GBK file was a UnicodeDecodeError
    labels = tmp_path / "labels.toml"
    labels.write_bytes(f'[elements]\npromised_limit_text = ["{ODD_LABEL}"]\n'.encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_ruleset([tmp_path])
    labels.write_bytes(b"\xef\xbb\xbf" + f'[elements]\npromised_limit_text = ["{ODD_LABEL}"]\n'.encode())
    read = load_ruleset([tmp_path]).labels
    assert read is not None and read.element(ODD_LABEL) == "promised_limit_text"


def test_convert_reads_pages_with_the_rules_folders_labels(odd_page: Path, tmp_path: Path) -> None:
    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "labels.toml").write_text(f'[elements]\npromised_limit_text = ["{ODD_LABEL}"]\n', encoding="utf-8")
    plain, taught = tmp_path / "plain", tmp_path / "taught"
    assert run_app(["convert", str(odd_page), "--out", str(plain)]) == 0
    assert run_app(["convert", str(odd_page), "--out", str(taught), "--rules", str(rules)]) == 0
    promised = 'promised_limit = "15个工作日"'
    assert promised not in (plain / "odd.guide.toml").read_text(encoding="utf-8")
    assert promised in (taught / "odd.guide.toml").read_text(encoding="utf-8")


def test_convert_with_a_missing_rules_folder_exits_2(odd_page: Path, tmp_path: Path, capsys) -> None:
    assert run_app(["convert", str(odd_page), "--out", str(tmp_path / "o"), "--rules", str(tmp_path / "nope")]) == 2
    assert "rules folder not found" in capsys.readouterr().err


def _portal_with_an_odd_form_column(root: Path) -> Path:
    """The tiny crawl portal, its 规划 guides linking their blank forms from a column no built-in
    synonym names and outside /files/ (so the profile's attachment XPath does not see them either)."""
    from tests.crawl_portal import build_portal

    build_portal(root)
    for page in (root / "guide" / "ghzy").glob("*.html"):
        text = page.read_text(encoding="utf-8").replace("<th>空表</th>", "<th>表样获取</th>")
        page.write_text(text.replace('href="/files/', 'href="/forms/'), encoding="utf-8")
    return root


def _checked_links(out: Path) -> set[str]:
    manifest = json.loads((out / "crawl.json").read_text(encoding="utf-8"))
    return {link for entry in manifest["guides"] for link in entry.get("links") or {}}


def test_crawl_reads_the_pages_for_material_links_with_the_rules_folders_labels(tmp_path: Path) -> None:
    from guidecheck.crawl.profile import PROFILES_DIR
    from guidecheck.crawl.sample_server import SamplePortalServer

    root = _portal_with_an_odd_form_column(tmp_path / "portal")
    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "labels.toml").write_text('[material_columns]\nblank_form = ["表样获取"]\n', encoding="utf-8")
    with SamplePortalServer(root) as server:
        profile = tmp_path / "city.toml"
        text = (PROFILES_DIR / "sample.toml").read_text(encoding="utf-8")
        profile.write_text(text.replace('name = "sample"', f'name = "city"\nbase_url = "{server.url}/"'), "utf-8")
        base = ["crawl", "规划和自然资源局", "--portal", str(profile), "--no-cache", "--rate", "0"]
        assert run_app([*base, "--out", str(tmp_path / "plain")]) == 0
        assert run_app([*base, "--out", str(tmp_path / "taught"), "--rules", str(rules)]) == 0
    assert not any("/forms/" in link for link in _checked_links(tmp_path / "plain"))
    assert any("/forms/" in link for link in _checked_links(tmp_path / "taught"))


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (None, "rules folder not found"),
        ('[material_columns]\nblank_form = "表样获取"\n', "labels.toml:2"),
    ],
)
def test_crawl_refuses_a_missing_or_broken_rules_folder_before_crawling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], labels: str | None, expected: str
) -> None:
    rules = tmp_path / "myrules"
    if labels is not None:
        rules.mkdir()
        (rules / "labels.toml").write_text(labels, encoding="utf-8")
    out = tmp_path / "out"
    # an unreachable portal: reaching it would be a different error, so exit 2 here comes from --rules
    argv = ["crawl", "公安局", "--portal", "http://127.0.0.1:9/", "--out", str(out), "--rules", str(rules)]
    assert run_app([*argv, "--no-cache", "--tries", "1"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "cannot connect" not in err
    assert not out.exists()
