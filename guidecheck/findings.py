"""Findings: what a rule reports, with a stable identity that survives edits elsewhere in a guide."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum

from guidecheck.model import Loc


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r}: use error, warning or info") from None

    def __str__(self) -> str:
        return self.name.lower()


FACETS: dict[str, tuple[str, str]] = {
    "completeness": ("基本信息完备", "Basic information complete"),
    "materials": ("申请材料明确", "Materials clear"),
    "flow": ("办理流程清晰完整", "Flow clear and complete"),
    "consistency": ("前后一致", "Consistent"),
}
"""The four scored facets (seed 000's three dimensions plus consistency), zh and en titles."""

_SPACE = re.compile(r"\s+")


def normalise_evidence(text: str) -> str:
    """NFKC, whitespace removed, lower-case: equal evidence stays equal across cosmetic edits."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def fingerprint(guide_id: str, rule_id: str, evidence: str) -> str:
    """A stable id from (guide, rule, normalised evidence): no line numbers, so edits elsewhere keep it."""
    key = "\x1f".join((guide_id, rule_id, normalise_evidence(evidence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True, frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    facet: str
    severity: Severity
    message: str
    evidence: str
    loc: Loc | None
    guide_id: str
    guide_source: str
    guide_title: str
    fingerprint: str = ""
    weight: float = 0.0
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "rule_name": self.rule_name,
            "facet": self.facet,
            "severity": str(self.severity),
            "message": self.message,
            "evidence": self.evidence,
            "location": None
            if self.loc is None
            else {"source": self.loc.source, "path": self.loc.path, "line": self.loc.line},
            "guide": {"id": self.guide_id, "source": self.guide_source, "title": self.guide_title},
            "fingerprint": self.fingerprint,
            "weight": self.weight,
        }
