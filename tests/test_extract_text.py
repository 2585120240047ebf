"""The plain-text / Markdown extractor on fixtures/pages/*.txt|*.md and small inline guides."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.errors import InputError
from guidecheck.extract import extract, extract_file

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def celiang():
    return extract_file(PAGES / "numbered_celiang.txt")


def test_basic_elements(celiang) -> None:
    g = celiang
    assert g.format == "text"
    assert g.encoding == "utf-8"
    assert g.item_name and g.item_name.text == "测量标志拆迁审批"
    assert g.id == "11440100MB2C92176N4440111006000"
    assert g.owner and g.owner.text == "广州市规划和自然资源局"
    assert g.item_type and g.item_type.text == "行政许可"
    assert g.legal_basis and "第四十二条" in g.legal_basis.text
    assert g.conditions and g.conditions.text.count("\n") == 1  # two numbered conditions kept together
    assert g.place and "12号窗口" in g.place.text
    assert g.consult and g.consult.text == "020-12345"
    assert g.complaint and g.complaint.text == "020-83123456"
    assert g.fee and g.fee.text == "不收费"
    assert g.delivery and "邮政速递" in g.delivery.text
    assert not g.diagnostics


def test_locs_are_line_numbers(celiang) -> None:
    assert celiang.item_name.loc.line == 3
    assert celiang.item_name.loc.source.endswith("numbered_celiang.txt")
    assert celiang.promised_limit.loc.line == 15
    assert [m.loc.line for m in celiang.materials] == [19, 20, 21, 22]


def test_time_limits_visits_channels(celiang) -> None:
    g = celiang
    assert (g.legal_limit.days, g.legal_limit.unit) == (20, "工作日")
    assert (g.promised_limit.days, g.promised_limit.unit) == (7, "工作日")
    assert g.visits == 1
    assert g.channels == {"window", "online", "post"}
    assert g.case_type and g.case_type.text == "承诺件"


def test_free_text_materials(celiang) -> None:
    m = celiang.materials
    assert [x.name for x in m] == [
        "永久性测量标志拆迁申请表",
        "申请单位营业执照",
        "建设项目批准文件",
        "测量标志拆迁及迁建方案",
    ]
    assert [x.copies for x in m] == [1, 1, 1, 2]
    assert m[0].forms == ("原件",) and m[0].note == "需加盖申请单位公章"
    assert m[1].forms == ("复印件",)
    assert m[3].forms == ()


def test_flows_steps_and_flowchart(celiang) -> None:
    g = celiang
    online = [s for s in g.steps if s.channel == "online"]
    window = [s for s in g.steps if s.channel == "window"]
    assert [s.name for s in online] == ["申请", "受理", "审查", "决定", "送达"]
    assert [s.name for s in window] == ["申请", "受理", "审查", "决定", "送达"]  # the arrow chain
    assert online[1].time_limit.days == 1 and online[2].time_limit.days == 4
    assert online[0].time_limit is None
    assert "广东政务服务网" in online[0].content
    assert g.online_flow_text and g.online_flow_text.text.startswith("1. 申请")
    assert g.window_flow_text and "申请→受理" in g.window_flow_text.text
    assert g.flow_text and "申请→受理" in g.flow_text.text and "1. 申请" in g.flow_text.text
    assert [(c.title, c.channel) for c in g.flowcharts] == [("测量标志拆迁审批窗口办理流程图", "window")]
    assert "广东政务服务网" in g.flow_for("online")


def test_faq(celiang) -> None:
    assert len(celiang.faqs) == 1
    assert celiang.faqs[0].question.startswith("测量标志拆迁需要多长时间")
    assert "7个工作日" in celiang.faqs[0].answer


MARKDOWN = """# 兽药经营许可证核发

**事项名称**：兽药经营许可证核发
- 实施主体：广州市农业农村局
- 承诺办结时限：15个工作日
- 法定办结时限：30个工作日
- 到办事现场次数：0次
- 办理形式：网上办理

## 申请材料

| 序号 | 材料名称 | 材料形式 | 份数 | 必要性 |
|---|---|---|---|---|
| 1 | 兽药经营许可证申请表 | 原件 | 1 | 必要 |
| 2 | 营业执照 | 复印件 | 1 | 必要 |

## 办理流程

第一步 申请：申请人在网上提交材料。
第二步 审查：办理人员：科室审核员；办理时限：10个工作日
第三步 决定
"""


def test_markdown_guide() -> None:
    g = extract(MARKDOWN.encode(), "guides/shouyao.md")
    assert g.format == "markdown"
    assert g.item_name and g.item_name.text == "兽药经营许可证核发"
    assert g.owner and g.owner.text == "广州市农业农村局"
    assert g.visits == 0
    assert g.channels == {"online"}
    assert [(m.name, m.forms, m.copies, m.necessity) for m in g.materials] == [
        ("兽药经营许可证申请表", ("原件",), 1, "必要"),
        ("营业执照", ("复印件",), 1, "必要"),
    ]
    assert g.materials[0].loc.line == 14
    assert [s.name for s in g.steps] == ["申请", "审查", "决定"]
    assert g.steps[1].actor == "科室审核员"
    assert g.steps[1].time_limit and g.steps[1].time_limit.days == 10


def test_bracket_sections_and_bare_headings() -> None:
    text = "【事项名称】医疗废物经营许可证核发\n【办理时限】\n20个工作日\n【申请材料】\n申请书\n法人身份证明\n"
    g = extract(text.encode("utf-8"), "guide.txt")
    assert g.item_name and g.item_name.text == "医疗废物经营许可证核发"
    assert g.promised_limit and g.promised_limit.days == 20
    assert [m.name for m in g.materials] == ["申请书", "法人身份证明"]


def test_suppressions_are_read() -> None:
    text = "事项名称：某事项\n<!-- guidecheck-disable MAT04, MAT05 -- 表格由系统生成 -->\n申请材料：\n1. 申请表\n"
    g = extract(text.encode(), "g.md")
    assert [(s.rule_id, s.reason, s.loc.line) for s in g.suppressions] == [
        ("MAT04", "表格由系统生成", 2),
        ("MAT05", "表格由系统生成", 2),
    ]


def test_empty_and_binary_and_not_a_guide() -> None:
    with pytest.raises(InputError, match=r"x\.txt: the file is empty"):
        extract(b"  \n", "x.txt")
    with pytest.raises(InputError, match="binary"):
        extract(b"\x00\x01\x02abc", "x.txt")
    with pytest.raises(InputError, match="no guide found"):
        extract("今天天气很好。\n我们去公园散步。\n".encode(), "x.txt")


def test_saved_web_page_with_txt_ending_is_read_as_html() -> None:
    page = "<html><body><table><tr><th>事项名称</th><td>兽药经营许可</td></tr></table></body></html>"
    g = extract(page.encode(), "saved.txt")
    assert g.format == "html"
    assert g.item_name.text == "兽药经营许可"


def test_markdown_with_inline_html_stays_markdown() -> None:
    text = "## 申请材料\n1. 申请表原件1份<br>\n2. 营业执照复印件1份\n"
    g = extract(text.encode(), "g.md")
    assert g.format == "markdown"
    assert [m.name for m in g.materials] == ["申请表", "营业执照"]


def test_utf16_with_bom() -> None:
    g = extract("事项名称：兽药经营许可\n".encode("utf-16"), "u16.txt")
    assert g.encoding == "utf-16"
    assert g.item_name.text == "兽药经营许可"


def test_undeclared_gbk_text_file() -> None:
    g = extract("事项名称：城镇污水排入排水管网许可\n承诺办结时限：1个工作日\n".encode("gbk"), "gbk.txt")
    assert g.encoding == "gb18030"
    assert g.promised_limit.days == 1


def test_deeply_nested_json_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"nested too deeply|not valid JSON"):
        extract(('{"a":' * 5000 + "1" + "}" * 5000).encode(), "deep.json")


def test_inline_numbered_steps_and_semicolon_materials() -> None:
    text = (
        "事项名称：兽药经营许可证核发\n"
        "申请材料：申请表；营业执照复印件1份；法定代表人身份证复印件1份\n"
        "办理流程：1.受理（1个工作日）；2.审查：现场核查（10个工作日）；3.决定（2个工作日）\n"
    )
    g = extract(text.encode(), "inline.txt")
    assert [m.name for m in g.materials] == ["申请表", "营业执照", "法定代表人身份证"]
    assert [(s.name, s.time_limit.days) for s in g.steps] == [("受理", 1), ("审查", 10), ("决定", 2)]
    assert g.steps[1].content == "现场核查（10个工作日）"


def test_chinese_numbered_items_inside_a_chinese_numbered_section() -> None:
    text = (
        "一、事项名称：婚姻登记\n二、实施机构：某区民政局\n三、申请材料\n"
        "一、本人的户口簿\n二、本人的居民身份证\n三、本人无配偶声明\n四、近期2寸照片2张\n"
        "四、办理流程\n申请→受理→审查→登记\n五、温馨提示\n请提前预约。\n"
    )
    g = extract(text.encode(), "hunyin.txt")
    assert [m.name for m in g.materials] == ["本人的户口簿", "本人的居民身份证", "本人无配偶声明", "近期2寸照片"]
    assert [s.name for s in g.steps] == ["申请", "受理", "审查", "登记"]
    assert "温馨提示" not in g.flow_text.text


def test_one_label_with_both_limits() -> None:
    g = extract("事项名称：兽药经营许可\n办理时限：法定20个工作日，承诺5个工作日\n".encode(), "both.txt")
    assert (g.legal_limit.days, g.legal_limit.unit) == (20, "工作日")
    assert (g.promised_limit.days, g.promised_limit.unit) == (5, "工作日")
    assert g.legal_limit_text.text == "20个工作日" and g.legal_limit.loc.line == 2


def test_gdbs_arrow_chain_with_times() -> None:
    text = (
        "事项名称：建设用地规划许可证核发\n三、办理流程\n网上办理流程\n"
        "网上申请→受理（预审3日，出具预受理回执）→审查5日→领取结果（按约定的方式）\n"
    )
    g = extract(text.encode(), "gdbs.txt")
    assert [(s.name, s.channel) for s in g.steps] == [
        ("网上申请", "online"),
        ("受理", "online"),
        ("审查", "online"),
        ("领取结果", "online"),
    ]
    assert [s.time_limit.days if s.time_limit else None for s in g.steps] == [None, 3, 5, None]


BASE_GUIDE = Path(__file__).resolve().parent / "rule_cases" / "base_guide.txt"


@pytest.mark.parametrize("numbering", ["{n}. ", "（{n}）"])
def test_a_step_named_like_an_element_is_still_a_step(numbering: str) -> None:
    """ "5. 结果送达：…" after "4. 决定：…" is the flow's fifth step, not the guide's 送达方式; a label that
    does not continue the numbering still ends the flow."""
    text = BASE_GUIDE.read_text(encoding="utf-8")
    for n in range(1, 6):
        text = text.replace(f"\n{n}. ", "\n" + numbering.format(n=n))
    text = text.replace(numbering.format(n=5) + "送达：", numbering.format(n=5) + "结果送达：")
    guide = extract(text.encode(), "guide.txt")
    for channel in ("online", "window"):
        steps = [s for s in guide.steps if s.channel == channel]
        assert [s.name for s in steps] == ["申请", "受理", "审查", "决定", "结果送达"]
        assert steps[-1].time_limit is not None and steps[-1].time_limit.days == 2
    assert guide.delivery is not None and guide.delivery.text == "窗口领取、邮寄送达、电子证照"
