"""Broken rule packs, configs, crawl manifests, baselines, history files and guide files: exit 2, a message
naming the file (and line) and the fix, no traceback, nothing already written lost.

Each hand-made case of tests/fuzz_inputs.py is a test here (its name says what is broken); the cases that
failed before this file existed are listed in DEFECTS with what happened then. The last test runs a few
dozen mutants; `python tests/fuzz_inputs.py --count 20000` runs a campaign.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from guidecheck.errors import GuidecheckError
from guidecheck.history import History
from tests import fuzz_inputs

CASES = fuzz_inputs.cases()

DEFECTS = {
    # case name → what it did before
    "rules/param of the wrong type": "TypeError traceback from the check kind's prepare, then no key named",
    "baseline/count not a whole number": "silently taken as 1 (hid or revealed findings)",
    "rules/message field attribute": "AttributeError traceback ({a.b} in a message)",
    "rules/facet a list": "TypeError traceback (unhashable list)",
    "rules/nested too deeply": "RecursionError traceback from tomllib",
    "rules/weight nan": "accepted: every score became nan",
    "rules/weight inf": "accepted",
    "rules/typo'd key": "no suggestion, no line",
    "rules/typo'd check kind": "no suggestion, no line",
    "rules/bad severity": "no line (every rule-pack error lacked one)",
    "rules/term list breaks a built-in rule": "named only the built-in rule's file, not the pack that broke it",
    "rules/rule entry not a table": "said the rule 'has no id'",
    "rules/pack is a folder": "'cannot read: Is a directory', no fix",
    "rules/a page given as the rules folder": "'rules folder not found' for a file that exists",
    "rules/UTF-8 BOM": "TOML syntax error: Invalid statement at line 1",
    "guidefile/UTF-8 BOM": "TOML syntax error: Invalid statement at line 1",
    "baseline/UTF-8 BOM": "invalid JSON: Unexpected UTF-8 BOM",
    "config/nested too deeply": "RecursionError traceback",
    "config/--config is a folder": "'cannot read: Is a directory', no fix",
    "manifest/nested too deeply": "RecursionError traceback",
    "manifest/format_version true": "true was read as version 1",
    "baseline/nested too deeply": "RecursionError traceback",
    "baseline/GBK": "a codec error text, no fix",
    "baseline/is a folder": "an OSError repr",
    "baseline/write over a guide page": "the page was overwritten with a baseline",
    "baseline/write into a file": "'File exists'",
    "guidefile/nested too deeply": "'internal error … RecursionError; please report'",
    "history/history: newer schema": "sqlite3.OperationalError traceback",
    "history/rank: newer schema": "sqlite3.OperationalError traceback",
    "history/history: another program's database": "sqlite3.OperationalError traceback",
    "history/rank: another program's database": "sqlite3.OperationalError traceback",
    "history/history: empty": "'not a usable history database: no such table: runs'",
    "history/is a folder": "'no audit history yet'",
    # found by the campaign (seed 11): a flipped byte in the schema text, damaged rows without a department
    "history/rank: a non-UTF-8 byte in the schema": "UnicodeDecodeError traceback",
    "history/history: a department without a name": "'the portal lists no departments'",
}


def test_every_listed_defect_has_a_case() -> None:
    assert set(DEFECTS) <= {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input(case: fuzz_inputs.Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # one message, one line: file names stay whole
    monkeypatch.chdir(tmp_path)  # no config of the repository around the case
    (tmp_path / ".git").mkdir()
    fuzz_inputs.write_files(tmp_path, case.files)
    assert fuzz_inputs.judge(case, tmp_path) == []


@pytest.mark.parametrize("setup", ["CREATE TABLE runs (x)", "CREATE TABLE notes (id INTEGER)"])
def test_audit_leaves_another_programs_database_as_it_is(tmp_path: Path, setup: str) -> None:
    # was: the audit added guidecheck's tables to it (and failed to insert into its `runs`)
    path = tmp_path / "h.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(setup)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(GuidecheckError, match="not a guidecheck history"):
        History.open(path)
    assert path.read_bytes() == before


def test_an_empty_file_becomes_a_history(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"")
    with History.open(path) as h:
        assert h.departments() == []


def test_a_few_dozen_mutants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    assert fuzz_inputs.fuzz(60, seed=20261123) == []
    assert time.monotonic() - started < 30
