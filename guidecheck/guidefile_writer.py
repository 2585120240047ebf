"""Writing guide files (`*.guide.toml`) from any `Guide`: what `guidecheck convert` does.

The output is meant to be edited by people: the Chinese label as a comment above each key, long text
as multi-line strings, one `[[materials]]` / `[[steps]]` table per row. Tables are always written (empty
when the page had none) so reading the file back gives the same elements, not a re-parse of the text.
"""

from __future__ import annotations

import re

from guidecheck import suppress
from guidecheck.guidefile import ELEMENTS, FORMAT_VERSION
from guidecheck.model import Field, Guide

LABELS_ZH: dict[str, str] = {
    "item_name": "事项名称",
    "item_code": "实施编码",
    "item_type": "事项类型",
    "owner": "实施主体",
    "service_object": "服务对象",
    "legal_basis": "设定依据",
    "conditions": "受理条件",
    "channels": "办理形式",
    "is_online": "是否网办",
    "online_depth": "网上办理深度",
    "online_url": "网上办理地址",
    "legal_limit": "法定办结时限",
    "promised_limit": "承诺办结时限",
    "case_type": "办件类型",
    "visits": "到办事现场次数",
    "onsite_reason": "必须现场办理原因",
    "special_procedure": "特别程序",
    "fee": "是否收费",
    "fee_standard": "收费标准",
    "fee_basis": "收费依据",
    "online_payment": "是否支持网上支付",
    "place": "办理地点",
    "hours": "办理时间",
    "consult": "咨询方式",
    "complaint": "监督投诉方式",
    "result_name": "审批结果名称",
    "result_type": "结果类型",
    "result_sample": "结果样本",
    "delivery": "送达方式",
    "materials_text": "申请材料（原文）",
    "flow": "办理流程",
    "online_flow": "网上办理流程",
    "window_flow": "窗口办理流程",
}

_BARE_KEY = re.compile(r"^[A-Za-z0-9_\-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape_char(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def toml_string(text: str) -> str:
    """A TOML string for `text`: a multi-line basic string when it has line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in text:
        body = text.replace("\\", "\\\\")
        body = _CONTROL.sub(_escape_char, body).replace('"""', '""\\"')
        if body.endswith('"'):
            body = body[:-1] + '\\"'
        return f'"""\n{body}"""'
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{_CONTROL.sub(_escape_char, body)}"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key.replace("\n", " "))


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return toml_string(str(value))


def _pairs(pairs: list[tuple[str, object]]) -> list[str]:
    return [f"{toml_key(k)} = {_value(v)}" for k, v in pairs if v not in (None, "", ())]


def dumps(guide: Guide, *, url: str = "") -> str:
    """The guide as the text of a `.guide.toml` file."""
    out = [
        f"# 办事指南 — {guide.title}",
        "# guidecheck guide file: see docs/guide-format.md. Edit freely; `guidecheck check` reads it.",
        f"guide-format = {FORMAT_VERSION}",
    ]
    if url:
        out.append(f"url = {toml_string(url)}  # converted from")
    out.append("")
    for key, attr in ELEMENTS.items():
        fld = getattr(guide, attr)
        if not isinstance(fld, Field):
            continue
        if key == "materials_text" and guide.materials:
            continue  # the [[materials]] tables below say it; the reader rebuilds the text from them
        out.append(f"# {LABELS_ZH.get(key, key)}")
        out.append(f"{key} = {toml_string(fld.text)}")
    # Empty arrays go before any table header, so they stay top-level keys.
    empty = [name for name in ("materials", "steps", "flowcharts") if not getattr(guide, name)]
    if empty:
        out.append("")
        out += [f"{name} = []" for name in empty]
    if guide.extra:
        out += ["", "# 其他信息（页面上有、但不属于标准要素的标签）", "[extra]"]
        out += [f"{toml_key(label)} = {toml_string(fld.text)}" for label, fld in guide.extra.items()]
    out += _tables(guide)
    if guide.suppressions:
        for s in guide.suppressions:
            out += ["", f"[[{suppress.KEY}]]", *_pairs([("rule", s.rule_id), ("reason", s.reason)])]
    return "\n".join(out).rstrip() + "\n"


def _tables(guide: Guide) -> list[str]:
    out: list[str] = []
    for m in guide.materials:
        out += ["", "[[materials]]  # 申请材料"]
        out += _pairs(
            [
                ("name", m.name),
                ("forms", tuple(m.forms)),
                ("copies", m.copies),
                ("copies_text", m.copies_raw),
                ("necessity", m.necessity),
                ("source", m.source),
                ("material_type", m.material_type),
                ("blank_form", m.blank_form),
                ("sample", m.sample),
                ("note", m.note),
            ]
        )
    for s in guide.steps:
        out += ["", "[[steps]]  # 办理环节"]
        limit = s.time_limit.raw if s.time_limit else ""
        out += _pairs(
            [
                ("name", s.name),
                ("channel", s.channel),
                ("actor", s.actor),
                ("content", s.content),
                ("time_limit", limit),
                ("result", s.result),
            ]
        )
    for c in guide.flowcharts:
        out += ["", "[[flowcharts]]  # 流程图"]
        out += _pairs([("title", c.title), ("text", c.text), ("file", c.file_name), ("channel", c.channel)])
    for q in guide.faqs:
        out += ["", "[[faqs]]  # 常见问题"]
        out += _pairs([("question", q.question), ("answer", q.answer)])
    return out
