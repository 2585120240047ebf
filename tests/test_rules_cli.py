"""`guidecheck rules` and `guidecheck explain ID`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidecheck.cli import run_app


@pytest.fixture(autouse=True)
def wide_plain_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def test_rules_table_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["rules"]) == 0
    out = capsys.readouterr().out
    for text in ("CMP01", "materials.catch-all", "consistency", "error", "网上办理流程要求到窗口申请"):
        assert text in out


def test_rules_json_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["rules", "--format", "json", "--lang", "en"]) == 0
    rules = json.loads(capsys.readouterr().out)
    con01 = next(r for r in rules if r["id"] == "CON01")
    assert con01["severity"] == "error" and con01["doc"]["fail"] and con01["source"]["ids"] == ["seed 000"]


def test_explain_prints_the_docs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["explain", "CON01"]) == 0
    out = capsys.readouterr().out
    for text in (
        "CON01",
        "consistency.online-flow-to-window",
        "检查内容",
        "原因",
        "依据",
        "不合格示例",
        "合格示例",
        "到窗口提出申请",
        "测量标志拆迁审批",
        "channel_flow_contradiction",
    ):
        assert text in out, text


def test_explain_accepts_alias_and_name_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["explain", "M1", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "MAT01" in out and "What it checks" in out and "Failing example" in out
    assert run_app(["explain", "flow.terse-steps"]) == 0
    assert "FLW02" in capsys.readouterr().out


def test_explain_unknown_id_exits_2_with_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["explain", "CON1"]) == 2
    err = capsys.readouterr().err
    assert "unknown rule" in err and "CON01" in err and "Traceback" not in err


def test_suppression_meta_rules_are_listed_and_explained(capsys: pytest.CaptureFixture[str]) -> None:
    """GC01/GC02 appear in every report, so a reader must be able to look them up like any rule."""
    assert run_app(["rules", "--format", "json"]) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["GC02"]["severity"] == "warning" and listed["GC01"]["severity"] == "info"
    assert run_app(["explain", "GC02", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "suppression.no-reason" in out and "Failing example" in out and "<!-- guidecheck-disable MAT04 -->" in out
    assert run_app(["explain", "suppression.unused"]) == 0
    assert "屏蔽" in capsys.readouterr().out


def test_rules_with_extra_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "local.toml").write_text('[[rule]]\nid = "FLW05"\nseverity = "warning"\n', encoding="utf-8")
    assert run_app(["rules", "--format", "json", "--rules", str(tmp_path)]) == 0
    flw05 = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == "FLW05")
    assert flw05["severity"] == "warning"


def test_broken_extra_rules_give_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.toml").write_text('[[rule]]\nid = "FLW05"\ncheck = "nope"\n', encoding="utf-8")
    assert run_app(["explain", "FLW05", "--rules", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "FLW05" in err and "'check'" in err and "Traceback" not in err


def test_rules_kinds_documents_every_check_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["rules", "--kinds", "--format", "json"]) == 0
    kinds = json.loads(capsys.readouterr().out)
    assert "forbidden_terms" in kinds and "params:" in kinds["forbidden_terms"]
    assert all(doc.strip() for doc in kinds.values())
