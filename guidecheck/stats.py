"""Catalogue statistics: the figures a district expects of its catalogue (seed 002), from `Guide`s.

Every share has its denominator beside it, so a reader sees what was counted:
- items by type (事项类型), by department;
- 办件类型: 即办件 / 承诺件 / other / not stated;
- online (网办): 办理形式 includes 网上办理, or 是否网办 = 是;
- visits (到办事现场次数): 0 / 1 / 2+ / not stated;
- time limits: mean 法定 and 承诺 in working days over the guides that state BOTH in a convertible unit,
  and the compression ratio = mean 承诺 / mean 法定 (seed 002: 6.9 / 25.8 = 26.7%). Units are converted
  by `TimeLimit.working_days_as`: 工作日 × 1, 自然日 × 5/7, a bare 日/天 × 1 for a 行政许可 (行政许可法
  art. 82) and × 5/7 otherwise, 月 × 21.75, 年 × 250, 小时 ÷ 8, 即办 = 0;
- promised-time distribution (即办, 1 day, 2–10, 11–30, over 30 working days), as seed 002 charts it;
- guides with a flowchart; with sample forms (every form-type material has a filled-in sample; only
  guides that have form-type materials count); with every material's copies stated (only guides that
  list materials count).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from guidecheck.model import Guide, Material
from guidecheck.normalize import item_type_is
from guidecheck.results import RunResult

UNSTATED = ""
"""Key for "not stated" in the count tables (shown as 未说明 / not stated)."""

_FORM_NAME = re.compile(r"(表|表格|申请书|申报书|登记书|承诺书|告知书)$")
_PARENS = re.compile(r"[（(][^（）()]*[）)]\s*$")

TIME_BUCKETS: tuple[str, ...] = ("0", "1", "2-10", "11-30", "30+")
"""Promised-time buckets in working days: 即办, up to 1, 2–10, 11–30, over 30."""


def is_form_material(m: Material) -> bool:
    """A form to fill in (…申请表, …登记表, …申请书, …承诺书), or any material offering a blank form."""
    if m.blank_form:
        return True
    name = unicodedata.normalize("NFKC", m.name).strip().rstrip("。；;，,")
    while _PARENS.search(name):
        name = _PARENS.sub("", name).strip()
    return bool(_FORM_NAME.search(name))


def case_type_of(g: Guide) -> str:
    text = unicodedata.normalize("NFKC", g.case_type.text).strip() if g.case_type else ""
    if not text:
        return UNSTATED
    if "即办" in text:
        return "即办件"
    if "承诺" in text:
        return "承诺件"
    return text


def is_online(g: Guide) -> bool:
    if "online" in g.channels:
        return True
    return bool(g.is_online and g.is_online.text.strip().startswith(("是", "可", "支持")))


def visits_bucket(g: Guide) -> str:
    if g.visits is None:
        return UNSTATED
    return "2+" if g.visits >= 2 else str(g.visits)


def time_bucket(days: float) -> str:
    if days <= 0:
        return "0"
    if days <= 1:
        return "1"
    if days <= 10:
        return "2-10"
    if days <= 30:
        return "11-30"
    return "30+"


def _label(field_value: object) -> str:
    text = getattr(field_value, "text", "") or ""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(slots=True)
class CatalogueStats:
    guides: int = 0
    by_department: dict[str, int] = field(default_factory=dict)
    item_types: dict[str, int] = field(default_factory=dict)
    case_types: dict[str, int] = field(default_factory=dict)
    online: int = 0
    visits: dict[str, int] = field(default_factory=dict)
    time_pairs: int = 0
    """Guides whose 法定 and 承诺 limits are both known in working days."""
    mean_legal_days: float | None = None
    mean_promised_days: float | None = None
    compression: float | None = None
    """mean 承诺 / mean 法定 (0–1, lower is faster); None without pairs or with a zero legal mean."""
    promised_distribution: dict[str, int] = field(default_factory=dict)
    with_flowchart: int = 0
    with_forms: int = 0
    """Guides that list at least one form-type material (the denominator of `with_samples`)."""
    with_samples: int = 0
    with_materials: int = 0
    """Guides that list at least one material (the denominator of `with_copies`)."""
    with_copies: int = 0

    def share(self, count: int, of: int | None = None) -> float | None:
        total = self.guides if of is None else of
        return count / total if total else None

    def to_dict(self) -> dict[str, object]:
        def r(x: float | None, n: int = 4) -> float | None:
            return None if x is None else round(x, n)

        return {
            "guides": self.guides,
            "by_department": self.by_department,
            "item_types": self.item_types,
            "case_types": self.case_types,
            "case_type_shares": {k: r(self.share(v)) for k, v in self.case_types.items()},
            "online": {"count": self.online, "share": r(self.share(self.online))},
            "visits": self.visits,
            "visit_shares": {k: r(self.share(v)) for k, v in self.visits.items()},
            "time_limits": {
                "guides_with_both": self.time_pairs,
                "mean_legal_working_days": r(self.mean_legal_days, 2),
                "mean_promised_working_days": r(self.mean_promised_days, 2),
                "compression_ratio": r(self.compression),
                "promised_distribution": self.promised_distribution,
            },
            "flowchart": {"count": self.with_flowchart, "share": r(self.share(self.with_flowchart))},
            "sample_forms": {
                "count": self.with_samples,
                "of": self.with_forms,
                "share": r(self.share(self.with_samples, self.with_forms)),
            },
            "copies_stated": {
                "count": self.with_copies,
                "of": self.with_materials,
                "share": r(self.share(self.with_copies, self.with_materials)),
            },
        }


def _sorted_counts(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (kv[0] == UNSTATED, -kv[1], kv[0])))


def catalogue_stats(guides: Iterable[tuple[str, Guide]]) -> CatalogueStats:
    """Statistics over (department, guide) pairs."""
    departments: Counter[str] = Counter()
    item_types: Counter[str] = Counter()
    case_types: Counter[str] = Counter()
    visits: Counter[str] = Counter()
    distribution: Counter[str] = Counter()
    legal_sum = promised_sum = 0.0
    s = CatalogueStats()
    for department, g in guides:
        s.guides += 1
        departments[department] += 1
        item_types[_label(g.item_type)] += 1
        case_types[case_type_of(g)] += 1
        visits[visits_bucket(g)] += 1
        s.online += is_online(g)
        licence = item_type_is(_label(g.item_type), "行政许可")
        legal = g.legal_limit.working_days_as(licence) if g.legal_limit else None
        promised = g.promised_limit.working_days_as(licence) if g.promised_limit else None
        if promised is not None:
            distribution[time_bucket(promised)] += 1
        if legal is not None and promised is not None:
            s.time_pairs += 1
            legal_sum += legal
            promised_sum += promised
        s.with_flowchart += bool(g.flowcharts)
        forms = [m for m in g.materials if is_form_material(m)]
        if forms:
            s.with_forms += 1
            s.with_samples += all(m.sample for m in forms)
        if g.materials:
            s.with_materials += 1
            s.with_copies += all(m.copies is not None for m in g.materials)
    s.by_department = _sorted_counts(departments)
    s.item_types = _sorted_counts(item_types)
    s.case_types = _sorted_counts(case_types)
    s.visits = {k: visits.get(k, 0) for k in ("0", "1", "2+", UNSTATED)}
    s.promised_distribution = {k: distribution.get(k, 0) for k in TIME_BUCKETS}
    if s.time_pairs:
        s.mean_legal_days = legal_sum / s.time_pairs
        s.mean_promised_days = promised_sum / s.time_pairs
        s.compression = promised_sum / legal_sum if legal_sum > 0 else None
    return s


def guides_of(result: RunResult, department: str | None = None) -> list[tuple[str, Guide]]:
    """The audited guides of a run (optionally of one department) as (department, guide) pairs."""
    return [
        (g.department, g.guide)
        for g in result.guides
        if g.guide is not None and not g.error and (department is None or g.department == department)
    ]


def run_stats(result: RunResult) -> tuple[CatalogueStats, dict[str, CatalogueStats]]:
    """The whole run's statistics and each department's."""
    pairs = guides_of(result)
    per: dict[str, list[tuple[str, Guide]]] = {}
    for dept, g in pairs:
        per.setdefault(dept, []).append((dept, g))
    return catalogue_stats(pairs), {d: catalogue_stats(p) for d, p in per.items()}
