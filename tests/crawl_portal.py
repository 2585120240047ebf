"""A tiny portal in the sample portal's URL layout, written into a folder for crawl tests.

Four departments: UTF-8 HTML, GBK HTML that declares its charset, GBK HTML that declares nothing, and a
JSON API (gdzwfw backend style). Item lists page two by two; some attachment links are broken.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Dept:
    code: str
    name: str
    template: str  # html | json
    encoding: str  # utf-8 | gbk
    declared: bool = True


DEPTS = (
    Dept("ghzy", "临江市规划和自然资源局", "html", "utf-8"),
    Dept("scjg", "临江市市场监督管理局", "html", "gbk", declared=True),
    Dept("gaj", "临江市公安局", "html", "gbk", declared=False),
    Dept("rsj", "临江市人力资源和社会保障局", "json", "utf-8"),
)

ITEMS = (
    "建设用地规划许可证核发",
    "乡村建设规划许可证核发",
    "临时建设工程规划许可",
    "建设工程竣工规划核实",
    "不动产首次登记",
)
PAGE_SIZE = 2


def guide_html(dept: Dept, n: int, name: str) -> str:
    meta = f'<meta charset="{dept.encoding}">' if dept.declared else ""
    form = f"/files/{dept.code}-{n}-form.docx"
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>{name}</title></head><body>
<h1>{name}办事指南</h1>
<h2>基本信息</h2>
<table class="info">
<tr><th>事项名称</th><td>{name}</td></tr>
<tr><th>实施主体</th><td>{dept.name}</td></tr>
<tr><th>事项类型</th><td>行政许可</td></tr>
<tr><th>法定办结时限</th><td>20个工作日</td></tr>
<tr><th>承诺办结时限</th><td>10个工作日</td></tr>
<tr><th>办理形式</th><td>窗口办理、网上办理</td></tr>
<tr><th>到办事现场次数</th><td>1次</td></tr>
<tr><th>是否收费</th><td>不收费</td></tr>
<tr><th>办理地点</th><td>临江市民中心二楼{n}号窗口</td></tr>
<tr><th>办理时间</th><td>工作日上午9:00-12:00，下午13:30-17:00</td></tr>
<tr><th>咨询电话</th><td>0571-8800{n:04d}</td></tr>
<tr><th>监督投诉电话</th><td>0571-12345</td></tr>
</table>
<h2>申请材料</h2>
<table class="materials">
<tr><th>序号</th><th>材料名称</th><th>材料形式</th><th>份数</th><th>必要性</th><th>空表</th></tr>
<tr><td>1</td><td>{name}申请表</td><td>原件</td><td>1份</td><td>必要</td><td><a href="{form}">下载</a></td></tr>
</table>
<h2>办理流程</h2>
<p>申请→受理（1个工作日）→审查（7个工作日）→决定（2个工作日）→送达（窗口领取或邮寄）</p>
</body></html>
"""


def guide_json(dept: Dept, n: int, name: str, code: str) -> dict[str, object]:
    return {
        "AUDIT_ITEM": {
            "TASK_NAME": name,
            "TASK_CODE": code,
            "DEPT_NAME": dept.name,
            "PROMISE_DAY": 10,
            "PROMISE_TYPE_TEXT": "工作日",
            "ANTICIPATE_DAY": 20,
            "ANTICIPATE_TYPE_TEXT": "工作日",
            "HANDLE_TYPE_TEXT": "窗口办理,网上办理",
            "LINK_TEL": f"0571-8800{n:04d}",
            "TSTEL": "0571-12345",
        },
        "AUDIT_MATERIAL": [
            {
                "MATERIAL_NAME": f"{name}申请表",
                "PAGE_NUM": 1,
                "IS_NEED_TEXT": "必要",
                "FORM_GUID": [{"ATTACHNAME": "申请表.docx", "FILEPATH": f"/files/{dept.code}-{n}-form.docx"}],
            }
        ],
    }


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def build_portal(root: Path, *, broken_forms: frozenset[int] = frozenset({2})) -> Path:
    """Write the portal; the blank forms numbered in `broken_forms` are missing (404)."""
    _write(root / "robots.txt", "User-agent: *\nDisallow: /admin/\nSitemap: /sitemap.xml\n")
    _write(root / "index.html", "<html><body><a href='/departments.html'>部门</a></body></html>")
    links = []
    for dept in DEPTS:
        first = f"/api/dept/{dept.code}/items-1.json" if dept.template == "json" else f"/dept/{dept.code}/items-1.html"
        links.append(f'<li><a class="dept" data-code="{dept.code}" href="{first}">{dept.name}</a></li>')
        pages = [ITEMS[i : i + PAGE_SIZE] for i in range(0, len(ITEMS), PAGE_SIZE)]
        for p, chunk in enumerate(pages, 1):
            if dept.template == "json":
                listing = {
                    "CUSTOM": {
                        "AUDIT_ITEMLIST": [
                            {"TASK_NAME": name, "TASK_CODE": f"{dept.code.upper()}{(p - 1) * PAGE_SIZE + i + 1:04d}"}
                            for i, name in enumerate(chunk)
                        ],
                        "PAGEINFO": {"CURRENTPAGEINDEX": p, "PAGESIZE": PAGE_SIZE, "TOTALNUM": len(ITEMS)},
                    }
                }
                _write(root / f"api/dept/{dept.code}/items-{p}.json", json.dumps(listing, ensure_ascii=False))
                continue
            items = "".join(
                f'<li><a class="item" href="/guide/{dept.code}/{(p - 1) * PAGE_SIZE + i + 1}.html">{name}</a></li>'
                for i, name in enumerate(chunk)
            )
            nxt = f'<a class="next" href="/dept/{dept.code}/items-{p + 1}.html">下一页</a>' if p < len(pages) else ""
            meta = f'<meta charset="{dept.encoding}">' if dept.declared else ""
            _write(
                root / f"dept/{dept.code}/items-{p}.html",
                f"<html><head>{meta}</head><body><h1>{dept.name}</h1>"
                f"<ul id='item-list'>{items}</ul>{nxt}</body></html>",
                dept.encoding,
            )
        for n, name in enumerate(ITEMS, 1):
            if n not in broken_forms:
                _write(root / f"files/{dept.code}-{n}-form.docx", "blank form")
            if dept.template == "json":
                code = f"{dept.code.upper()}{n:04d}"
                _write(root / f"api/guide/{code}.json", json.dumps(guide_json(dept, n, name, code), ensure_ascii=False))
            else:
                _write(root / f"guide/{dept.code}/{n}.html", guide_html(dept, n, name), dept.encoding)
    _write(
        root / "departments.html",
        '<html><head><meta charset="utf-8"></head><body><ul id="dept-list">' + "".join(links) + "</ul></body></html>",
    )
    site = {
        "departments": [
            {
                "code": d.code,
                "name": d.name,
                "template": d.template,
                "encoding": d.encoding if d.declared else f"{d.encoding}-undeclared",
                "declared_charset": d.encoding if d.declared else None,
            }
            for d in DEPTS
        ]
    }
    _write(root / "site.json", json.dumps(site, ensure_ascii=False, indent=1))
    return root


GUIDES_PER_DEPT = len(ITEMS)
ALL_GUIDES = GUIDES_PER_DEPT * len(DEPTS)
