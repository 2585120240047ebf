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


def _licence_record(**item: object) -> dict[str, object]:
    return {
        "AUDIT_ITEM": {
            "TASK_NAME": "兽药经营许可",
            "TASK_CODE": "11449900MB0000000X3449900010001",
            "TASK_TYPE_TEXT": "行政许可",
            "DEPT_NAME": "临江市农业农村局",
            "CKBLLC": "1.受理：窗口收件（1个工作日）<br>2.审查：业务科室审查（5个工作日）<br>"
            "3.决定：作出决定（1个工作日）",
            **item,
        }
    }


def _rule_ids(rec: dict[str, object]) -> set[str]:
    from guidecheck.api import audit_guide
    from guidecheck.engine import load_ruleset

    guide = extract(json.dumps(rec, ensure_ascii=False).encode(), "lic.json")
    return {f.rule_id for f in audit_guide(guide, load_ruleset()).findings}


def test_backend_flowchart_fields_of_every_spelling_are_flowcharts() -> None:
    """Flowchart files come as WEBFILE/WINDOWFILE, windowFile (Guangzhou), LCT or FLOWFILE; as an attachment
    list, one object or a bare file name; named by ATTACHNAME or FILENAME, captioned by DESCRIPTION."""
    rec = _licence_record(
        windowFile=[{"FILENAME": "兽药经营许可窗口办理流程图.png", "FILEPATH": ""}],
        LCT={"ATTACHNAME": "lct.png", "FILEPATH": "/f/lct.png", "DESCRIPTION": "兽药经营许可网上办理流程图"},
        FLOWFILE="8f3a1c2e-guid",  # an id, not a file: no chart
    )
    rec["AUDIT_ITEM_FLOWSHEET"] = [{"UNTI_LINK_TEXT": "受理", "STEP_TEXT": "收件", "FLOWFILE": "/f/shouli.jpg"}]
    rec["WEBFILE"] = "/f/beside-the-item.png"  # beside AUDIT_ITEM, not in it
    g = extract(json.dumps(rec, ensure_ascii=False).encode(), "lic.json")
    assert [(c.channel, c.title, c.file_name, c.loc.path) for c in g.flowcharts] == [
        ("", "shouli.jpg", "shouli.jpg", "$.AUDIT_ITEM_FLOWSHEET[0].FLOWFILE"),
        ("window", "兽药经营许可窗口办理流程图.png", "兽药经营许可窗口办理流程图.png", "$.AUDIT_ITEM.windowFile[0]"),
        ("online", "兽药经营许可网上办理流程图", "lct.png", "$.AUDIT_ITEM.LCT"),  # channel from the caption
        ("online", "beside-the-item.png", "beside-the-item.png", "$.WEBFILE"),
    ]
    assert g.flowcharts[2].text == "兽药经营许可网上办理流程图"
    assert not {"windowFile", "LCT", "FLOWFILE"} & set(g.extra)  # read as charts, not left as extra text


def test_backend_flowchart_attachment_feeds_the_flowchart_rules() -> None:
    """A JSON licence whose only chart is an attachment has a flowchart (no FLW05), and the chart's caption
    is compared with the owner (CON03) and the item (CON11) as on an HTML page."""
    assert "FLW05" in _rule_ids(_licence_record())
    own = {"ATTACHNAME": "兽药经营许可窗口办理流程图.png", "FILEPATH": "/f/w.png"}
    assert "FLW05" not in _rule_ids(_licence_record(LCT=[own]))
    other_body = {"ATTACHNAME": "w.png", "DESCRIPTION": "天河区农业农村局行政许可网上办理流程图"}
    assert "CON03" in _rule_ids(_licence_record(WEBFILE=[other_body]))
    other_item = {"FILENAME": "兽药生产许可窗口办理流程图.png"}
    assert "CON11" in _rule_ids(_licence_record(WINDOWFILE=[other_item]))


def test_flat_record_flowchart_keys() -> None:
    rec = {
        "事项名称": "取水许可",
        "实施主体": "临江市水务局",
        "网上办理流程图": {"name": "取水许可网上办理流程图.png", "url": "https://x.gov.cn/f/online.png"},
        "办理流程": {"流程图": [{"FILENAME": "取水许可流程图.jpg"}]},
        "流程图说明": "详见附件",  # not a file: stays text
    }
    g = extract(json.dumps(rec, ensure_ascii=False).encode(), "flat.json")
    assert [(c.channel, c.file_name, c.loc.path) for c in g.flowcharts] == [
        ("online", "取水许可网上办理流程图.png", '$["网上办理流程图"]'),
        ("", "取水许可流程图.jpg", '$["办理流程"]["流程图"][0]'),
    ]
    assert g.extra["流程图说明"].text == "详见附件"


def test_bad_flowchart_channel_in_a_label_file_is_a_clear_error(tmp_path: Path) -> None:
    from guidecheck.errors import ConfigError
    from guidecheck.labels import load_labels

    extra = tmp_path / "labels.toml"
    extra.write_text('[json.flowcharts]\nLCTFJ = "web"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"LCTFJ = 'web': not a flow channel"):
        load_labels([extra])
    extra.write_text('[json.flowcharts]\nLCTFJ = "window"\n', encoding="utf-8")
    rec = {"AUDIT_ITEM": {"TASK_NAME": "取水许可", "lctfj": "/f/a.png"}}
    g = extract(json.dumps(rec).encode(), "a.json", labels=load_labels([extra]))
    assert [(c.channel, c.file_name) for c in g.flowcharts] == [("window", "a.png")]
