from guidecheck.report import RenderOptions, render
from guidecheck.report.markdown_report import escape
from guidecheck.results import RunResult
from tests.format_samples import sample_result


def test_escape_makes_crawled_text_inert():
    assert escape("a | b <script>x</script>\n*c*") == r"a \| b &lt;script&gt;x&lt;/script&gt; \*c\*"


def test_summary_counts_rules_and_guides():
    result = sample_result()
    result.baseline = {"new": 4, "known": 2, "fixed": 1}
    md = render("markdown", result, RenderOptions(lang="zh"))
    assert md.startswith("## guidecheck 审核结果")
    assert "| 问题 | 4 |" in md and "| 错误 | 2 |" in md and "| 无法读取 | 1 |" in md
    assert "| 新增（相对基线） | 4 |" in md and "| 已修复 | 1 |" in md
    assert "| MAT01 | 兜底材料 | error | 申请材料明确 | 2 |" in md
    # the guide title with a pipe and HTML is escaped; no raw tag survives
    assert r"食品经营许可 \| &lt;b&gt;变更&lt;/b&gt;" in md
    assert "<script>" not in md and "<b>" not in md
    assert "TOML syntax error" in md
    # table rows keep their column count even with pipes in the text
    for row in (line for line in md.splitlines() if line.startswith("| MAT")):
        assert row.replace(r"\|", "").count("|") == 6


def test_clean_run():
    md = render("markdown", RunResult(lang="en"), RenderOptions(lang="en"))
    assert "No findings." in md


def test_fixed_findings_are_listed():
    result = sample_result()
    result.baseline = {
        "new": 0,
        "known": 4,
        "fixed": 1,
        "fixed_items": [{"fingerprint": "f", "rule": "TIM01", "guide": "1144A", "evidence": "40个工作日 | x"}],
    }
    md = render("markdown", result, RenderOptions(lang="en"))
    assert "### fixed" in md and "**TIM01** 1144A 「40个工作日 \\| x」" in md
