"""Audit history in a real SQLite file: trends, and findings new and fixed between two audits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from guidecheck.errors import GuidecheckError
from guidecheck.findings import Severity
from guidecheck.history import History, read_trends, record, resolve_path
from tests.scoring_factory import finding, guide_result, run

DEPT = "市规划和自然资源局"


def first_audit():  # type: ignore[no-untyped-def]
    return run(
        guide_result(DEPT, "A", [finding("MAT01", "materials", Severity.ERROR, guide="A", evidence="其他材料")]),
        guide_result(DEPT, "B", [finding("CON01", "consistency", Severity.ERROR, guide="B", evidence="到窗口")]),
        guide_result(DEPT, "C", [finding("FLW02", "flow", Severity.WARNING, guide="C", evidence="受理")]),
        guide_result("市公安局", "P", []),
    )


def second_audit():  # type: ignore[no-untyped-def]
    # A fixed MAT01 and gained MAT02; B unchanged; C failed to fetch this time (its finding is not "fixed").
    return run(
        guide_result(DEPT, "A", [finding("MAT02", "materials", Severity.WARNING, guide="A", evidence="营业执照")]),
        guide_result(DEPT, "B", [finding("CON01", "consistency", Severity.ERROR, guide="B", evidence="到窗口")]),
        guide_result(DEPT, "C", [], error="HTTP 503"),
    )


def test_two_audits_give_new_fixed_and_trend(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "history.sqlite"
    first = record(first_audit(), db)
    second = record(second_audit(), db)
    assert db.is_file() and second > first

    with History.open(db) as h:
        trend = h.trend(DEPT)
        assert [p.run_id for p in trend] == [first, second]
        assert trend[0].score is not None and trend[1].score is not None
        assert trend[1].score > trend[0].score  # an error replaced by a warning
        assert (trend[1].audited, trend[1].failed) == (2, 1)

        changes = h.changes(DEPT)
        assert changes is not None and changes.previous_run == first
        assert [(f.guide_id, f.rule_id) for f in changes.new] == [("A", "MAT02")]
        assert [(f.guide_id, f.rule_id) for f in changes.fixed] == [("A", "MAT01")]
        assert changes.unchanged == 1
        assert changes.not_reaudited == 1

        # 市公安局 was only in the first audit: its latest run is still the first one.
        assert [p.run_id for p in h.trend("市公安局")] == [first]
        latest, when = h.latest_scores()
        assert {d.department for d in latest} == {DEPT, "市公安局"}
        assert set(when) == {DEPT, "市公安局"}

    # A plain sqlite3 client reads the same file: it is a real database with the documented tables.
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "guide_scores", "findings", "department_scores"} <= tables
    assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2
    assert conn.execute("SELECT COUNT(*) FROM findings WHERE fingerprint = ''").fetchone()[0] == 0
    conn.close()


def test_first_audit_has_everything_new(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(first_audit(), db)
    with History.open(db) as h:
        changes = h.changes(DEPT)
        assert changes is not None and changes.previous_run is None
        assert len(changes.new) == 3 and changes.fixed == []
        assert h.changes("没有的部门") is None


def test_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GUIDECHECK_HISTORY", str(tmp_path / "env.sqlite"))
    assert resolve_path(None) == tmp_path / "env.sqlite"
    assert resolve_path(tmp_path / "x.sqlite") == tmp_path / "x.sqlite"
    monkeypatch.delenv("GUIDECHECK_HISTORY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_path(None) == tmp_path / "data" / "guidecheck" / "history.sqlite"


def test_reading_never_creates_a_file(tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite"
    assert read_trends([DEPT], db) == {}
    assert not db.exists()
    with pytest.raises(GuidecheckError, match="no audit history"):
        History.open(db, create=False)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not sqlite " * 100)
    with pytest.raises(GuidecheckError, match="not a guidecheck history, or a damaged one"):
        History.open(junk)


def test_a_narrower_audit_does_not_fix_the_rules_it_left_out(tmp_path: Path) -> None:
    from types import SimpleNamespace

    db = tmp_path / "h.sqlite"
    everything = first_audit()
    everything.rules = [SimpleNamespace(id=r) for r in ("MAT01", "CON01", "FLW02")]
    record(everything, db)
    only_con = run(
        guide_result(DEPT, "A", []),
        guide_result(DEPT, "B", [finding("CON01", "consistency", Severity.ERROR, guide="B", evidence="到窗口")]),
        guide_result(DEPT, "C", []),
    )
    only_con.rules = [SimpleNamespace(id="CON01")]  # `audit --select CON01`
    record(only_con, db)
    with History.open(db) as h:
        changes = h.changes(DEPT)
    assert changes is not None
    assert changes.fixed == [] and changes.not_reaudited == 2 and changes.unchanged == 1


def test_a_version_1_file_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, portal TEXT NOT NULL"
        " DEFAULT '', lang TEXT NOT NULL DEFAULT 'zh', tool_version TEXT NOT NULL DEFAULT '', guides INTEGER NOT NULL,"
        " findings INTEGER NOT NULL)"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    record(first_audit(), db)
    with History.open(db) as h:
        assert h.changes(DEPT) is not None
