"""`--format junit`: JUnit XML, as GitLab (`artifacts:reports:junit`) and Jenkins (`junit`) read it.

One <testsuite> per guide, one <testcase> per rule and guide (classname = the guide's file, name = the
rule), so the CI test view lists each guide with the rules it passed and failed. A rule's findings at
or above the run's --fail-on threshold make a <failure> (the same findings that fail the job); lower
ones go to <system-out> so they are visible without turning the job red. A guide that could not be read
gets a single testcase with an <error>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from guidecheck.findings import Finding, Severity
from guidecheck.report._meta import rules_of
from guidecheck.results import GuideResult, RunResult

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Crawled text may carry control characters that XML 1.0 cannot hold at all."""
    return _NOT_XML.sub("\ufffd", text)


def _describe(f: Finding) -> str:
    where = ""
    if f.loc and f.loc.line:
        where = f" (line {f.loc.line})"
    elif f.loc and f.loc.path:
        where = f" ({f.loc.path})"
    evidence = f" 「{f.evidence}」" if f.evidence and f.evidence not in f.message else ""
    return _clean(f"[{f.severity}] {f.rule_id} {f.message}{evidence}{where}")


def _guide_suite(g: GuideResult, rule_names: dict[str, str], threshold: Severity | None) -> ET.Element:
    suite = ET.Element("testsuite", name=g.source)
    if g.guide:
        suite.set("id", g.guide.id)
    if g.error:
        case = ET.SubElement(suite, "testcase", name="read guide", classname=g.source, file=g.source)
        ET.SubElement(case, "error", message=_clean(g.error), type="unreadable").text = _clean(g.error)
        suite.set("tests", "1")
        suite.set("failures", "0")
        suite.set("errors", "1")
        return suite
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in g.findings:
        by_rule[f.rule_id].append(f)
        rule_names.setdefault(f.rule_id, f.rule_name)
    failures = 0
    for rule_id in [*rule_names, *(r for r in by_rule if r not in rule_names)]:
        label = f"{rule_id} {rule_names.get(rule_id, '')}".strip()
        case = ET.SubElement(suite, "testcase", name=label, classname=g.source, file=g.source)
        found = by_rule.get(rule_id, [])
        failing = [f for f in found if threshold is not None and f.severity >= threshold]
        passing = [f for f in found if f not in failing]
        if failing:
            failures += 1
            worst = max(f.severity for f in failing)
            first = failing[0]
            message = first.message if len(failing) == 1 else f"{first.message} (+{len(failing) - 1})"
            failure = ET.SubElement(case, "failure", message=_clean(message), type=str(worst))
            failure.text = "\n".join(_describe(f) for f in failing)
        if passing:
            ET.SubElement(case, "system-out").text = "\n".join(_describe(f) for f in passing)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return suite


def render(result: RunResult, options: RenderOptions) -> str:
    threshold = getattr(options, "fail_on", Severity.ERROR)
    root = ET.Element("testsuites", name="guidecheck")
    names = {m.id: m.name for m in rules_of(result, options.lang)}
    for g in result.guides:
        root.append(_guide_suite(g, dict(names), threshold))
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
