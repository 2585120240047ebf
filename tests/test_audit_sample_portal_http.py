"""Accuracy of `audit --all` through the real HTTP path: the bundled portal served on 127.0.0.1, crawled
politely-lifted, links checked by HEAD, every guide extracted and checked, compared with the manifest.

The same floors as the on-disk accuracy test (issue #3 §4): overall precision and recall ≥ 0.95, every
planted rule's recall ≥ 0.8. `pytest -s` prints the per-rule table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from guidecheck.crawl.pipeline import CrawlOptions, audit_portal, open_portal
from guidecheck.engine import load_ruleset
from guidecheck.resources import sample_portal_dir
from guidecheck.results import RunResult

MIN_OVERALL = 0.95
MIN_RULE_RECALL = 0.8


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, dict[str, set[str]]]:
    manifest = json.loads((sample_portal_dir() / "manifest.json").read_text(encoding="utf-8"))
    expected = {path: set(entry["expected"]) for path, entry in manifest["guides"].items()}
    cache: Path = tmp_path_factory.mktemp("http") / "crawl.sqlite"
    with open_portal(None) as portal:
        result = audit_portal(portal, None, load_ruleset(), options=CrawlOptions(cache=cache))
    return result, expected


def _found(result: RunResult) -> dict[str, set[str]]:
    return {urlsplit(g.source).path: {f.rule_id for f in g.findings} for g in result.guides}


def test_every_guide_of_the_portal_is_crawled_and_audited(audited) -> None:
    result, expected = audited
    assert set(_found(result)) == set(expected)
    errors = [(g.source, g.error) for g in result.errors]
    assert result.stats["fetched"] == len(expected) and result.stats["failed"] == 0, (result.stats, errors)
    assert result.stats["links_checked"] > 0 and result.stats["links_broken"] > 0
    assert result.portal.startswith("临江市政务服务网") and "127.0.0.1" in result.portal


def test_accuracy_through_http_meets_the_floor(audited) -> None:
    result, expected = audited
    found = _found(result)
    overall, per_rule = Score(), {}
    for path, exp in expected.items():
        got = found.get(path, set())
        for rule in exp | got:
            s = per_rule.setdefault(rule, Score())
            which = "tp" if rule in exp and rule in got else "fp" if rule in got else "fn"
            setattr(s, which, getattr(s, which) + 1)
            setattr(overall, which, getattr(overall, which) + 1)
    lines = [f"{'rule':<7}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}"]
    for rule in sorted(per_rule):
        s = per_rule[rule]
        lines.append(f"{rule:<7}{s.tp:>5}{s.fp:>5}{s.fn:>5}{s.precision:>11.3f}{s.recall:>8.3f}")
    lines.append(
        f"{'all':<7}{overall.tp:>5}{overall.fp:>5}{overall.fn:>5}{overall.precision:>11.3f}{overall.recall:>8.3f}"
    )
    report = "\n".join(lines)
    print("\naccuracy through the HTTP path\n" + report)
    planted = {r for e in expected.values() for r in e}
    weak = sorted(r for r in planted if per_rule[r].recall < MIN_RULE_RECALL)
    assert overall.precision >= MIN_OVERALL and overall.recall >= MIN_OVERALL and not weak, f"weak: {weak}\n{report}"
