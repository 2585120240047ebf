from pathlib import Path

from guidecheck import suppress
from guidecheck.api import audit_guide
from guidecheck.engine import load_ruleset
from guidecheck.guidefile import parse_guide
from guidecheck.model import Loc, Suppression
from tests.format_samples import RULES, finding, guide


def test_comment_forms():
    text = (
        "事项名称：x\n<!-- guidecheck-disable MAT04 -- 表格由窗口现场提供 -->\n"
        "<!-- guidecheck-disable MAT04, materials.sample-missing：系统生成 -->\n<!--guidecheck-disable MAT02-->\n"
    )
    found = [(s.rule_id, s.reason, s.loc.line) for s in suppress.parse(text, "g.md")]
    assert found == [
        ("MAT04", "表格由窗口现场提供", 2),
        ("MAT04", "系统生成", 3),
        ("materials.sample-missing", "系统生成", 3),
        ("MAT02", "", 4),
    ]


def test_json_key():
    text = '{\n  "事项名称": "x",\n  "guidecheck-disable": [{"rule": "MAT04", "reason": "窗口提供"}, "MAT05"]\n}'
    found = [(s.rule_id, s.reason, s.loc.line) for s in suppress.parse(text, "g.json", "json")]
    assert found == [("MAT04", "窗口提供", 3), ("MAT05", "", 3)]


def _apply(suppressions, findings, **kw):
    g = guide("g.guide.toml", "C1", "x")
    g.suppressions = suppressions
    return g, suppress.apply(g, findings(g), **kw)


def test_apply_filters_and_reports_misuse():
    loc = Loc("g.guide.toml", "guidecheck-disable[0]", 30)
    sups = [
        Suppression("MAT01", "已逐项列明", loc),  # used
        Suppression("materials.copies", "", loc),  # used, by name, but no reason → GC02
        Suppression("CMP05", "电话已核实", loc),  # ran, silenced nothing → GC01
        Suppression("FLW05", "x", loc),  # did not run (--select) → not reported
        Suppression("XYZ99", "typo", loc),  # unknown → GC01
    ]
    ran = {"MAT01", "MAT02", "CMP05", "materials.catch-all", "materials.copies"}
    _g, out = _apply(
        sups,
        lambda g: [finding(g, RULES[0], "m", "其他材料", 5), finding(g, RULES[1], "m", "营业执照", 6)],
        ran=ran,
        known=ran | {"FLW05"},
    )
    assert [(f.rule_id, f.evidence) for f in out] == [
        ("GC02", "guidecheck-disable materials.copies"),
        ("GC01", "guidecheck-disable CMP05"),
        ("GC01", "guidecheck-disable XYZ99"),
    ]
    assert all(f.loc == loc and f.fingerprint for f in out)


def test_guide_file_suppressions_end_to_end(tmp_path: Path):
    text = (
        'item_name = "兽药经营许可证核发"\nitem_code = "X1"\n\n[[materials]]\nname = "其他相关材料"\n\n'
        '[[guidecheck-disable]]\nrule = "MAT01"\nreason = "已在附件逐项列明"\n\n'
        '[[guidecheck-disable]]\nrule = "TIM01"\nreason = "过期声明"\n'
    )
    g = parse_guide(text, tmp_path / "a.guide.toml")
    assert [s.rule_id for s in g.suppressions] == ["MAT01", "TIM01"]
    result = audit_guide(g, load_ruleset(), "en")
    ids = [f.rule_id for f in result.findings]
    assert "MAT01" not in ids
    unused = [f for f in result.findings if f.rule_id == "GC01"]
    assert len(unused) == 1 and "TIM01" in unused[0].message and unused[0].loc.line == 11


def test_comment_in_a_saved_page_is_honoured_by_check(tmp_path: Path):
    from guidecheck.api import check_paths

    page = tmp_path / "guide.md"
    body = (
        "# 兽药经营许可证核发\n\n事项名称：兽药经营许可证核发\n实施编码：X2\n"
        "申请材料：\n1. 其他相关材料\n\n"
        "<!-- guidecheck-disable MAT01 -- 已在附件逐项列明 -->\n<!-- guidecheck-disable FLW99 -->\n"
    )
    page.write_text(body, encoding="utf-8")
    result = check_paths([page], load_ruleset(), "zh")
    ids = [f.rule_id for f in result.findings]
    assert "MAT01" not in ids
    # FLW99 names no rule (GC01) and gives no reason (GC02); both point at line 9
    meta = sorted((f.rule_id, f.loc.line) for f in result.findings if f.rule_id.startswith("GC"))
    assert meta == [("GC01", 9), ("GC02", 9)]
    without = page.with_name("plain.md")
    without.write_text(body.split("<!--")[0], encoding="utf-8")
    assert "MAT01" in {f.rule_id for f in check_paths([without], load_ruleset(), "zh").findings}
