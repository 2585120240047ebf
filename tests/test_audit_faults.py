"""Issue #3 §5 at the audit level: faults become per-guide errors, the audit goes on, the exit code is 3."""

from __future__ import annotations

import json

import pytest

from guidecheck import exitcodes
from guidecheck.cli import run_app
from guidecheck.crawl.navigate import Portal
from guidecheck.crawl.pipeline import audit_portal
from guidecheck.crawl.profile import load_profile
from guidecheck.engine import load_ruleset
from guidecheck.results import RunResult
from tests.faultserver import GBK_NAME, PRIVATE_FORM, FaultServer
from tests.test_crawl_faults import EXPECTED, fast_options


@pytest.fixture(scope="module")
def audited() -> RunResult:
    with FaultServer() as server:
        portal = Portal(server.url, load_profile("sample"), "fault server")
        result = audit_portal(portal, ["故障测试局"], load_ruleset(), options=fast_options(None))
        assert server.hits[PRIVATE_FORM] == 0  # robots.txt disallows it: never asked, not even by HEAD
        return result


def _by_name(result: RunResult) -> dict[str, object]:
    return {g.source.rsplit("/", 1)[-1].removesuffix(".html"): g for g in result.guides}


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_fetch_faults_are_errors_of_their_guide(audited: RunResult, fault: str) -> None:
    guide = _by_name(audited)[fault]
    assert guide.error == EXPECTED[fault] and guide.findings == [] and guide.department == "临江市故障测试局"


def test_robots_disallowed_guide_is_an_error(audited: RunResult) -> None:
    assert _by_name(audited)["secret"].error == "disallowed by robots.txt"


def test_gbk_page_without_charset_is_read_correctly(audited: RunResult) -> None:
    guide = _by_name(audited)["gbk"]
    assert guide.error is None and guide.guide is not None
    assert guide.guide.title == GBK_NAME


def test_javascript_filled_page_is_not_auditable_not_a_list_of_defects(audited: RunResult) -> None:
    guide = _by_name(audited)["js"]
    assert guide.error is not None and "not auditable" in guide.error
    assert guide.findings == []


def test_good_guides_are_audited_and_broken_form_links_reported(audited: RunResult) -> None:
    names = _by_name(audited)
    for name in ("ok", "flaky500", "gbk"):
        assert names[name].error is None
        mat10 = [f for f in names[name].findings if f.rule_id == "MAT10"]
        # The form under /private/ was not checked (robots.txt), so it is not reported as broken.
        assert [f.evidence for f in mat10] == ["/files/form-missing.docx"]
        assert PRIVATE_FORM not in names[name].guide.link_status
    assert audited.stats["audited"] == 3
    assert audited.stats["failed"] == len(EXPECTED) + 2  # + robots.txt + the JavaScript page


def test_cli_exit_code_says_incomplete(capsys: pytest.CaptureFixture[str]) -> None:
    with FaultServer() as server:
        code = run_app([
            "audit", "故障测试局", "--portal", server.url, "--no-cache", "--format", "json", "--quiet", "--lang", "en",
            "--timeout", "0.5", "--tries", "1", "--concurrency", "8", "--rate", "0", "--fail-on", "never",
        ])  # fmt: skip
    out = capsys.readouterr()
    assert code == exitcodes.INCOMPLETE
    report = json.loads(out.out)
    assert report["portal"] == server.url
    # --tries 1: the once-failing page fails too.
    assert "14 guides: 3 fetched, 0 from cache, 12 failed, 2 audited" in out.err
