"""Bad input gets a clear one-line message, never a traceback, and the run goes on.

Each crash the fuzzer (tests/fuzz_pages.py) found has its minimal input here; the last test runs the fuzzer
itself for a few hundred mutants.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from guidecheck import api
from guidecheck.api import check_file, check_paths
from guidecheck.engine import RuleSet, load_ruleset
from tests import fuzz_pages

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset()


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_json_lone_surrogate_escape_in_a_value_is_read_as_a_replacement_character(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    # Crash: UnicodeEncodeError in findings.fingerprint (json.loads keeps "\ud800" as a lone surrogate,
    # which reached MAT01's evidence). Now read as U+FFFD: the page is audited and every output encodes.
    path = _write(tmp_path, "g.json", '{"事项名称": "拖拉机登记", "申请材料": "其他相关材料\\ud800"}')
    result = check_file(path, ruleset)
    assert result.error is None
    assert result.guide is not None and result.guide.materials_text is not None
    assert result.guide.materials_text.text == "其他相关材料\ufffd"
    assert "MAT01" in {f.rule_id for f in result.findings}
    for finding in result.findings:
        json.dumps([finding.message, finding.evidence], ensure_ascii=False).encode("utf-8")


def test_json_escaped_surrogate_pair_stays_one_character(tmp_path: Path, ruleset: RuleSet) -> None:
    path = _write(tmp_path, "g.json", '{"事项名称": "拖拉机登记\\ud83d\\ude00", "承诺办结时限": "5个工作日"}')
    result = check_file(path, ruleset)
    assert result.error is None and result.guide is not None and result.guide.item_name is not None
    assert result.guide.item_name.text == "拖拉机登记\U0001f600"


def test_json_suppression_with_lone_surrogates(tmp_path: Path, ruleset: RuleSet) -> None:
    # Crash: UnicodeEncodeError in findings.fingerprint, via suppress.parse_json's own json.loads (GC01's
    # evidence names the unknown rule).
    page = '{"事项名称": "x", "guidecheck-disable": [{"rule": "MAT04\\ud800", "reason": "x\\udc00"}]}'
    result = check_file(_write(tmp_path, "g.json", page), ruleset)
    assert result.error is None
    assert any("MAT04\ufffd" in f.evidence for f in result.findings)


@pytest.mark.parametrize(
    ("page", "kind"), [("null", "null"), ('"x"', "a string"), ("1.5", "a number"), ("true", "a boolean")]
)
def test_json_not_an_object_says_so_in_json_terms(tmp_path: Path, ruleset: RuleSet, page: str, kind: str) -> None:
    # was "the JSON is a NoneType" / "a int" / "a bool": Python's names
    result = check_file(_write(tmp_path, "g.json", page), ruleset)
    assert result.error == f"{tmp_path / 'g.json'}: the JSON is {kind}, not a guide record (an object)"


def test_unexpected_extractor_error_becomes_the_files_error_and_the_run_goes_on(
    tmp_path: Path, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _write(tmp_path, "a.json", '{"事项名称": "拖拉机登记", "承诺办结时限": "5个工作日"}')
    odd = _write(tmp_path, "b.json", '{"事项名称": "odd"}')
    real = api.read_guide

    def read_guide(path: Path, labels: object = None):
        if path.name == "b.json":
            raise KeyError("MATERIAL_NAME")
        return real(path, labels)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "read_guide", read_guide)
    result = check_paths([good, odd], ruleset)
    assert [g.error for g in result.guides] == [
        None,
        f"internal error while reading {odd}: KeyError: 'MATERIAL_NAME'; please report",
    ]


def test_unexpected_rule_error_names_the_rule(tmp_path: Path, ruleset: RuleSet) -> None:
    path = _write(tmp_path, "a.json", '{"事项名称": "拖拉机登记", "承诺办结时限": "5个工作日"}')
    broken = RuleSet(ruleset.rules)
    rule, _run, prepared, condition = broken._steps()[0]

    def run(guide: object, params: object) -> list[object]:
        raise ZeroDivisionError("division by zero\nsecond line")

    broken._plan[0] = (rule, run, prepared, condition)
    result = check_file(path, broken)
    assert result.error == (
        f"internal error while checking {path} with rule {rule.id}: ZeroDivisionError: division by zero second line;"
        " please report"
    )
    assert result.guide is not None  # the page was read: reports still show its title


def test_fuzzer_finds_nothing_in_a_few_hundred_mutants(ruleset: RuleSet) -> None:
    started = time.monotonic()
    problems = fuzz_pages.fuzz(400, seed=20260601, ruleset=ruleset)
    assert fuzz_pages.report(400, problems) == "400 mutants, 0 problems, 0 distinct"
    assert time.monotonic() - started < 15


def test_page_cut_off_mid_character_is_read(tmp_path: Path, ruleset: RuleSet) -> None:
    # was refused: "cannot decode the file as UTF-8 or GBK/GB18030 text (binary or unknown encoding)"
    data = (ROOT / "fixtures" / "pages" / "numbered_celiang.txt").read_bytes()
    result = check_file(_write(tmp_path, "g.txt", data[:1108]), ruleset)
    assert result.error is None and result.guide is not None and result.guide.item_name is not None
    assert result.guide.item_name.text == "测量标志拆迁审批"
    assert result.guide.encoding == "utf-8 (1 undecodable byte replaced)"


def test_gbk_page_with_a_stray_byte_is_read(tmp_path: Path, ruleset: RuleSet) -> None:
    data = (ROOT / "fixtures" / "pages" / "county_wushui_nocharset_gbk.html").read_bytes()
    result = check_file(_write(tmp_path, "g.html", data[:3000] + b"\xff" + data[3000:]), ruleset)
    assert result.error is None and result.guide is not None
    assert result.guide.encoding == "gb18030 (1 undecodable byte replaced)"
    assert len(result.guide.materials) == 3


def test_binary_file_is_still_refused(tmp_path: Path, ruleset: RuleSet) -> None:
    data = bytes(range(1, 256)) * 40
    result = check_file(_write(tmp_path, "g.html", data), ruleset)
    assert result.error is not None and "cannot decode the file" in result.error
