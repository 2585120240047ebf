"""The Guangzhou item library record (portals.md §2.4; rules/labels.toml [json.guangzhou])."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from guidecheck.api import audit_guide
from guidecheck.engine import load_ruleset
from guidecheck.extract import extract, extract_file
from guidecheck.model import Guide

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "portals" / "gz_item_library.json"


@pytest.fixture(scope="module")
def guide() -> Guide:
    return extract_file(FIXTURE)


def _record() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _read(rec: Any, name: str = "gz.json") -> Guide:
    return extract(json.dumps(rec, ensure_ascii=False).encode(), name)


def _rule_ids(guide: Guide) -> list[str]:
    result = audit_guide(guide, load_ruleset())
    assert result.error is None, result.error
    return [f.rule_id for f in result.findings]


def test_item_elements(guide: Guide) -> None:
    g = guide
    assert g.format == "json" and not g.diagnostics
    assert g.item_name.text == "建设用地规划许可证核发（划拨方式）"
    assert g.item_name.loc.path == "$.data.item_name"  # found under {"data": …}
    assert g.id == "11440100MB2C8977XK4440111001003"
    assert g.owner.text == "广州市规划和自然资源局"
    assert g.conditions.text.splitlines()[1] == "2.已取得国有土地划拨决定书；"  # <br> → lines
    assert g.is_online.text == "是"  # suit_online "1", decoded
    assert g.online_url.text.startswith("https://www.gzonline.gov.cn/service/item/")
    assert g.visits == 1
    assert g.fee.text == "不收费"  # need_charge "0", decoded
    assert g.channels == {"online", "window"}  # suit_online + a non-empty windows[]
    assert "post" not in g.channels and g.extra["ems"].text == "0,1,2"  # undocumented codes: no flag
    # windows[0] gives place and hours; the item's own link_way wins the phone, windows[0].phone is kept
    assert g.place.text == "广州市天河区天河北路 28号广州市政务服务中心二楼规划和自然资源综合窗口"
    assert g.place.loc.path == "$.data.windows[0].address"
    assert g.hours.text.startswith("周一至周五上午9:00-12:00")
    assert (g.consult.text, g.consult.loc.path) == ("020-83326520", "$.data.link_way")
    assert g.complaint.text.startswith("12345政务服务便民热线")
    assert g.result_name.text == "建设用地规划许可证"
    assert g.result_sample.text == "/gzzwfw/upload/certificate/jsydghxkz_sample.pdf"
    assert [f.question for f in g.faqs] == ["建设用地规划许可证可以委托他人办理吗？"]
    assert g.faqs[0].answer.startswith("可以。")


def test_limits_and_boilerplate(guide: Guide) -> None:
    g = guide
    assert (g.legal_limit.days, g.legal_limit.unit) == (20, "工作日")
    assert (g.promised_limit.days, g.promised_limit.unit) == (10, "工作日")
    assert g.promised_limit.loc.path == "$.data.promised_period"
    assert g.extra["受理时限"].text == "5个工作日"  # accept_time "5&&工作日"
    assert g.extra["受理时限说明"].text.startswith("申请材料齐全")
    assert g.extra["法定办结时限说明"].text.startswith("法定办结时限不包括")
    assert g.extra["复议诉讼途径"].text.startswith("申请人对许可决定不服的")
    assert g.legal_basis is None  # 复议/诉讼 bodies are not the 设定依据


def test_materials(guide: Guide) -> None:
    m = guide.materials
    assert [x.name for x in m] == [
        "建设用地规划许可申请表",
        "建设项目用地预审与选址意见书",
        "国有土地划拨决定书",
        "建设项目批准、核准或者备案文件",
        "法律、法规规定的其他材料",
    ]
    # copies = paper copies (origin + copy); elect adds the 电子 form
    assert [(x.copies, x.forms) for x in m] == [
        (1, ("原件", "电子")),
        (1, ("复印件",)),
        (None, ("1,2",)),  # no counts: the undecoded form code is kept, not "no form"
        (1, ("复印件",)),
        (1, ("原件",)),
    ]
    assert m[0].copies_raw == "原件1；复印件0；电子件1"
    assert [x.necessity for x in m] == ["必要", "必要", "必要", "2", "2"]  # 1 decoded, 2 left as published
    assert m[0].blank_form == "/gzzwfw/upload/material/ydgh_sqb.docx" and m[0].sample is None
    assert m[1].blank_form is None
    assert [x.source for x in m[:2]] == ["申请人自备", "政府部门核发"]  # source_explain before sources_type
    assert m[0].note.splitlines() == [
        "申请人签字，单位申请的加盖单位公章",
        "规格：A4",
        "收件标准：内容填写完整、准确，签章齐全",
        "免提交：0",
    ]
    assert "电子证照：建设项目用地预审与选址意见书" in m[1].note
    assert m[2].loc.path == "$.data.submit_documents[2].materials_name"


def test_flows_and_flowchart(guide: Guide) -> None:
    g = guide
    window = [(s.name, s.time_limit.days if s.time_limit else None) for s in g.steps if s.channel == "window"]
    online = [s.name for s in g.steps if s.channel == "online"]
    assert window == [("申请", None), ("受理", 5), ("审查", 3), ("决定", 2), ("送达", None)]
    assert online[:4] == ["网上申报", "网上预审", "提交纸质材料", "审查决定"]
    assert g.window_flow_text.loc.path == "$.data.ckbllc"
    assert g.online_flow_text.loc.path == "$.data.wsbllc"
    assert [(c.channel, c.file_name, c.loc.path) for c in g.flowcharts] == [
        ("window", "用地证流程图.png", "$.data.windowFile[0]")  # file_path empty: the name still counts
    ]


def test_check_end_to_end() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "guidecheck", "check", str(FIXTURE), "--no-config", "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    findings = doc["guides"][0]["findings"]
    found = {(f["rule_id"], f["evidence"]) for f in findings}
    # the planted defects
    assert ("MAT01", "法律、法规规定的其他材料") in found  # catch-all material
    assert ("MAT02", "国有土地划拨决定书") in found  # no counts
    assert ("MAT05", "建设用地规划许可申请表") in found  # a form without a filled-in sample
    assert any(r == "CON01" for r, _ in found)  # the online flow sends the applicant to the window with paper
    assert any(r == "FLW03" and "提交纸质材料" in e for r, e in found)
    rules = {r for r, _ in found}
    # and not the false ones: coded values and a library without 办理形式 text
    assert "MAT03" not in rules  # "1,2" is a form, if an undecoded one
    assert "MAT08" not in rules  # necessity "2" is stated
    assert "MAT04" not in rules  # the 申请表 has its blank form (empty_file attachment)
    assert "CON06" not in rules  # windows[] offers the window channel its flow describes
    assert "CON05" not in rules  # ems "0,1,2" does not claim a post channel
    assert not {"TIM01", "TIM02", "CMP09", "FLW01"} & rules
    assert not {e for r, e in found if r == "CMP01"} & {"事项名称", "实施主体", "受理条件", "申请材料", "办理形式"}


def test_bare_record_and_other_containers() -> None:
    rec = _record()["data"]
    assert _read(rec).item_name.loc.path == "$.item_name"
    assert _read({"result": rec}).item_name.loc.path == "$.result.item_name"
    assert _read({"code": 0, "data": {"record": rec}}).item_name.loc.path == "$.data.record.item_name"


@pytest.mark.parametrize(
    ("unit", "text", "days", "found_unit"),
    [
        ("工作日", "10个工作日", 10, "工作日"),
        ("自然日", "10自然日", 10, "自然日"),
        ("1", "10（时限单位代码：1）", None, ""),  # an unknown unit code: no number read, so no TIM02
        ("", "10", 10, ""),
    ],
)
def test_limit_unit_text_or_code(unit: str, text: str, days: float | None, found_unit: str) -> None:
    rec = _record()
    rec["data"]["promised_period_type"] = unit
    g = _read(rec)
    assert g.promised_limit_text.text == text
    assert (g.promised_limit.days, g.promised_limit.unit) == (days, found_unit)
    if unit == "1":
        assert "TIM02" not in _rule_ids(g)


def test_codes_decode_only_what_is_known() -> None:
    rec = _record()
    data = rec["data"]
    data.update(suit_online="0", ems="-1", need_charge="1", accept_time="&&")
    data["submit_documents"][0].update(origin="", copy="", elect="", material_form="3", material_necessity="1")
    g = _read(rec)
    assert g.is_online.text == "否" and g.channels == {"window"}
    assert g.extra["ems"].text == "否"  # -1 decoded; the flag says no post
    assert g.fee.text == "收费"
    assert "受理时限" not in g.extra  # "&&" = not stated
    assert g.materials[0].forms == ("3",) and g.materials[0].necessity == "必要"
    data["ems"] = "1"  # a bare code the table does not hold: no post channel from is_yes("1")
    assert "post" not in _read(rec).channels


def test_electronic_only_material_counts_no_paper_copies() -> None:
    rec = _record()
    rec["data"]["submit_documents"][0].update(origin="0", copy="0", elect="1")
    m = _read(rec).materials[0]
    assert (m.copies, m.forms, m.copies_raw) == (0, ("电子",), "原件0；复印件0；电子件1")


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        (("submit_documents",), "申请表、身份证", "$.data.submit_documents is a string, expected a list of materials"),
        (("windows",), {"address": "x"}, "$.data.windows is an object, expected a list of windows"),
        (("certificate",), 5, "$.data.certificate is a number, expected a list of results"),
        (("itemQa",), ["问：可以代办吗？"], "$.data.itemQa[0] is a string, expected an object (question)"),
        (("item_name",), ["建设用地规划许可证核发"], "$.data.item_name is a list, expected a text or a number"),
        (("promised_period",), {"value": 10}, "$.data.promised_period is an object, expected a text or a number"),
        (("submit_documents", 0, "origin"), [1], "$.data.submit_documents[0].origin is a list"),
        (("windows", 0, "phone"), {"tel": "020"}, "$.data.windows[0].phone is an object"),
    ],
)
def test_wrong_types_are_a_clear_diagnostic(path: tuple[Any, ...], value: Any, says: str) -> None:
    rec = copy.deepcopy(_record())
    target = rec["data"]
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    g = _read(rec)
    assert [d.code for d in g.diagnostics] == ["not-auditable"]
    message = g.diagnostics[0].message
    assert message.startswith("gz.json: not auditable: the record does not have the layout of [json.guangzhou]")
    assert says in message and "\n" not in message
    result = audit_guide(g, load_ruleset())
    assert result.error == message and not result.findings  # no false "missing" findings


def test_blank_values_are_not_wrong_types() -> None:
    rec = _record()
    rec["data"].update(webFile=[], itemQa=None, certificate="", windows=[])
    g = _read(rec)
    assert not g.diagnostics and g.faqs == [] and g.result_sample is None


def test_wrong_type_through_the_cli(tmp_path: Path) -> None:
    rec = _record()
    rec["data"]["submit_documents"] = "详见附件"
    page = tmp_path / "gz.json"
    page.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "guidecheck", "check", str(page), "--no-config"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert "$.data.submit_documents is a string, expected a list of materials" in out
    assert "Traceback" not in out


def test_mutated_records_never_crash() -> None:
    """The fuzzer's JSON mutations, applied to this fixture (its corpus is fixtures/pages: kept as is)."""
    import random

    from tests import fuzz_pages

    data = FIXTURE.read_bytes()
    ruleset = load_ruleset()
    for i in range(60):
        rng = random.Random(f"gz:{i}")
        mutant = rng.choice(fuzz_pages.JSON_OPS)(rng, data)
        try:
            g = extract(mutant, "m.json")
        except Exception as err:  # InputError is the clear refusal; anything else is a crash
            from guidecheck.errors import InputError

            assert isinstance(err, InputError), f"mutant {i}: {type(err).__name__}: {err}"
            continue
        result = audit_guide(g, ruleset)
        assert result.error is None or ("\n" not in result.error and "internal error" not in result.error)


def test_bad_channel_in_a_label_file_is_a_clear_error(tmp_path: Path) -> None:
    from guidecheck.errors import ConfigError
    from guidecheck.labels import load_labels

    extra = tmp_path / "labels.toml"
    extra.write_text('[json.guangzhou.channels]\nwindows = "counter"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[json.guangzhou.channels\] windows = 'counter': not a channel"):
        load_labels([extra])
