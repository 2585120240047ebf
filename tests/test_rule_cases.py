"""Data-driven rule cases (tests/rule_cases/*.toml): a base guide plus edits → extractor → rules.

Each case asserts which rules fire and which stay silent; see tests/rule_cases/README.md.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from guidecheck.engine import RuleSet, load_ruleset
from guidecheck.extract import extract
from guidecheck.findings import Finding, Severity
from guidecheck.model import Guide

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"
BASE = (CASES_DIR / "base_guide.txt").read_text(encoding="utf-8")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
CASE_KEYS = {"id", "fires", "silent", "set", "drop", "section", "replace", "append", "text", "link_status"}


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name} {case.get('id')}: unknown keys {unknown}"
            cases.append({**case, "_file": path.name})
    return cases


CASES = load_cases()


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset()


def _label_line(label: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:[一二三四五六七八九十]+、)?{re.escape(label)}[：:]")


def _section_span(lines: list[str], key: str) -> tuple[int, int]:
    """(heading index, end index) of the numbered section whose heading contains `key`."""
    for i, line in enumerate(lines):
        if _HEADING.match(line) and key in line:
            level = line.startswith("（")
            end = i + 1
            while end < len(lines):
                nxt = lines[end]
                if _HEADING.match(nxt) and (nxt.startswith("（") == level or not nxt.startswith("（")):
                    break
                end += 1
            return i, end
    raise AssertionError(f"no section {key!r} in the guide")


def build_text(case: dict[str, Any]) -> str:
    text = case.get("text", BASE)
    for old, new in case.get("replace", []):
        assert old in text, f"{case['id']}: replace: {old!r} not in the guide"
        text = text.replace(old, new)
    lines = text.splitlines()
    for key, body in case.get("section", {}).items():
        start, end = _section_span(lines, key)
        lines[start + 1 : end] = body.strip("\n").splitlines()
    for label, value in case.get("set", {}).items():
        pattern = _label_line(label)
        for i, line in enumerate(lines):
            if pattern.match(line):
                lines[i] = pattern.match(line).group(0) + value  # type: ignore[union-attr]
                break
        else:
            lines.append(f"{label}：{value}")
    for label in case.get("drop", []):
        pattern = _label_line(label)
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        if hits:
            del lines[hits[0]]
            continue
        start, end = _section_span(lines, label)
        del lines[start:end]
    text = "\n".join(lines) + "\n"
    return text + case.get("append", "")


def run_case(case: dict[str, Any], ruleset: RuleSet) -> tuple[Guide, list[Finding]]:
    guide = extract(build_text(case).encode("utf-8"), f"{case['id']}.txt")
    guide.link_status.update(case.get("link_status", {}))
    return guide, ruleset.check(guide)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rule_case(case: dict[str, Any], ruleset: RuleSet) -> None:
    _guide, findings = run_case(case, ruleset)
    fired = {f.rule_id for f in findings}
    report = "\n".join(f"  {f.rule_id} {f.evidence!r}: {f.message}" for f in findings)
    for rule_id in case.get("fires", []):
        assert rule_id in fired, f"{rule_id} should fire; findings:\n{report}"
    for rule_id in case.get("silent", []):
        assert rule_id not in fired, f"{rule_id} should stay silent; findings:\n{report}"
    # every message template's fields are filled, in both languages
    en = ruleset.check(_guide, lang="en")
    for finding in [*findings, *en]:
        assert not re.search(r"\{\w+\}", finding.message), f"{finding.rule_id}: unfilled field in {finding.message!r}"


def test_base_guide_is_clean(ruleset: RuleSet) -> None:
    """The base good guide produces no error and no warning (info-level suggestions are allowed)."""
    _guide, findings = run_case({"id": "base"}, ruleset)
    serious = [f for f in findings if f.severity >= Severity.WARNING]
    assert not serious, "\n".join(f"{f.rule_id}: {f.message}" for f in serious)


def test_every_rule_has_cases(ruleset: RuleSet) -> None:
    """A rule without a failing and a passing case is not done."""
    failing = {r for c in CASES for r in c.get("fires", [])}
    passing = {r for c in CASES for r in c.get("silent", [])}
    ids = {r.id for r in ruleset.rules}
    assert not ids - failing, f"rules without a failing case: {sorted(ids - failing)}"
    assert not ids - passing, f"rules without a passing case: {sorted(ids - passing)}"
    assert not (failing | passing) - ids, f"cases name unknown rules: {sorted((failing | passing) - ids)}"


def test_case_ids_are_unique_and_named_after_their_rule() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        rule_id, kind = case["id"].split("-")[:2]
        assert kind in ("fail", "pass"), case["id"]
        named = case.get("fires" if kind == "fail" else "silent", [])
        assert rule_id in named, f"{case['id']}: {rule_id} not in its {'fires' if kind == 'fail' else 'silent'}"
