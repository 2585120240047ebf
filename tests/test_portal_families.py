"""The portal families of portals.md §2.3–§6, one realistic page each in fixtures/portals/: what a careful
reader of the page records, and which findings follow (and which must not).

Each case names, per page: element texts (exact, or "…" for a part of the text), parsed values, the
materials (name, forms, copies) and steps (name, working days or "即办"), the required elements CMP01 must
report missing (`missing`) or must not (`present`), and the rule ids that must or must not fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from guidecheck.api import audit_guide
from guidecheck.engine import load_ruleset
from guidecheck.extract import extract_file
from guidecheck.model import Guide

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "portals"


@dataclass
class Case:
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    materials: list[tuple[str, tuple[str, ...], int | None]] | None = None
    steps: list[tuple[str, float | str | None]] | None = None
    missing: set[str] = field(default_factory=set)
    present: set[str] = field(default_factory=set)
    expect: set[str] = field(default_factory=set)
    forbid: set[str] = field(default_factory=set)


ZJ_MATERIALS = [
    ("城镇污水排入排水管网许可申请表", ("原件", "电子", "纸质"), 1),
    ("排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明", ("原件", "电子", "纸质"), 1),
    ("按规定建设污水预处理设施的有关材料", ("复印件", "电子"), 0),  # 材料类型 复印件
    ("排水水质、水量检测报告", ("原件", "电子", "纸质"), 1),
]
PAISHUI_MATERIALS = [
    "城镇污水排入排水管网许可申请表",
    "营业执照",
    "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明",
]

CASES: dict[str, Case] = {
    # 浙江 温州 server page: jbxx_tables, table#table1, span.Cons, bllc_con with rowspan, #sbcl, cjwt/zxfs/jdtsfs
    "zj_wenzhou_paishui.html": Case(
        fields={
            "item_name": "城镇污水排入排水管网许可",
            "owner": "温州市综合行政执法局",
            "place": "温州市鹿城区市府路500号温州市民中心二楼B区23-25号窗口",
            "hours": "周一至周五 上午8:30-12:00，下午13:30-17:30（法定节假日除外）",
            "consult": "…0577-88960321",
            "complaint": "…0577-12345",
            "result_name": "城镇污水排入排水管网许可证",
            "result_sample": "…paishui_xkz_yangben.pdf",
            "delivery": "快递送达,窗口领取",
            "fee": "否",
        },
        values={
            "legal": (20, "工作日"),
            "promised": (5, "工作日"),
            "visits": 0,
            "channels": {"window", "online", "post"},
            "faqs": 2,
        },
        materials=ZJ_MATERIALS,
        steps=[("受理", 1), ("审查", 2), ("决定", 1), ("送达", 1)],  # 受理 spans two rows: one step, one limit
        expect={"MAT01", "FLW05"},  # "有关材料" is catch-all wording; a 行政许可 without a flowchart
        forbid={"CMP01", "TIM04", "FLW01", "FLW03", "MAT02", "MAT03", "MAT04", "MAT05", "MAT08"},
    ),
    # 湖南 政务公开 page: the guide is one 公开具体内容 cell; the 基本信息 metadata is not the guide's
    "hn_jishou_gongkai.html": Case(
        fields={
            "item_name": "建设项目用地预审与选址意见书核发",
            "owner": "吉首市自然资源局",  # not 公开主体 吉首市人民政府办公室
            "legal_basis": "…第五十二条",  # not 公开依据 《政府信息公开条例》
            "fee": "不收费",
            "place": "…吉首市世纪大道88号）",
            "consult": "0743-8221234",
            "complaint": "0743-12345",
        },
        values={"legal": (20, "工作日"), "promised": (10, "工作日")},  # not 公开时限 "20个工作日内"
        materials=[
            ("建设项目用地预审与选址申请表", ("原件",), 1),
            ("建设项目用地预审与选址申请报告", ("原件",), 1),
            ("项目建议书批复文件或项目备案文件", ("复印件",), 1),
            ("标注项目用地范围的土地利用总体规划图、土地利用现状图", ("原件", "电子", "纸质"), 1),
        ],
        steps=[("申请", None), ("受理", None), ("审查", None), ("决定", None), ("送达", None)],
        missing={"事项类型", "办件类型", "到办事现场次数", "办理形式", "结果名称"},
        present={"实施主体", "法定办结时限", "承诺办结时限", "是否收费", "申请材料", "办理地点"},
        expect={"FLW02"},  # 申请→受理→审查→决定→送达: bare words
        forbid={"FLW01"},
    ),
    # 河南 中牟: the numbered 服务指南 (一、审批服务事项 … 八、法定依据)
    "ha_zhongmu_fuwuzhinan.html": Case(
        fields={
            "item_name": "城镇污水排入排水管网许可",
            "conditions": "…（三）排放的污水符合国家或者地方规定的有关排放标准。",
            "fee": "不收费",
            "place": "中牟县政务服务中心二楼城管窗口（中牟县青年路与建设路交叉口）",
            "consult": "0371-62171234",
            # the site footer (div.foot) is not part of the last section
            "legal_basis": "《城镇排水与污水处理条例》（国务院令第641号）第二十一条；"
            "《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）第四条。",
        },
        values={"promised": (1, "工作日")},
        materials=[
            (n, f, 1)
            for n, f in zip(
                [*PAISHUI_MATERIALS, "排水水质、水量检测报告"],
                [("原件",), ("复印件",), ("原件",), ("原件",)],
                strict=True,
            )
        ],
        steps=[],
        missing={"实施主体", "法定办结时限", "办理时间", "监督投诉方式"},
        present={"事项名称", "受理条件", "申请材料", "承诺办结时限", "是否收费", "办理地点", "咨询方式", "设定依据"},
        expect={"FLW01"},  # the 服务指南 has no flow
    ),
    # 河南 焦作 项目详情 label set
    "ha_jiaozuo_xiangmu.html": Case(
        fields={
            "item_name": "城镇污水排入排水管网许可",
            "item_type": "行政许可",
            "owner": "焦作市城市管理局",
            "legal_basis": "…第二十一条第一款…",
            "conditions": "…排放口设置符合城镇排水与污水处理规划要求。",
            "fee": "不收费",
            "place": "焦作市民之家三楼C区城管窗口（焦作市人民路2号）",
            "consult": "0391-3561234",
        },
        values={"legal": (20, "工作日"), "promised": (10, "工作日")},
        materials=[("排水许可申请表", ("原件",), 1), ("营业执照", ("复印件",), 1)]
        + [(n, ("原件",), 1) for n in (PAISHUI_MATERIALS[2], "排水水质、水量检测报告")],
        missing={"办件类型", "到办事现场次数", "办理形式", "办理时间", "监督投诉方式", "结果名称"},
        present={"事项名称", "事项类型", "实施主体", "设定依据", "受理条件", "申请材料", "是否收费", "办理地点"},
        expect={"FLW01"},
    ),
    # 河南 荥阳 label-less block: 依据/实施机构/窗口/电话/办理时间, unlabelled materials, "申请--受理--审核--办结"
    "ha_xingyang_jiceng.html": Case(
        fields={
            "owner": "荥阳市城市管理局",
            "legal_basis": "《城镇排水与污水处理条例》第二十一条",
            "place": "荥阳市民之家二楼12号窗口（荥阳市商隐路与郑上路交叉口）",
            "consult": "0371-64661234",
            "hours": "周一至周五上午8:30-12:00，下午14:30-17:30",
        },
        materials=[
            (PAISHUI_MATERIALS[0], (), None),
            ("营业执照", ("复印件",), None),
            (PAISHUI_MATERIALS[2], (), None),
            ("排水水质、水量检测报告", (), None),
        ],
        steps=[("申请", None), ("受理", None), ("审核", None), ("办结", None)],
        present={"实施主体", "设定依据", "申请材料", "办理地点", "咨询方式", "办理时间"},
        expect={"FLW02", "MAT02", "MAT03"},  # terse chain; no copies or forms in the list
        forbid={"FLW01"},
    ),
    # 淄博 公安 "一次办好": 环节和流程 = 办事流程 (applicant) + 业务流程 (back office)
    "sd_zibo_gongan_yicibanhao.html": Case(
        fields={
            "item_name": "户口迁移（市内跨区迁移）",
            "item_code": "370300-GA-XK-0012-03",
            "fee": "免费",  # 办理成本
            "visits_text": "否",  # 是否零跑腿: not zero, count not given
            "is_online": "否",
        },
        values={"promised": (2, "工作日"), "visits": None},
        materials=[
            ("居民身份证", ("原件",), 1),
            ("居民户口簿", ("原件",), 1),
            ("迁入地合法稳定住所证明", ("复印件",), 1),
        ],
        steps=[
            ("申请人通过“爱山东”APP或户", None),
            ("在迁入地派出所户籍窗口领取《准", None),
            ("当场领取新户口簿", "即办"),
            ("受理", "即办"),
            ("审核", 1),
            ("审批", 1),
            ("办结", "即办"),
        ],
        present={"到办事现场次数", "是否收费", "申请材料", "承诺办结时限", "事项名称"},
    ),
    # gdzwfw v2 simple guide (§2.3)
    "gd_v2_simple_guide.html": Case(
        fields={
            "service_object": "企业法人,事业法人,社会组织法人",  # 可办理人群
            "conditions": "…（三）有建筑垃圾分类处置的方案和措施。",  # 可办理具体条件
            "result_name": "城市建筑垃圾处置核准（排放）决定书",
            "place": "深圳市坪山区行政服务大厅（坪山区坪山大道6号）",
        },
        values={
            "promised": (3, "工作日"),
            "visits": 0,
            "channels": {"online", "post", "window"},
            "result_sample": None,
        },  # 样例 无; the blank 模板 is not a sample
        steps=[("收件", None), ("受理", None), ("审查", None), ("决定", None), ("送达", None)],
        materials=[
            ("城市建筑垃圾处置核准申请表", ("电子",), 1),
            ("建筑垃圾排放处置方案", ("电子",), 1),
            ("建筑垃圾运输合同", ("电子",), 1),
        ],
        present={"承诺办结时限", "到办事现场次数", "办理形式", "结果名称", "受理条件", "服务对象"},
        expect={"CMP09"},
        forbid={"FLW01", "FLW02"},
    ),
    # 深圳 光明 district page: numbered steps with (N个工作日)/(当场办理), a mailing address
    "sz_guangming_post.html": Case(
        fields={"delivery": "邮寄送达", "owner": "深圳市光明区城市管理和综合执法局"},
        values={"legal": (20, "工作日"), "promised": (9, "工作日"), "visits": 0, "channels": {"online", "post"}},
        steps=[("申请", "即办"), ("受理", 1), ("审查", 5), ("决定", 2), ("送达", 1)],
        forbid={"CMP01", "TIM01", "TIM04", "FLW01", "FLW02", "FLW03", "CON02", "CON05"},
    ),
    # material-table columns of §4: 昆明呈贡, 四川万源, 湖南吉首
    "material_columns.html": Case(
        materials=[
            ("建设工程消防验收备案表", ("原件",), 1),
            ("工程竣工验收报告", ("复印件",), 2),
            ("涉及消防的建设工程竣工图纸", ("原件", "复印件"), 3),  # 申请材料要求 "原件1份，复印件2份"
            ("消防设施检测报告", (), None),  # requirement left empty
            ("施工单位工程竣工验收报告", ("原件", "复印件"), 1),  # 材料规格 "原件/复印件"
            ("监理单位工程质量评估报告", ("原件",), 1),
        ],
        expect={"MAT02", "MAT03"},
    ),
}

_MISSING_RE = re.compile(r"缺少必备要素“(.+?)”")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def _value(g: Guide, name: str) -> Any:
    if name in ("legal", "promised"):
        limit = g.legal_limit if name == "legal" else g.promised_limit
        return (limit.days, limit.unit) if limit else None
    if name == "faqs":
        return len(g.faqs)
    if name == "result_sample":
        return g.result_sample.text if g.result_sample else None
    return getattr(g, name)


def _step_time(step) -> float | str | None:
    limit = step.time_limit
    if limit is None:
        return None
    return "即办" if limit.immediate else limit.days


def test_every_page_has_a_case() -> None:
    assert sorted(p.name for p in PAGES.glob("*.html")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_portal_page_reads_as_a_reader_would(name: str, ruleset) -> None:
    case = CASES[name]
    g = extract_file(PAGES / name)
    assert not g.diagnostics, g.diagnostics
    for key, want in case.fields.items():
        got = g.element(key)
        assert got is not None, f"{key} not read"
        if want.startswith("…"):
            assert all(part in got.text for part in want.strip("…").split("…")), (key, got.text)
        else:
            assert got.text == want, key
    for key, want in case.values.items():
        got = _value(g, key)
        assert (set(got) if isinstance(want, set) else got) == want, key
    if case.materials is not None:
        assert [(m.name, m.forms, m.copies) for m in g.materials] == case.materials
    if case.steps is not None:
        assert [(s.name, _step_time(s)) for s in g.steps] == case.steps
    result = audit_guide(g, ruleset)
    assert result.error is None, result.error
    findings = result.findings
    ids = {f.rule_id for f in findings}
    assert case.expect <= ids, case.expect - ids
    assert not case.forbid & ids, case.forbid & ids
    missing = {m.group(1) for f in findings if f.rule_id == "CMP01" for m in [_MISSING_RE.search(f.message)] if m}
    assert case.missing <= missing, case.missing - missing
    assert not case.present & missing, case.present & missing


def test_zhejiang_rowspan_step_keeps_both_officers() -> None:
    first = extract_file(PAGES / "zj_wenzhou_paishui.html").steps[0]
    assert first.actor == "窗口工作人员、业务科室经办人"
    assert first.result == "受理通知书\n补正材料通知书"


def test_hunan_metadata_is_kept_aside_not_read_as_the_guide() -> None:
    g = extract_file(PAGES / "hn_jishou_gongkai.html")
    assert g.extra["公开时限"].text == "自该信息形成或者变更之日起20个工作日内"
    assert g.extra["公开主体"].text == "吉首市人民政府办公室"
    assert g.flow_text.text == "申请→受理→审查→决定→送达"  # "七、办理时限" ends the flow section


def test_zhejiang_labels_the_extractor_does_not_know_are_kept_with_their_values() -> None:
    """ "办件类型 | 承诺件 | 审查类型 | 前审后批": 审查类型 stands in a label's place in a row of pairs."""
    g = extract_file(PAGES / "zj_wenzhou_paishui.html")
    assert g.case_type is not None and g.case_type.text == "承诺件"
    assert g.extra["审查类型"].text == "前审后批"
    assert g.extra["送达时限"].text == "即时"
