"""Hand-built findings and results for the format tests (independent of the rule engine)."""

from __future__ import annotations

from dataclasses import dataclass, field

from guidecheck.findings import Finding, Severity, fingerprint
from guidecheck.model import Field, Guide, Loc
from guidecheck.results import GuideResult, RunResult


@dataclass
class FakeRule:
    id: str
    name: str
    facet: str
    severity: Severity
    weight: float = 1.0
    aliases: tuple[str, ...] = ()
    title: dict[str, str] = field(default_factory=dict)
    message: dict[str, str] = field(default_factory=dict)
    source: str = ""
    doc: dict[str, dict[str, str]] = field(default_factory=dict)


RULES = [
    FakeRule(
        "MAT01",
        "materials.catch-all",
        "materials",
        Severity.ERROR,
        3.0,
        title={"zh": "兜底材料", "en": "Catch-all material"},
        source="L4, L10",
        doc={
            "what": {"zh": "申请材料中出现“其他材料”等兜底表述。", "en": "Catch-all wording in materials."},
            "why": {"zh": "申请人无法据此准备材料。", "en": "Applicants cannot prepare it."},
            "fail": {"zh": "其他相关材料", "en": "other relevant materials"},
            "pass": {"zh": "营业执照复印件1份", "en": "business licence copy, 1"},
        },
    ),
    FakeRule("MAT02", "materials.copies", "materials", Severity.WARNING, title={"zh": "未写份数", "en": "No copies"}),
    FakeRule("CMP05", "completeness.phone", "completeness", Severity.INFO, title={"zh": "电话", "en": "Phone"}),
]


def guide(source: str, code: str, name: str) -> Guide:
    return Guide(
        source=source,
        format="guide-file",
        item_name=Field(name, Loc(source, "item_name", 3)),
        item_code=Field(code, Loc(source, "item_code", 4)),
    )


def finding(g: Guide, rule: FakeRule, message: str, evidence: str, line: int | None, path: str = "") -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        facet=rule.facet,
        severity=rule.severity,
        message=message,
        evidence=evidence,
        loc=Loc(g.source, path, line),
        guide_id=g.id,
        guide_source=g.source,
        guide_title=g.title,
        fingerprint=fingerprint(g.id, rule.id, evidence),
        weight=rule.weight,
    )


def sample_result(base: str = "guides") -> RunResult:
    a = guide(f"{base}/a.guide.toml", "1144A", "兽药经营许可证核发")
    b = guide(f"{base}/b.guide.toml", "1144B", "食品经营许可 | <b>变更</b>")
    c = guide(f"{base}/c.guide.toml", "1144C", "户口迁移")
    fa = [
        finding(a, RULES[0], "申请材料含兜底表述“其他材料”", "其他相关材料, 见附件", 21, "materials[2].name"),
        finding(a, RULES[1], "材料未写份数", "营业执照", 15, "materials[0]"),
    ]
    fb = [
        finding(b, RULES[2], "电话缺少区号: 12345 | 转 <script>", "12345\n转8", None, "/html/body/table/tr[3]/td[2]"),
        finding(b, RULES[0], "兜底材料 100%", "有关证明材料", 30),
    ]
    return RunResult(
        guides=[
            GuideResult(source=a.source, guide=a, findings=fa),
            GuideResult(source=b.source, guide=b, findings=fb),
            GuideResult(source=c.source, guide=c),
            GuideResult(source=f"{base}/broken.guide.toml", error="broken.guide.toml:3: TOML syntax error"),
        ],
        lang="zh",
        rules=list(RULES),
    )
