"""The HTML extractor on the fixtures in fixtures/pages/ (gdzwfw-style tables, Epoint/浙江 dl/div in GBK,
an undeclared-GBK county page, a JS-filled shell and a page that is not a guide)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from guidecheck.errors import InputError
from guidecheck.extract import extract, extract_file

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def node_text(path: Path, xpath: str) -> str:
    """The text at an extracted XPath in the original page: proves a Loc points at the value."""
    tree = etree.parse(str(path), etree.HTMLParser())
    found = tree.xpath(xpath)
    assert found, xpath
    return "".join(found[0].itertext())


@pytest.fixture(scope="module")
def gd():
    return extract_file(PAGES / "gdzwfw_yiliao_feiwu.html")


@pytest.fixture(scope="module")
def epoint():
    return extract_file(PAGES / "epoint_shouyao_gbk.html")


def test_gdzwfw_basic_info_multi_pair_rows(gd) -> None:
    assert gd.format == "html" and gd.encoding == "utf-8"
    assert gd.item_name.text == "医疗废物经营许可证核发"
    assert gd.item_type.text == "行政许可"
    assert gd.id == "11440100006940246R4440111003000"  # 实施编码 outranks 基本编码
    assert gd.extra["基本编码"].text == "00011900100Y"
    assert gd.owner.text == "广州市生态环境局"
    assert gd.case_type.text == "承诺件"
    assert "第二十二条" in gd.legal_basis.text and gd.legal_basis.text.count("\n") == 1
    assert gd.conditions.text.endswith("（四）具有保证医疗废物安全处置的规章制度。")
    assert gd.conditions.text.count("\n") == 3
    assert not gd.diagnostics


def test_gdzwfw_script_text_is_ignored(gd) -> None:
    assert "脚本" not in gd.item_name.text
    assert all("脚本" not in f.text for f in gd.extra.values())


def test_gdzwfw_limits_visits_channels(gd) -> None:
    assert (gd.legal_limit.days, gd.legal_limit.unit) == (20, "工作日")
    assert (gd.promised_limit.days, gd.promised_limit.unit) == (15, "工作日")
    assert gd.visits == 0
    assert gd.channels == {"window", "online", "post"}
    assert "https://www.gdzwfw.gov.cn/portal/guide/" in gd.online_url.text


def test_gdzwfw_locs_are_xpaths_to_the_values(gd) -> None:
    path = PAGES / "gdzwfw_yiliao_feiwu.html"
    assert node_text(path, gd.item_name.loc.path) == "医疗废物经营许可证核发"
    assert node_text(path, gd.promised_limit.loc.path) == "15个工作日"
    assert node_text(path, gd.materials[2].loc.path) == "医疗废物处置设施环境影响评价批复文件"
    assert gd.promised_limit.loc.line == 19
    assert gd.item_name.loc.source.endswith("gdzwfw_yiliao_feiwu.html")


def test_gdzwfw_material_table(gd) -> None:
    m = gd.materials
    assert [x.name for x in m] == [
        "危险废物经营许可证申请表",
        "法定代表人身份证明",
        "医疗废物处置设施环境影响评价批复文件",
        "技术人员培训证明",
    ]
    assert [x.copies for x in m] == [1, 1, 3, 2]
    assert m[0].forms == ("原件", "电子", "纸质")
    assert m[2].forms == ("原件", "复印件", "纸质")
    assert m[0].blank_form == "/attach/sthjj/m1/shenqingbiao.docx"
    assert m[0].sample == "/attach/sthjj/m1/shenqingbiao-shili.pdf"
    assert m[1].blank_form is None and m[1].sample is None
    assert [x.necessity for x in m] == ["必要", "必要", "必要", "非必要"]
    assert m[3].note == "容缺后补"


def test_gdzwfw_separate_online_and_window_flows(gd) -> None:
    online = [s for s in gd.steps if s.channel == "online"]
    window = [s for s in gd.steps if s.channel == "window"]
    assert [s.name for s in online] == ["网上申请", "受理", "审查", "决定", "送达"]
    assert online[0].time_limit.immediate
    assert [s.time_limit.days for s in online[1:]] == [1, 10, 3, 1]
    assert [s.name for s in window] == ["受理", "审查", "决定", "送达"]
    assert window[1].actor == "固体废物管理处承办人"
    assert window[1].time_limit.days == 10 and window[1].time_limit.unit == "工作日"
    assert window[2].result == "准予许可决定书"
    assert "广东政务服务网" in gd.online_flow_text.text


def test_gdzwfw_flowcharts(gd) -> None:
    charts = {c.channel: c for c in gd.flowcharts}
    assert len(gd.flowcharts) == 2  # the <img> and its data-attach link are one chart
    assert charts["online"].title == "广州市生态环境局医疗废物经营许可证核发网上办理流程图"
    assert charts["online"].file_name == "广州市生态环境局医疗废物经营许可证核发网上办理流程图.png"
    assert charts["window"].file_name == "window.jpg"
    assert charts["window"].text == "广州市生态环境局医疗废物经营许可证核发窗口办理流程图"  # figcaption


def test_gdzwfw_contact_result_place_faq(gd) -> None:
    assert "020-12345" in gd.consult.text and "地址" in gd.consult.text
    assert "020-12369" in gd.complaint.text
    assert gd.place.text == "广州市天河区天河北路28号广州市政务服务中心二楼C区"
    assert gd.hours.text.startswith("周一至周五上午9:00-12:00")
    assert gd.result_name.text == "危险废物经营许可证（医疗废物类）"
    assert gd.result_sample.text == "/attach/sthjj/result/yl-xkz-yangben.pdf"
    assert gd.delivery.text == "邮政速递（EMS）寄递；窗口领取"
    assert gd.fee.text == "不收费"
    assert [(f.question, f.answer) for f in gd.faqs] == [("医疗废物经营许可证有效期多久？", "有效期为5年。")]


def test_epoint_gbk_declared(epoint) -> None:
    assert epoint.encoding == "gb18030"
    assert epoint.item_name.text == "兽药经营许可证核发"
    assert epoint.owner.text == "广州市农业农村局"
    assert epoint.id == "11440100MB2C06375G4440111001000"
    assert (epoint.legal_limit.days, epoint.legal_limit.unit) == (30, "日")
    assert (epoint.promised_limit.days_min, epoint.promised_limit.days) == (7, 20)
    assert epoint.visits == 1
    assert epoint.channels == {"window", "online"}
    assert epoint.consult.text == "020-83311234"
    assert epoint.complaint.text == "020-12345"
    assert epoint.hours.text == "工作日上午9:00-12:00，下午13:00-17:00"


def test_epoint_free_text_materials_with_links(epoint) -> None:
    m = epoint.materials
    assert [x.name for x in m] == [
        "兽药经营许可证申请表",
        "营业执照",
        "法定代表人身份证",
        "经营场所和仓库的产权证明或租赁合同",
        "质量管理制度文件",
    ]
    assert [x.copies for x in m] == [1, 1, 1, None, 2]
    assert m[0].blank_form == "/files/shouyao/sqb.doc"
    assert m[0].sample == "/files/shouyao/sqb-yangbiao.pdf"
    assert m[2].forms == ("复印件",) and m[2].note == "需比对原件留存复印件"
    assert m[3].forms == ()


def test_epoint_terse_steps_and_wrong_owner_flowchart(epoint) -> None:
    assert [s.name for s in epoint.steps] == ["受理", "审查", "决定", "送达"]
    assert all(not s.content and s.time_limit is None for s in epoint.steps)
    assert len(epoint.flowcharts) == 1
    chart = epoint.flowcharts[0]
    assert chart.title == "天河区农业农村局行政许可网上办理流程图"
    assert chart.channel == "online" and chart.file_name == "liuchengtu.png"
    assert epoint.faqs and epoint.faqs[0].question == "兽药经营许可证有效期是多久？"


def test_undeclared_gbk_county_page() -> None:
    path = PAGES / "county_wushui_nocharset_gbk.html"
    assert b"charset" not in path.read_bytes()
    g = extract_file(path)
    assert g.encoding == "gb18030"
    assert g.item_name.text == "城镇污水排入排水管网许可"
    assert g.owner.text == "中牟县城市管理局"
    assert g.promised_limit.days == 1
    assert len(g.materials) == 3 and g.materials[0].name == "城镇污水排入排水管网许可申请表"
    assert [s.name for s in g.steps] == ["申请", "受理", "审核", "办结"]
    assert "第二十一条" in g.legal_basis.text


def test_gbk_declared_by_http_header_only() -> None:
    page = "<html><body><table><tr><th>事项名称</th><td>兽药经营许可证核发</td></tr></table></body></html>"
    g = extract(page.encode("gbk"), "https://example.gov.cn/guide/1", media_type="text/html; charset=GBK")
    assert g.encoding == "gb18030"
    assert g.item_name.text == "兽药经营许可证核发"


def test_utf8_bom_page() -> None:
    page = "\ufeff<html><body><p>事项名称：测量标志拆迁审批</p><p>承诺办结时限：5个工作日</p></body></html>"
    g = extract(page.encode("utf-8"), "bom.html")
    assert g.encoding == "utf-8-sig"
    assert g.item_name.text == "测量标志拆迁审批"
    assert g.promised_limit.days == 5


def test_js_filled_page_is_not_auditable() -> None:
    g = extract_file(PAGES / "epoint_jsfilled.html")
    assert [d.code for d in g.diagnostics] == ["not-auditable"]
    assert "JavaScript" in g.diagnostics[0].message
    assert g.diagnostics[0].message.startswith(str(PAGES / "epoint_jsfilled.html"))


def test_not_a_guide_page() -> None:
    with pytest.raises(InputError, match=r"not_a_guide\.html: no guide found: none of the guide labels \(事项名称"):
        extract_file(PAGES / "not_a_guide.html")


def test_empty_and_binary_html() -> None:
    with pytest.raises(InputError, match="the file is empty"):
        extract(b"", "empty.html")
    with pytest.raises(InputError, match="binary"):
        extract(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.html")


def test_crawler_style_call_with_url_and_content_type() -> None:
    page = "<dl><dt>事项名称</dt><dd>兽药经营许可</dd><dt>到办事现场次数</dt><dd>零跑腿</dd></dl>"
    g = extract(page.encode(), "https://zwfw.example.gov.cn/portal/guide/abc", media_type="text/html")
    assert g.source == "https://zwfw.example.gov.cn/portal/guide/abc"
    assert g.format == "html"
    assert g.visits == 0
    assert g.item_name.loc.path.endswith("/dd[1]")


def test_label_cells_without_th() -> None:
    page = (
        "<table><tr><td>事项名称：</td><td>兽药经营许可</td><td>办理形式</td><td>窗口办理，邮寄申请</td></tr>"
        "<tr><td>是否支持物流快递</td><td>否</td></tr></table>"
    )
    g = extract(page.encode(), "t.html")
    assert g.item_name.text == "兽药经营许可" and g.item_name.label == "事项名称"
    assert g.channels == {"window", "post"}


def test_column_label_table_and_td_header_material_table() -> None:
    page = """<html><body>
    <table id="table1"><tr><th>法定办结时限</th><th>承诺办结时限</th></tr>
    <tr><td>20个工作日</td><td>5个工作日</td></tr></table>
    <h3>申请材料</h3>
    <table><tr><td>序号</td><td>材料名称</td><td>介质</td><td>数量</td><td>材料来源</td></tr>
    <tr><td>1</td><td>排水许可申请表</td><td>原件</td><td>2</td><td>申请人自备</td></tr></table>
    </body></html>"""
    g = extract(page.encode(), "zj.html")
    assert (g.legal_limit.days, g.promised_limit.days) == (20, 5)
    assert g.promised_limit.loc.path == "/html/body/table[1]/tr[2]/td[2]"
    assert [(m.name, m.forms, m.copies, m.source) for m in g.materials] == [
        ("排水许可申请表", ("原件",), 2, "申请人自备")
    ]


V2_SIMPLE_GUIDE = """<html><body><div class="main">
<h2>基本信息</h2>
<div class="info"><span class="label">事项名称</span><span class="value">城市建筑垃圾处置（排放）核准</span></div>
<div class="info"><span class="label">日常用语</span><span class="value">建筑垃圾排放</span></div>
<div class="info"><span class="label">预计办理总用时</span><span class="value">5 工作日</span></div>
<div class="info"><span class="label">到办事现场次数</span><span class="value">0 次</span></div>
<div class="info"><span class="label">可办理方式</span><span class="value">网上办理,快递申请,窗口办理</span></div>
<table><tr><th>序号</th><th>名称</th><th>类型</th><th>模板</th><th>样例</th><th>关联状态</th></tr>
<tr><td>1</td><td>建筑垃圾处置核准文件</td><td>批文</td><td><a href="/t.pdf">下载</a></td>
<td><a href="/s.pdf">下载</a></td><td>已关联电子证照</td></tr></table>
<h2>办理流程</h2>
<div class="step"><span class="no">1</span><span class="name">收件</span>
<span class="desc">窗口人员核对材料</span></div>
<div class="step"><span class="no">2</span><span class="name">审核</span>
<span class="desc">业务科室审核（3个工作日）</span></div>
</div></body></html>"""


def test_gdzwfw_v2_simple_guide_spans() -> None:
    g = extract(V2_SIMPLE_GUIDE.encode(), "https://www.gdzwfw.gov.cn/portal/v2/simple-guide/x", media_type="text/html")
    assert g.item_name.text == "城市建筑垃圾处置（排放）核准"  # the next row is not part of the value
    assert (g.promised_limit.days, g.promised_limit.unit) == (5, "工作日")
    assert g.visits == 0
    assert g.channels == {"online", "post", "window"}
    assert g.result_name.text == "建筑垃圾处置核准文件"
    assert g.result_sample.text == "/s.pdf"  # the 样例, not the blank 模板
    assert g.materials == []  # a result table is not a material table
    assert [(s.name, s.content) for s in g.steps] == [
        ("收件", "窗口人员核对材料"),
        ("审核", "业务科室审核（3个工作日）"),
    ]
    assert g.steps[1].time_limit.days == 3


def test_source_line_breaks_are_spaces_but_br_splits_lines() -> None:
    page = (
        "<table><tr><th>事项名称</th><td>城市建筑垃圾\n处置核准</td></tr>"
        "<tr><th>申请材料</th><td>1.申请表原件1份<br>2.营业执照\n复印件1份</td></tr></table>"
    )
    g = extract(page.encode(), "wrap.html")
    assert g.item_name.text == "城市建筑垃圾 处置核准"
    assert [(m.name, m.copies) for m in g.materials] == [("申请表", 1), ("营业执照", 1)]


def test_dictionary_coded_values_are_not_auditable() -> None:
    page = (
        "<table><tr><th>事项名称</th><td>城镇污水排入排水管网许可</td><th>办件类型</th><td>1</td></tr>"
        "<tr><th>办理形式</th><td>1,2,3</td><th>事项类型</th><td>01</td></tr>"
        "<tr><th>是否收费</th><td>0</td><th>承诺期限</th><td></td></tr></table>"
    )
    g = extract(page.encode(), "icity.html")
    assert [d.code for d in g.diagnostics] == ["not-auditable"]
    assert "dictionary codes" in g.diagnostics[0].message and "办理形式=1,2,3" in g.diagnostics[0].message


def test_rowspan_cells_repeat_in_step_and_material_tables() -> None:
    page = """<h3>办理流程</h3><table><thead><tr><th>环节</th><th>办理人员</th><th>办理时限</th></tr></thead>
    <tr><td>受理</td><td rowspan="2">综合窗口工作人员</td><td>1个工作日</td></tr>
    <tr><td>审查</td><td>5个工作日</td></tr>
    <tr><td>决定</td><td>分管领导</td><td>2个工作日</td></tr></table>
    <h3>申请材料</h3><table><thead><tr><th>材料名称</th><th>材料形式</th><th>份数</th></tr></thead>
    <tr><td>申请表</td><td rowspan="2">原件</td><td>1</td></tr><tr><td>承诺书</td><td>2</td></tr></table>"""
    g = extract(page.encode(), "span.html")
    assert [(s.name, s.actor, s.time_limit.days) for s in g.steps] == [
        ("受理", "综合窗口工作人员", 1),
        ("审查", "综合窗口工作人员", 5),
        ("决定", "分管领导", 2),
    ]
    assert [(m.name, m.forms, m.copies) for m in g.materials] == [("申请表", ("原件",), 1), ("承诺书", ("原件",), 2)]


def test_faq_table() -> None:
    page = """<p>事项名称：兽药经营许可</p><div class="cjwt_table"><h3>常见问题</h3>
    <table><tr><th>问题</th><th>解答</th></tr>
    <tr><td>需要现场核查吗？</td><td>需要，审查期间组织现场核查。</td></tr>
    <tr><td>可以邮寄领证吗？</td><td>可以。</td></tr></table></div>"""
    g = extract(page.encode(), "faq.html")
    assert [(f.question, f.answer) for f in g.faqs] == [
        ("需要现场核查吗？", "需要，审查期间组织现场核查。"),
        ("可以邮寄领证吗？", "可以。"),
    ]


def test_one_download_column_with_both_files_keeps_them_apart() -> None:
    page = """<html><body><h2>基本信息</h2><table><tr><th>事项名称</th><td>取水许可</td></tr>
    <tr><th>实施主体</th><td>临江市水务局</td></tr></table>
    <h2>申请材料</h2><table><thead><tr><th>材料名称</th><th>份数</th><th>表格下载</th></tr></thead>
    <tbody><tr><td>取水许可申请书</td><td>原件1份</td><td><a href="/files/qs-yangbiao.pdf">示例样表</a></td></tr>
    <tr><td>取水工程申请表</td><td>原件1份</td><td><a href="/files/gc.docx">空白表格</a>
    <a href="/files/gc-shili.pdf">样表</a></td></tr></tbody></table></body></html>"""
    guide = extract(page.encode("utf-8"), "mem.html")
    only_sample, both = guide.materials
    assert only_sample.blank_form is None  # a sample in the download column is not a blank form (MAT04)
    assert only_sample.sample == "/files/qs-yangbiao.pdf"
    assert (both.blank_form, both.sample) == ("/files/gc.docx", "/files/gc-shili.pdf")


def test_a_chart_shown_and_offered_for_download_is_one_flowchart() -> None:
    """Portals put the chart's image and a download link of the same file under it: one chart, not two
    (two made CON11/CON03 report the same chart twice and inflated the flowchart counts)."""
    page = """<html><body><h2>基本信息</h2><table><tr><th>事项名称</th><td>取水许可</td></tr>
    <tr><th>实施主体</th><td>临江市水务局</td></tr></table>
    <dl><dt>网上办理流程：</dt><dd>申请人在线提交申请。<div><img src="/f/online.png" alt="取水许可网上办理流程图">
    <a href="/f/online.png">取水许可网上办理流程图.png</a></div></dd></dl>
    <dl><dt>窗口办理流程：</dt><dd>申请人到窗口提交申请，见《取水许可窗口办理流程图》。
    <img src="/f/window.png" alt="取水许可窗口办理流程图"></dd></dl></body></html>"""
    guide = extract(page.encode("utf-8"), "charts.html")
    assert [(c.channel, c.title) for c in guide.flowcharts] == [
        ("online", "取水许可网上办理流程图"),
        ("window", "取水许可窗口办理流程图"),
    ]


def test_a_spec_column_does_not_hide_the_remarks() -> None:
    """浙江/Epoint tables carry 纸质材料规格 (A4) before 备注; both were read as the note and the first one
    won, so every 备注 of a paper material was lost. The spec now joins the note on a line of its own,
    and a 材料规格 that states forms (湖南: 原件/复印件) gives the forms."""
    page = """<html><body><h2>申请材料</h2>
    <table><tr><th>材料名称</th><th>材料形式</th><th>纸质材料份数</th><th>材料必要性</th><th>纸质材料规格</th>
    <th>备注</th></tr>
    <tr><td>申请表</td><td>纸质（原件）</td><td>1</td><td>必要</td><td>A4</td><td>需加盖公章</td></tr>
    <tr><td>营业执照</td><td>纸质（复印件）</td><td>1</td><td>必要</td><td>A4</td><td></td></tr>
    <tr><td>承诺书</td><td>电子化</td><td>0</td><td>必要</td><td></td><td>在线签署</td></tr></table>
    <h2>其他材料</h2>
    <table><tr><th>申请材料</th><th>材料规格</th><th>份数</th></tr>
    <tr><td>身份证</td><td>原件/复印件</td><td>1</td></tr></table>
    <table><tr><th>材料名称</th><th>规格</th><th>份数</th><th>备注</th></tr>
    <tr><td>现场照片</td><td>彩色 A4</td><td>2</td><td>近三个月内</td></tr></table>
    </body></html>"""
    g = extract(page.encode(), "spec.html")
    assert [(m.name, m.forms, m.note) for m in g.materials] == [
        ("申请表", ("原件", "纸质"), "需加盖公章\n规格：A4"),
        ("营业执照", ("复印件", "纸质"), "规格：A4"),
        ("承诺书", ("电子",), "在线签署"),
        ("身份证", ("原件", "复印件"), ""),  # a spec that only states forms adds nothing to the note
        ("现场照片", (), "近三个月内\n规格：彩色 A4"),
    ]
