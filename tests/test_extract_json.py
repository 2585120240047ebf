"""The JSON extractor: a Guangdong backend record and a flat object with Chinese keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidecheck.errors import InputError
from guidecheck.extract import extract, extract_file
from guidecheck.extract.json_record import html_to_text

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def record():
    return extract_file(PAGES / "gd_backend_jianzhu_laji.json")


def test_backend_item_fields(record) -> None:
    g = record
    assert g.format == "json"
    assert g.item_name.text == "城市建筑垃圾处置（排放）核准"
    assert g.id == "11440310MB2D1234XK4440310001000"
    assert g.item_name.loc.path == "$.custom.AUDIT_ITEM.TASK_NAME"
    assert g.owner.text == "深圳市坪山区城市管理和综合执法局"
    assert (g.promised_limit.days, g.promised_limit.unit) == (5, "工作日")
    assert g.promised_limit.loc.path == "$.custom.AUDIT_ITEM.PROMISE_DAY"
    assert (g.legal_limit.days, g.legal_limit.unit) == (20, "工作日")
    assert g.visits == 0
    assert g.channels == {"window", "online", "post"}  # IS_EXPRESS_TEXT 是 adds post
    assert g.place.text == "深圳市坪山区坪山大道2007号坪山区政务服务中心一楼 A区08号窗口"  # &amp;amp;nbsp;
    assert g.conditions.text == "1.已取得建设工程规划许可证；\n2.有建筑垃圾减排与处理方案。"
    assert g.legal_basis.text.startswith("《城市建筑垃圾管理规定》 建设部令第139号 第七条")
    assert g.extra["CATALOG_CODE"].text == "00015300200Y"


def test_backend_materials(record) -> None:
    m = record.materials
    assert [x.name for x in m] == ["城市建筑垃圾处置核准申请表", "建设工程规划许可证", "建筑垃圾减排与处理方案"]
    assert [x.copies for x in m] == [1, 1, 2]
    assert m[0].forms == ("原件", "电子", "纸质")
    assert m[1].forms == ("复印件", "纸质")
    assert m[0].blank_form == "/attach/pingshan/sqb.docx"
    assert m[0].sample == "/attach/pingshan/sqb-sl.pdf"
    assert m[1].blank_form is None and m[1].sample is None
    assert [x.necessity for x in m] == ["必要", "必要", "容缺后补"]
    assert m[1].source == "政府部门核发"
    assert m[2].note == "需加盖建设单位公章\n一式两份"
    assert m[2].loc.path == "$.custom.AUDIT_MATERIAL[2].MATERIAL_NAME"


def test_backend_flowsheet_flows_and_charts(record) -> None:
    g = record
    assert [s.name for s in g.steps] == ["受理", "审查", "决定"]
    assert [s.time_limit.days for s in g.steps] == [1, 3, 1]
    assert g.steps[1].actor == "市容环境卫生科" and g.steps[1].result == "审查意见"
    assert g.steps[0].loc.path == "$.custom.AUDIT_ITEM_FLOWSHEET[0].UNTI_LINK_TEXT"
    assert "→在线受理→" in g.online_flow_text.text
    assert g.window_flow_text.text.startswith("1.受理")
    assert [(c.channel, c.file_name) for c in g.flowcharts] == [("online", "建筑垃圾处置核准网上办理流程图.png")]
    assert g.result_name.text == "城市建筑垃圾处置核准文件"
    assert "/attach/pingshan/result.pdf" in g.result_sample.text
    assert [f.question for f in g.faqs] == ["核准文件可以邮寄吗？"]


def test_backend_without_flowsheet_parses_flow_text() -> None:
    rec = {
        "AUDIT_ITEM": {"TASK_NAME": "兽药经营许可", "CKBLLC": "1.受理：收件（1个工作日）<br>2.决定：审批（2个工作日）"}
    }
    g = extract(json.dumps(rec, ensure_ascii=False).encode(), "r.json")
    assert [(s.name, s.channel, s.time_limit.days) for s in g.steps] == [("受理", "window", 1), ("决定", "window", 2)]


def test_flat_chinese_keys() -> None:
    g = extract_file(PAGES / "flat_chinese_keys.json")
    assert g.item_name.text == "测绘资质审批（乙级）"
    assert g.id == "11440000006939940N3440111018000"
    assert g.promised_limit.days == 15
    assert g.visits == 0
    assert g.channels == {"online", "post"}
    assert [(m.name, m.copies, m.forms) for m in g.materials] == [
        ("测绘资质申请表", 1, ("电子",)),
        ("专业技术人员名单", 1, ("电子",)),
    ]
    assert g.materials[0].blank_form == "https://example.gov.cn/f/cehui-sqb.doc"
    assert g.materials[1].loc.path == '$["申请材料"][1]["材料名称"]'
    assert [(s.name, s.actor) for s in g.steps] == [("受理", "省政务服务中心窗口"), ("审查", "测绘管理处")]
    assert g.steps[0].time_limit.immediate
    assert g.faqs[0].answer == "见《测绘资质分级标准》。"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("a<br>b", "a\nb"),
        ("a&lt;br&gt;b", "a\nb"),
        ("a&amp;lt;br&amp;gt;b", "a\nb"),
        ("x&amp;amp;nbsp;y", "x y"),
        ("<p>一</p><p>二</p>", "一\n二"),
        (5, "5"),
        (None, ""),
    ],
)
def test_html_to_text(raw: object, text: str) -> None:
    assert html_to_text(raw) == text


def test_bad_json_inputs() -> None:
    with pytest.raises(InputError, match=r"bad\.json: not valid JSON: line 1"):
        extract('{"事项名称": '.encode(), "bad.json")
    with pytest.raises(InputError, match="expected one guide record per file"):
        extract(b"[{}, {}]", "list.json")
    with pytest.raises(InputError, match="no guide found"):
        extract(b'{"status": 200, "message": "ok"}', "other.json")


def test_lower_case_v2_record_under_data() -> None:
    rec = {
        "code": 0,
        "data": {
            "catalog_name": "企业投资项目备案",
            "impl_org_name": "广州市发展和改革委员会",
            "application_channel_text": "网上办理",
            "promise_time": 1,
            "promise_time_unit_text": "工作日",
            "legal_time": 5,
            "legal_time_unit_text": "工作日",
            "online_flow": "1.网上申报&lt;br&gt;2.在线审核（1个工作日）",
            "submit_material_list": [
                {
                    "document_name": "项目备案信息表",
                    "origin_count": 1,
                    "document_media_text": "电子",
                    "document_need_type_text": "必要",
                    "blank_att_list": [{"name": "备案信息表.docx", "waiwang_url": "https://x.gov.cn/a.docx"}],
                    "sample_att_list": [],
                }
            ],
            "question_list": [],
        },
    }
    g = extract(json.dumps(rec, ensure_ascii=False).encode(), "v2.json", media_type="application/json")
    assert g.item_name.text == "企业投资项目备案"
    assert g.item_name.loc.path == "$.data.catalog_name"
    assert g.owner.text == "广州市发展和改革委员会"
    assert g.channels == {"online"}
    assert (g.promised_limit.days, g.legal_limit.days) == (1, 5)
    assert [(m.name, m.copies, m.forms, m.blank_form) for m in g.materials] == [
        ("项目备案信息表", 1, ("电子",), "https://x.gov.cn/a.docx")
    ]
    assert g.materials[0].loc.path == "$.data.submit_material_list[0].document_name"
    assert [(s.name, s.channel) for s in g.steps] == [("网上申报", "online"), ("在线审核", "online")]


def test_json_served_as_text_html() -> None:
    body = json.dumps({"AUDIT_ITEM": {"TASK_NAME": "兽药经营许可", "TASK_CODE": "X1"}}, ensure_ascii=False)
    g = extract(body.encode(), "https://zwfw.example.gov.cn/api/guide?id=1", media_type="text/html;charset=UTF-8")
    assert g.format == "json"
    assert g.id == "X1"
