"""The guide model: one typed picture of a 办事指南, whatever page it came from.

Every extractor produces a `Guide`; every rule reads one. Element names follow the national element
list (shared/domain/standards.md §1). Each value keeps a `Loc` so a finding can point at the place
in the file or page it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

Channel = Literal["window", "online", "post", "self_service"]
"""办理形式: 窗口办理, 网上办理, 快递/邮寄办理, 自助终端."""

FlowChannel = Literal["online", "window", ""]
"""Which channel's flow a step or flowchart describes; "" when the page does not say."""


@dataclass(slots=True, frozen=True)
class Loc:
    """Where a value stands: the file or URL, plus an XPath / JSON path and a line where known."""

    source: str
    path: str = ""
    line: int | None = None

    def __str__(self) -> str:
        out = self.source
        if self.line is not None:
            out += f":{self.line}"
        if self.path:
            out += f" {self.path}"
        return out


@dataclass(slots=True)
class Field:
    """One element's published text, as found, with its label and location."""

    text: str
    loc: Loc
    label: str = ""


@dataclass(slots=True)
class TimeLimit:
    """A parsed time limit: "20个工作日", "二十个工作日", "即办", "7-20个工作日", "30日"."""

    raw: str
    days: float | None = None
    """The (upper) value in the stated unit; 0 for 即办/当场办结; None when unparseable."""
    days_min: float | None = None
    """The lower bound of a range ("7-20个工作日" → 7); equals `days` otherwise."""
    unit: str = ""
    """工作日, 自然日, 日, 天, 月, 年, 小时, or "" when none is stated."""
    immediate: bool = False
    loc: Loc | None = None

    @property
    def working_days(self) -> float | None:
        """The value converted to working days, for comparisons across units.

        Conversion (documented in the README): 自然日/日/天 × 5/7, 月 × 21.75, 年 × 250, 小时 ÷ 8.
        """
        if self.immediate:
            return 0.0
        if self.days is None:
            return None
        factor = {
            "工作日": 1.0,
            "自然日": 5 / 7,
            "日": 5 / 7,
            "天": 5 / 7,
            "月": 21.75,
            "年": 250.0,
            "小时": 1 / 8,
            "": 1.0,
        }.get(self.unit, 1.0)
        return self.days * factor

    def working_days_as(self, licence: bool) -> float | None:
        """`working_days`, except that a 行政许可's bare 日/天 are working days: the licensing law counts
        its limits in working days (《行政许可法》第八十二条). Elsewhere a bare 日 stays calendar days."""
        if licence and self.unit in ("日", "天") and not self.immediate and self.days is not None:
            return self.days
        return self.working_days


@dataclass(slots=True)
class Material:
    """One 申请材料 row (standards.md §1a)."""

    name: str
    loc: Loc
    forms: tuple[str, ...] = ()
    """原件, 复印件, 电子 (any combination), as stated."""
    copies: int | None = None
    """Total number of paper copies stated (原件 + 复印件), None when no quantity is given."""
    copies_raw: str = ""
    necessity: str = ""
    """必要, 非必要, 容缺后补 (or another stated value), "" when not stated."""
    source: str = ""
    material_type: str = ""
    blank_form: str | None = None
    """Link or file name of the blank form (空白表格), if any."""
    sample: str | None = None
    """Link or file name of the filled-in sample (示例样表), if any."""
    note: str = ""


@dataclass(slots=True)
class Step:
    """One step (环节) of a flow."""

    name: str
    loc: Loc
    actor: str = ""
    content: str = ""
    time_limit: TimeLimit | None = None
    channel: FlowChannel = ""
    result: str = ""


@dataclass(slots=True)
class Flowchart:
    """A flowchart as the page shows it: title, caption or alt text, file name."""

    loc: Loc
    title: str = ""
    text: str = ""
    file_name: str = ""
    channel: FlowChannel = ""


@dataclass(slots=True)
class Faq:
    question: str
    answer: str
    loc: Loc


@dataclass(slots=True)
class Diagnostic:
    """A problem with the page itself rather than the guide: not auditable, not a guide, etc."""

    code: str
    """e.g. "not-auditable", "not-a-guide", "empty", "decode"."""
    message: str
    loc: Loc | None = None


@dataclass(slots=True)
class Guide:
    """A service guide. Text elements are `Field | None`; parsed values sit beside them."""

    source: str
    """File path or URL the guide was read from."""
    format: str = ""
    """html, text, markdown, json, guide-file …"""
    encoding: str = ""

    # 基本信息
    item_name: Field | None = None
    item_code: Field | None = None
    item_type: Field | None = None
    owner: Field | None = None
    service_object: Field | None = None
    legal_basis: Field | None = None
    conditions: Field | None = None

    # 办理形式 / channels
    channels_text: Field | None = None
    channels: frozenset[str] = frozenset()
    """Parsed `Channel` values from 办理形式 (and 是否网办 / 是否支持物流快递 where stated)."""
    online_depth: Field | None = None
    online_url: Field | None = None
    is_online: Field | None = None

    # time limits and visits
    legal_limit_text: Field | None = None
    legal_limit: TimeLimit | None = None
    promised_limit_text: Field | None = None
    promised_limit: TimeLimit | None = None
    case_type: Field | None = None
    """办件类型: 即办件 / 承诺件."""
    visits_text: Field | None = None
    visits: int | None = None
    """到办事现场次数 parsed: "0次"/"零跑动" → 0, "最多跑一次" → 1."""
    onsite_reason: Field | None = None
    special_procedure: Field | None = None

    # fees, place, contact
    fee: Field | None = None
    fee_standard: Field | None = None
    fee_basis: Field | None = None
    online_payment: Field | None = None
    """是否支持网上支付."""
    place: Field | None = None
    hours: Field | None = None
    consult: Field | None = None
    complaint: Field | None = None

    # result and delivery
    result_name: Field | None = None
    result_type: Field | None = None
    """结果类型: 证照 / 审批文件 (gdzwfw), 出证办结 / 出文办结 / 审批办结 (实施清单)."""
    result_sample: Field | None = None
    delivery: Field | None = None

    # materials and flow
    materials_text: Field | None = None
    """The 申请材料 section as text, when present (also set when the list could not be parsed)."""
    materials: list[Material] = field(default_factory=list)
    flow_text: Field | None = None
    """The 办理流程 section as text (both channels, as published)."""
    online_flow_text: Field | None = None
    window_flow_text: Field | None = None
    steps: list[Step] = field(default_factory=list)
    flowcharts: list[Flowchart] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)

    extra: dict[str, Field] = field(default_factory=dict)
    """Label-value pairs the extractor saw but does not map to an element, keyed by label."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    link_status: dict[str, str] = field(default_factory=dict)
    """Attachment URL → "ok" or the reason it failed ("HTTP 404", "timeout" …). Filled by the crawler;
    empty when links were not checked (then MAT10 stays silent)."""
    suppressions: list[Suppression] = field(default_factory=list)

    @property
    def id(self) -> str:
        """A stable identity: the item code when published, else the source."""
        if self.item_code and self.item_code.text.strip():
            return self.item_code.text.strip()
        return self.source

    @property
    def title(self) -> str:
        return self.item_name.text if self.item_name else self.source

    def element(self, key: str) -> Field | None:
        """The text element named `key` (a `Field` attribute name), for data-driven rules."""
        if key not in ELEMENT_KEYS:
            raise KeyError(key)
        value = getattr(self, key)
        return value if isinstance(value, Field) else None

    def flow_for(self, channel: str) -> str:
        """All flow text for one channel: its section text, its steps and its flowcharts."""
        parts: list[str] = []
        section = self.online_flow_text if channel == "online" else self.window_flow_text
        if section:
            parts.append(section.text)
        parts += [f"{s.name} {s.content}" for s in self.steps if s.channel == channel]
        parts += [f"{c.title} {c.text}" for c in self.flowcharts if c.channel == channel]
        return "\n".join(parts)


@dataclass(slots=True)
class Suppression:
    """An author's instruction to silence a rule for this guide (`<!-- guidecheck-disable MAT04 -->`)."""

    rule_id: str
    reason: str
    loc: Loc


ELEMENT_KEYS: frozenset[str] = frozenset(
    f.name for f in fields(Guide) if "Field" in str(f.type) and "list" not in str(f.type)
)
"""Names of the `Field` attributes of `Guide`: the keys rules and label synonyms use."""
