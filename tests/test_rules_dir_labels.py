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
        ("[elements\n", 1, "not valid TOML"),
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
