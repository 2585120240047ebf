"""One guide written as plain text, HTML (table), HTML (dl) and flat JSON extracts to the same values."""

from __future__ import annotations

import json

import pytest

from guidecheck.extract import extract
from guidecheck.model import Guide

FIELDS = {
    "事项名称": "兽药经营许可证核发",
    "实施编码": "11440100MB2C06375G4440111001000",
    "实施主体": "广州市农业农村局",
    "法定办结时限": "二十个工作日",
    "承诺办结时限": "7-15个工作日",
    "到办事现场次数": "最多跑一次",
    "办理形式": "窗口办理、网上办理、邮寄申请",
    "咨询电话": "020-83311234",
}
MATERIALS = [("兽药经营许可证申请表", "原件", "1"), ("营业执照", "复印件", "2")]
STEPS = [("受理", "综合窗口", "1个工作日"), ("审查", "兽医科", "10个工作日"), ("决定", "分管局领导", "即办")]


def as_text() -> bytes:
    lines = [f"{k}：{v}" for k, v in FIELDS.items()]
    lines.append("申请材料：")
    lines += [f"{i}. {n}{f}{c}份" for i, (n, f, c) in enumerate(MATERIALS, 1)]
    lines.append("办理流程：")
    lines += [f"{i}. {n}：办理人员：{a}；办理时限：{t}" for i, (n, a, t) in enumerate(STEPS, 1)]
    return "\n".join(lines).encode()


def as_table_html() -> bytes:
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in FIELDS.items())
    mats = "".join(f"<tr><td>{n}</td><td>{f}</td><td>{c}</td></tr>" for n, f, c in MATERIALS)
    steps = "".join(f"<tr><td>{n}</td><td>{a}</td><td>{t}</td></tr>" for n, a, t in STEPS)
    page = (
        f"<html><body><h2>基本信息</h2><table>{rows}</table>"
        f"<h2>申请材料</h2><table><thead><tr><th>材料名称</th><th>材料形式</th><th>份数</th></tr></thead>{mats}</table>"
        f"<h2>办理流程</h2><table><tr><th>环节</th><th>办理人员</th><th>办理时限</th></tr>{steps}</table>"
        "</body></html>"
    )
    return page.encode("gbk")


def as_dl_html() -> bytes:
    items = "".join(f"<dl><dt>{k}：</dt><dd>{v}</dd></dl>" for k, v in FIELDS.items())
    mats = "".join(f"<li>{i}、{n}{f}{c}份</li>" for i, (n, f, c) in enumerate(MATERIALS, 1))
    steps = "".join(f"<p>第{'一二三'[i]}步 {n}：办理人员：{a}；办理时限：{t}</p>" for i, (n, a, t) in enumerate(STEPS))
    page = (
        '<html><head><meta charset="utf-8"></head><body>'
        f'<div class="jbxx">{items}</div><div class="title">申报材料</div><ul>{mats}</ul>'
        f'<div class="title">办理流程</div><div class="bllc">{steps}</div></body></html>'
    )
    return page.encode()


def as_json() -> bytes:
    record: dict[str, object] = dict(FIELDS)
    record["申请材料"] = [{"材料名称": n, "材料形式": f, "份数": c} for n, f, c in MATERIALS]
    record["办理流程"] = [{"环节名称": n, "办理人": a, "办理时限": t} for n, a, t in STEPS]
    return json.dumps(record, ensure_ascii=False).encode()


def summary(g: Guide) -> dict[str, object]:
    return {
        "id": g.id,
        "name": g.item_name.text if g.item_name else None,
        "owner": g.owner.text if g.owner else None,
        "legal": (g.legal_limit.days, g.legal_limit.unit) if g.legal_limit else None,
        "promised": (g.promised_limit.days_min, g.promised_limit.days, g.promised_limit.unit)
        if g.promised_limit
        else None,
        "visits": g.visits,
        "channels": g.channels,
        "consult": g.consult.text if g.consult else None,
        "materials": [(m.name, m.forms, m.copies) for m in g.materials],
        "steps": [
            (
                s.name,
                s.actor,
                s.time_limit.days if s.time_limit else None,
                s.time_limit.immediate if s.time_limit else None,
            )
            for s in g.steps
        ],
    }


EXPECTED = {
    "id": "11440100MB2C06375G4440111001000",
    "name": "兽药经营许可证核发",
    "owner": "广州市农业农村局",
    "legal": (20, "工作日"),
    "promised": (7, 15, "工作日"),
    "visits": 1,
    "channels": frozenset({"window", "online", "post"}),
    "consult": "020-83311234",
    "materials": [("兽药经营许可证申请表", ("原件",), 1), ("营业执照", ("复印件",), 2)],
    "steps": [("受理", "综合窗口", 1, False), ("审查", "兽医科", 10, False), ("决定", "分管局领导", 0, True)],
}


@pytest.mark.parametrize(
    ("make", "source"),
    [(as_text, "g.txt"), (as_table_html, "g.html"), (as_dl_html, "g.htm"), (as_json, "g.json")],
)
def test_every_format_extracts_the_same_guide(make, source: str) -> None:
    assert summary(extract(make(), source)) == EXPECTED
