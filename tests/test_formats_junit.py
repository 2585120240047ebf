import xml.etree.ElementTree as ET
from dataclasses import replace

from guidecheck.findings import Severity
from guidecheck.report import RenderOptions, render
from tests.format_samples import sample_result


def _parse(fail_on=Severity.ERROR):
    return ET.fromstring(render("junit", sample_result(), RenderOptions(fail_on=fail_on)).encode("utf-8"))


def test_one_suite_per_guide_and_a_case_per_rule():
    root = _parse()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "guides/a.guide.toml",
        "guides/b.guide.toml",
        "guides/c.guide.toml",
        "guides/broken.guide.toml",
    ]
    # three rules ran on each readable guide; the unreadable one has one case
    assert [len(s.findall("testcase")) for s in suites] == [3, 3, 3, 1]
    assert root.get("tests") == "10"


def test_failures_follow_the_fail_on_threshold():
    root = _parse(Severity.ERROR)
    a, b, c, _broken = root.findall("testsuite")
    # only MAT01 (error) fails; MAT02 (warning) and CMP05 (info) are shown in system-out
    assert [s.get("failures") for s in (a, b, c)] == ["1", "1", "0"]
    assert root.get("failures") == "2"
    cases = {case.get("name"): case for case in a.findall("testcase")}
    failure = cases["MAT01 materials.catch-all"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert "其他相关材料" in failure.text and "line 21" in failure.text
    assert cases["MAT02 materials.copies"].find("failure") is None
    assert "材料未写份数" in cases["MAT02 materials.copies"].find("system-out").text
    assert all(case.find("failure") is None for case in c.findall("testcase"))

    stricter = _parse(Severity.INFO)
    assert stricter.get("failures") == "4"


def test_unreadable_guides_are_errors():
    root = _parse()
    broken = root.findall("testsuite")[3]
    error = broken.find("testcase/error")
    assert error is not None and "TOML syntax error" in error.get("message")
    assert root.get("errors") == "1"


def test_control_characters_in_crawled_text_stay_parseable():
    result = sample_result()
    g = result.guides[0]
    g.findings[0] = replace(g.findings[0], message="bad\x07char")
    ET.fromstring(render("junit", result, RenderOptions()).encode("utf-8"))
