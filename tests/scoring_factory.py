"""Builders for guides, findings and runs used by the score, stats, history and HTML report tests."""

from __future__ import annotations

from guidecheck.findings import Finding, Severity, fingerprint
from guidecheck.model import Field, Flowchart, Guide, Loc, Material, TimeLimit
from guidecheck.results import GuideResult, RunResult
from guidecheck.score import SEVERITY_WEIGHTS


def field(text: str, source: str = "g") -> Field:
    return Field(text=text, loc=Loc(source))


def finding(
    rule: str,
    facet: str,
    severity: Severity = Severity.WARNING,
    *,
    weight: float | None = None,
    guide: str = "g1",
    evidence: str = "",
    title: str = "",
    message: str = "",
) -> Finding:
    evidence = evidence or f"{rule} evidence"
    return Finding(
        rule_id=rule,
        rule_name=rule.lower(),
        facet=facet,
        severity=severity,
        message=message or f"{rule} message",
        evidence=evidence,
        loc=Loc(guide),
        guide_id=guide,
        guide_source=guide,
        guide_title=title or guide,
        fingerprint=fingerprint(guide, rule, evidence),
        weight=SEVERITY_WEIGHTS[severity] if weight is None else weight,
    )


def guide(
    source: str = "https://portal.example/g1",
    *,
    name: str = "测试事项",
    code: str = "",
    item_type: str = "行政许可",
    case_type: str = "承诺件",
    channels: frozenset[str] = frozenset({"window", "online"}),
    visits: int | None = 0,
    legal: TimeLimit | None = None,
    promised: TimeLimit | None = None,
    materials: list[Material] | None = None,
    flowchart: bool = True,
) -> Guide:
    return Guide(
        source=source,
        item_name=field(name, source),
        item_code=field(code, source) if code else None,
        item_type=field(item_type, source) if item_type else None,
        case_type=field(case_type, source) if case_type else None,
        channels=channels,
        visits=visits,
        legal_limit=legal if legal is not None else TimeLimit("20个工作日", days=20, unit="工作日"),
        promised_limit=promised if promised is not None else TimeLimit("5个工作日", days=5, unit="工作日"),
        materials=materials if materials is not None else [Material(name="身份证", loc=Loc(source), copies=1)],
        flowcharts=[Flowchart(loc=Loc(source), title="流程图")] if flowchart else [],
    )


def guide_result(
    department: str, code: str, findings: list[Finding], *, error: str | None = None, **guide_kw: object
) -> GuideResult:
    source = f"https://portal.example/{department}/{code}.html"
    g = guide(source, code=code, name=guide_kw.pop("name", f"事项{code}"), **guide_kw)  # type: ignore[arg-type]
    return GuideResult(source=source, guide=None if error else g, findings=[] if error else findings, error=error,
                       department=department)  # fmt: skip


def run(*guides: GuideResult, portal: str = "sample") -> RunResult:
    return RunResult(guides=list(guides), portal=portal, departments=sorted({g.department for g in guides}))
