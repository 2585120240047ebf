"""The results of a run, as reporters see them: guides with their findings, and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from guidecheck.findings import Finding, Severity
from guidecheck.model import Guide


@dataclass(slots=True)
class GuideResult:
    """One guide's outcome. `error` is set (and `guide` may be None) when it could not be audited."""

    source: str
    """File path or URL."""
    guide: Guide | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    """Why the guide could not be fetched or read (a clear reason, never a traceback)."""
    department: str = ""
    from_cache: bool = False

    @property
    def title(self) -> str:
        return self.guide.title if self.guide else self.source


@dataclass(slots=True)
class RunResult:
    """Everything one `check` or `audit` produced. Reporters read this and nothing else."""

    guides: list[GuideResult] = field(default_factory=list)
    lang: str = "zh"
    portal: str = ""
    """The portal audited (URL or profile name); "" for local files."""
    departments: list[str] = field(default_factory=list)
    rules: list[object] = field(default_factory=list)
    """The `Rule` objects that ran (for rule metadata in SARIF and the like)."""
    stats: dict[str, int] = field(default_factory=dict)
    """Crawl counters: fetched, cached, failed, audited …"""
    baseline: dict[str, object] = field(default_factory=dict)
    """Baseline outcome when one was given: counts of new, known and fixed findings."""

    @property
    def findings(self) -> list[Finding]:
        return [f for g in self.guides for f in g.findings]

    @property
    def errors(self) -> list[GuideResult]:
        return [g for g in self.guides if g.error]

    def at_or_above(self, threshold: Severity | None) -> list[Finding]:
        if threshold is None:
            return []
        return [f for f in self.findings if f.severity >= threshold]
