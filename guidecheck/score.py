"""Scores: each guide gets 0–100 per facet and overall; each department a mean, and a league table.

The method (documented for users in docs/scoring.md and `guidecheck explain --scoring`):

- A facet starts at 100. Each rule that fires in the facet deducts its weight ONCE per guide, however
  many times it fires there (a guide either meets a requirement or it does not, as the evaluators of
  seed 000 score it; a long materials list must not sink a guide for one missing habit). The facet
  score is floored at 0.
- A rule's weight is its `weight` from the rule pack; a rule that states none takes its severity's
  (error 10, warning 4, info 1, standards.md §3.6 — the engine fills it in). Weight 0 reports without
  scoring (guidecheck's own meta rules about suppressions do that).
- The overall score is the weighted mean of the four facets (FACET_WEIGHTS: 25/35/25/15 — the 30/40/30
  suggestion of §3.6, scaled to make room for consistency).
- A guide that could not be audited (fetch or read error) has no score; it counts as failed.
- A department's score is the mean of its audited guides' overall scores, rounded to 2 decimals
  like the league table of seed 000. Departments are ranked by that rounded score with competition
  ranking ("1, 2, 2, 4"): equal scores share a rank and nothing breaks the tie.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from guidecheck.findings import FACETS, Finding, Severity
from guidecheck.results import GuideResult, RunResult

FACET_WEIGHTS: dict[str, float] = {"completeness": 25.0, "materials": 35.0, "flow": 25.0, "consistency": 15.0}
"""Share of each facet in the overall score (sums to 100)."""

SEVERITY_WEIGHTS: dict[Severity, float] = {Severity.ERROR: 10.0, Severity.WARNING: 4.0, Severity.INFO: 1.0}
"""The default weight per severity (the engine gives it to rules without an explicit weight)."""

MAX_SCORE = 100.0


def finding_weight(finding: Finding) -> float:
    return max(0.0, finding.weight)


def facet_scores(findings: list[Finding]) -> dict[str, float]:
    """Facet → 0–100. Each rule deducts its (largest) weight once per facet; unknown facets are ignored."""
    per_rule: dict[tuple[str, str], float] = {}
    for f in findings:
        if f.facet not in FACETS:
            continue
        key = (f.facet, f.rule_id)
        per_rule[key] = max(per_rule.get(key, 0.0), finding_weight(f))
    deduction: Counter[str] = Counter()
    for (facet, _rule), weight in per_rule.items():
        deduction[facet] += weight
    return {facet: max(0.0, MAX_SCORE - deduction[facet]) for facet in FACETS}


def overall_score(facets: dict[str, float]) -> float:
    total = sum(FACET_WEIGHTS.values())
    return sum(facets[k] * w for k, w in FACET_WEIGHTS.items()) / total


@dataclass(slots=True, frozen=True)
class GuideScore:
    guide_id: str
    source: str
    title: str
    department: str
    facets: dict[str, float]
    overall: float
    findings: int
    errors: int
    """Findings of severity error."""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.guide_id,
            "source": self.source,
            "title": self.title,
            "department": self.department,
            "overall": round(self.overall, 2),
            "facets": {k: round(v, 2) for k, v in self.facets.items()},
            "findings": self.findings,
            "errors": self.errors,
        }


def score_guide(g: GuideResult) -> GuideScore | None:
    """The guide's scores, or None when it could not be audited."""
    if g.error:
        return None
    facets = facet_scores(g.findings)
    return GuideScore(
        guide_id=g.guide.id if g.guide else g.source,
        source=g.source,
        title=g.title,
        department=g.department,
        facets=facets,
        overall=overall_score(facets),
        findings=len(g.findings),
        errors=sum(1 for f in g.findings if f.severity is Severity.ERROR),
    )


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass(slots=True)
class DepartmentScore:
    department: str
    guides: int = 0
    audited: int = 0
    failed: int = 0
    mean: float | None = None
    """Mean overall score of the audited guides, 2 decimals; None when none could be audited."""
    facet_means: dict[str, float | None] = field(default_factory=dict)
    no_error_share: float | None = None
    """Share (0–1) of audited guides without any error-severity finding."""
    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    """Rule id → findings, most frequent first."""
    rank: int | None = None
    guide_scores: list[GuideScore] = field(default_factory=list, repr=False)

    def to_dict(self, *, guides: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "rank": self.rank,
            "department": self.department,
            "score": self.mean,
            "facets": self.facet_means,
            "no_error_share": None if self.no_error_share is None else round(self.no_error_share, 4),
            "guides": self.guides,
            "audited": self.audited,
            "failed": self.failed,
            "findings": self.findings,
            "by_severity": self.by_severity,
            "by_rule": self.by_rule,
        }
        if guides:
            out["guide_scores"] = [s.to_dict() for s in self.guide_scores]
        return out


def department_score(department: str, guides: list[GuideResult]) -> DepartmentScore:
    scores = [s for s in (score_guide(g) for g in guides) if s is not None]
    findings = [f for g in guides for f in g.findings]
    by_rule = Counter(f.rule_id for f in findings)
    by_severity = Counter(str(f.severity) for f in findings)
    return DepartmentScore(
        department=department,
        guides=len(guides),
        audited=len(scores),
        failed=len(guides) - len(scores),
        mean=_mean([s.overall for s in scores]),
        facet_means={k: _mean([s.facets[k] for s in scores]) for k in FACETS},
        no_error_share=(sum(1 for s in scores if s.errors == 0) / len(scores)) if scores else None,
        findings=len(findings),
        by_severity={k: by_severity.get(k, 0) for k in ("error", "warning", "info")},
        by_rule=dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
        guide_scores=scores,
    )


def department_scores(result: RunResult) -> list[DepartmentScore]:
    """One entry per department, in the order departments first appear in the result."""
    groups: dict[str, list[GuideResult]] = {}
    for g in result.guides:
        groups.setdefault(g.department, []).append(g)
    return [department_score(name, guides) for name, guides in groups.items()]


def assign_ranks(departments: list[DepartmentScore]) -> list[DepartmentScore]:
    """Sort by score (best first) and set competition ranks: equal 2-decimal scores share a rank.

    Departments without a score come last, unranked. Ties keep a stable order by name for display only.
    """
    scored = sorted((d for d in departments if d.mean is not None), key=lambda d: (-(d.mean or 0.0), d.department))
    unscored = sorted((d for d in departments if d.mean is None), key=lambda d: d.department)
    previous: float | None = None
    rank = 0
    for position, d in enumerate(scored, 1):
        if d.mean != previous:
            rank = position
            previous = d.mean
        d.rank = rank
    for d in unscored:
        d.rank = None
    return scored + unscored


@dataclass(slots=True)
class League:
    """The league table of one run: ranked departments and the average of their scores."""

    rows: list[DepartmentScore]
    average: float | None
    """Mean of the departments' scores (2 decimals), as seed 000 reports 74.23 for 28 departments."""
    guides: int
    audited: int
    failed: int
    findings: int

    def to_dict(self) -> dict[str, object]:
        return {
            "average": self.average,
            "departments": len(self.rows),
            "guides": self.guides,
            "audited": self.audited,
            "failed": self.failed,
            "findings": self.findings,
            "facet_weights": FACET_WEIGHTS,
            "table": [d.to_dict() for d in self.rows],
        }


def league_from(departments: list[DepartmentScore]) -> League:
    rows = assign_ranks(departments)
    return League(
        rows=rows,
        average=_mean([d.mean for d in rows if d.mean is not None]),
        guides=sum(d.guides for d in rows),
        audited=sum(d.audited for d in rows),
        failed=sum(d.failed for d in rows),
        findings=sum(d.findings for d in rows),
    )


def league(result: RunResult) -> League:
    return league_from(department_scores(result))


def facet_label(facet: str, lang: str) -> str:
    zh, en = FACETS.get(facet, (facet, facet))
    return en if lang == "en" else zh
