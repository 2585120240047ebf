"""Accuracy of the whole pipeline on the bundled sample portal, against its manifest of planted defects.

Every guide of the portal is extracted and checked; the (guide, rule id) pairs found are compared with
the pairs the manifest expects. The test prints a per-rule precision/recall table (`pytest -s` shows it)
and fails when overall precision or recall drops below 0.95 or any rule's recall below 0.8.

Two ways to the same pairs, both measured:
- `audit_files_on_disk()` reads the files directly and simulates the crawler's link check (a linked
  attachment is "ok" when its file exists, "HTTP 404" otherwise);
- `audit_over_http()` serves the portal on 127.0.0.1 and runs the real crawl → extract → check pipeline
  (robots.txt, department list, pagination, GBK decoding, JSON lists, attachment link checks).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from guidecheck.engine import load_ruleset
from guidecheck.extract import extract
from guidecheck.model import Guide
from guidecheck.resources import sample_portal_dir

PORTAL = sample_portal_dir()
MIN_OVERALL = 0.95
MIN_RULE_RECALL = 0.8


def load_manifest(portal: Path = PORTAL) -> dict:
    return json.loads((portal / "manifest.json").read_text(encoding="utf-8"))


def _media_type(path: str, site: Mapping[str, object]) -> str:
    """What the sample server sends: JSON, HTML with charset, or HTML without one (undeclared GBK)."""
    if path.endswith(".json"):
        return "application/json"
    for dept in site["departments"]:  # type: ignore[index]
        if path.startswith((f"/guide/{dept['code']}/", f"/dept/{dept['code']}/")):
            if dept["encoding"] == "gbk-undeclared":
                return "text/html"
            return "text/html; charset=" + ("gbk" if dept["encoding"] == "gbk" else "utf-8")
    return "text/html; charset=utf-8"


def _attachment_links(guide: Guide) -> set[str]:
    links = set()
    for m in guide.materials:
        for link in (m.blank_form, m.sample):
            if link and ("/" in link or "." in link):
                links.add(link)
    return links


def simulate_link_status(guide: Guide, portal: Path = PORTAL) -> None:
    """Set `guide.link_status` as the crawler would: "ok" for attachments on disk, "HTTP 404" otherwise."""
    for link in _attachment_links(guide):
        path = urlsplit(link).path
        if not path.startswith("/files/"):
            continue
        guide.link_status[link] = "ok" if (portal / path.lstrip("/")).is_file() else "HTTP 404"


def extract_files_on_disk(portal: Path = PORTAL) -> dict[str, Guide]:
    """Every manifest guide extracted from its file, with the link check simulated: guide path → Guide."""
    manifest = load_manifest(portal)
    site = json.loads((portal / "site.json").read_text(encoding="utf-8"))
    guides: dict[str, Guide] = {}
    for path in manifest["guides"]:
        data = (portal / path.lstrip("/")).read_bytes()
        guide = extract(data, path, media_type=_media_type(path, site))
        simulate_link_status(guide, portal)
        guides[path] = guide
    return guides


def audit_files_on_disk(portal: Path = PORTAL) -> dict[str, set[str]]:
    """Extract and check every manifest guide from the files on disk: guide path → rule ids found."""
    ruleset = load_ruleset()
    return {path: {f.rule_id for f in ruleset.check(guide)} for path, guide in extract_files_on_disk(portal).items()}


def audit_over_http() -> dict[str, set[str]]:
    """Crawl the bundled portal over a local HTTP server and audit every guide: guide path → rule ids."""
    from guidecheck.crawl.fetch import FetchLimits
    from guidecheck.crawl.pipeline import CrawlOptions, audit_portal, open_portal

    # No cache (a fresh crawl every run) and a patient timeout: a loaded CI machine is slow, not broken.
    options = CrawlOptions(cache=None, limits=FetchLimits(timeout=60.0))
    with open_portal(None) as portal:
        run = audit_portal(portal, None, load_ruleset(), options=options)
    found: dict[str, set[str]] = {}
    for result in run.guides:
        assert not result.error, f"{result.source}: {result.error}"
        found[urlsplit(result.source).path] = {f.rule_id for f in result.findings}
    return found


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


def compare(expected: Mapping[str, set[str]], found: Mapping[str, set[str]]) -> tuple[Score, dict[str, Score]]:
    overall, per_rule = Score(), {}
    for path in expected:
        exp, got = expected[path], found.get(path, set())
        for rule in exp | got:
            s = per_rule.setdefault(rule, Score())
            if rule in exp and rule in got:
                s.tp += 1
                overall.tp += 1
            elif rule in got:
                s.fp += 1
                overall.fp += 1
            else:
                s.fn += 1
                overall.fn += 1
    return overall, per_rule


def table(overall: Score, per_rule: Mapping[str, Score]) -> str:
    lines = [f"{'rule':<7}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}"]
    for rule in sorted(per_rule):
        s = per_rule[rule]
        lines.append(f"{rule:<7}{s.tp:>5}{s.fp:>5}{s.fn:>5}{s.precision:>11.3f}{s.recall:>8.3f}")
    lines.append(
        f"{'all':<7}{overall.tp:>5}{overall.fp:>5}{overall.fn:>5}{overall.precision:>11.3f}{overall.recall:>8.3f}"
    )
    return "\n".join(lines)


def mismatches(expected: Mapping[str, set[str]], found: Mapping[str, set[str]], limit: int = 25) -> str:
    out = []
    for path in sorted(expected):
        missing, extra = expected[path] - found[path], found[path] - expected[path]
        if missing or extra:
            out.append(f"{path}: missing {sorted(missing)} extra {sorted(extra)}")
    return "\n".join(out[:limit]) + (f"\n… {len(out) - limit} more" if len(out) > limit else "")


AUDITS = {"files": audit_files_on_disk, "http": audit_over_http}


@pytest.fixture(scope="module", params=sorted(AUDITS))
def audit(request: pytest.FixtureRequest) -> tuple[str, dict[str, set[str]], dict[str, set[str]]]:
    manifest = load_manifest()
    expected = {path: set(entry["expected"]) for path, entry in manifest["guides"].items()}
    found = AUDITS[request.param]()
    assert set(found) == set(expected), "the audit did not reach every guide of the manifest"
    return request.param, expected, found


def test_compare_counts_pairs() -> None:
    overall, per_rule = compare({"a": {"X", "Y"}, "b": set()}, {"a": {"X"}, "b": {"Y"}})
    assert (overall.tp, overall.fp, overall.fn) == (1, 1, 1)
    assert per_rule["Y"].recall == 0.0 and per_rule["X"].precision == 1.0


def test_sample_portal_accuracy(audit: tuple[str, dict[str, set[str]], dict[str, set[str]]]) -> None:
    mode, expected, found = audit
    overall, per_rule = compare(expected, found)
    report = table(overall, per_rule)
    print(f"\nsample portal accuracy per (guide, rule) pair, audit over {mode}\n" + report)
    weak = [r for r, s in per_rule.items() if any(r in e for e in expected.values()) and s.recall < MIN_RULE_RECALL]
    assert overall.precision >= MIN_OVERALL and overall.recall >= MIN_OVERALL and not weak, (
        f"accuracy below the floor (weak recall: {weak})\n{report}\n{mismatches(expected, found)}"
    )


def test_manifest_and_rule_packs_agree() -> None:
    """Every planted id is a rule of the packs, and every rule of the packs is planted somewhere.

    A new rule fails this test until fixtures/generate_sample_portal.py plants it (DEFECTS, RULE_NAMES).
    """
    known = {rule.id for rule in load_ruleset()}
    planted = {r for entry in load_manifest()["guides"].values() for r in entry["expected"]}
    assert planted <= known, f"planted but not in rules/: {sorted(planted - known)}"
    assert known <= planted, f"rules never planted in the sample portal: {sorted(known - planted)}"


def _text(field: object) -> str | None:
    return field.text.strip() if field is not None else None  # type: ignore[attr-defined]


def extracted_facts(guide: Guide) -> dict[str, object]:
    """The facts of a guide as the extractor read them, in the manifest's shape."""
    return {
        "item_name": _text(guide.item_name),
        "owner": _text(guide.owner),
        "item_type": _text(guide.item_type),
        "legal_limit": _text(guide.legal_limit_text),
        "promised_limit": _text(guide.promised_limit_text),
        "visits": guide.visits,
        "channels": sorted(guide.channels),
        "materials": [m.name for m in guide.materials],
        "flowcharts": bool(guide.flowcharts),
    }


def test_sample_portal_extraction_fidelity() -> None:
    """The extractor reads the elements the generator wrote, in every template, encoding and wording."""
    manifest = load_manifest()
    agree: dict[str, int] = {}
    wrong: dict[str, list[str]] = {}
    for path, guide in extract_files_on_disk().items():
        facts = dict(manifest["guides"][path]["facts"])
        facts["flowcharts"] = facts["flowcharts"] > 0  # presence: a chart may show as image and link
        got = extracted_facts(guide)
        for key, value in facts.items():
            if got[key] == value:
                agree[key] = agree.get(key, 0) + 1
            else:
                wrong.setdefault(key, []).append(f"{path}: expected {value!r}, read {got[key]!r}")
    total = len(manifest["guides"])
    print("\nextraction agreement per element: " + ", ".join(f"{k} {agree.get(k, 0)}/{total}" for k in sorted(facts)))
    weak = {k: v for k, v in wrong.items() if len(v) > 0.02 * total}
    assert not weak, "\n".join(f"{k}: {len(v)} guides, e.g. {v[0]}" for k, v in weak.items())
