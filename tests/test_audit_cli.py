"""`guidecheck audit` and `guidecheck crawl` on the bundled sample portal, through the real HTTP path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidecheck import exitcodes
from guidecheck.cli import run_app


def test_audit_a_department_of_the_bundled_portal(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_app(["audit", "市规划和自然资源局", "--no-cache", "--format", "json", "--fail-on", "error"])
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["portal"].startswith("临江市政务服务网") and "http://127.0.0.1:" in report["portal"]
    assert "正在审核 临江市政务服务网" in out.err  # says which portal (Chinese by default)
    sources = {g["source"] for g in report["guides"]}
    assert len(sources) == 31 and all("/guide/ghzy/" in s for s in sources)
    assert "共 31 份指南：下载 31 份，来自缓存 0 份，失败 0 份，已审核 31 份" in out.err
    errors = [f for g in report["guides"] for f in g.get("findings", []) if f["severity"] == "error"]
    assert code == (exitcodes.FINDINGS if errors else exitcodes.OK)


def test_second_audit_reads_from_the_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "audit",
        "应急管理局",
        "--cache",
        str(tmp_path / "c.sqlite"),
        "--fail-on",
        "never",
        "--no-links",
        "--lang",
        "en",
    ]
    assert run_app(args) == exitcodes.OK
    first = capsys.readouterr()
    assert "15 guides: 15 fetched, 0 from cache" in first.err
    assert run_app(args) == exitcodes.OK
    second = capsys.readouterr()
    assert "15 guides: 0 fetched, 15 from cache" in second.err
    assert first.out.split("http://127.0.0.1:")[0] == second.out.split("http://127.0.0.1:")[0]


def test_text_report_lists_findings_per_guide_url(capsys: pytest.CaptureFixture[str]) -> None:
    run_app(["audit", "临江市应急管理局", "--no-cache", "--lang", "en"])
    out = capsys.readouterr().out
    assert "portal: 临江市政务服务网" in out
    assert "http://127.0.0.1:" in out and "/guide/yjgl/" in out


def test_unknown_department_exits_2_with_the_closest_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["audit", "市交通局运输", "--no-cache"]) == exitcodes.ERROR
    err = capsys.readouterr().err
    assert "no department named '市交通局运输'" in err and "临江市交通运输局" in err


def test_unreachable_portal_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["audit", "公安局", "--portal", "http://127.0.0.1:9/", "--no-cache", "--tries", "1"]) == 2
    assert "cannot connect to 127.0.0.1:9" in capsys.readouterr().err


def test_no_department_and_no_all_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["audit", "--no-cache"]) == exitcodes.ERROR


def test_crawl_saves_files_that_check_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "guides"
    assert run_app(["crawl", "水务局", "交通运输局", "--out", str(out), "--no-cache"]) == exitcodes.OK
    html_files, json_files = sorted(out.rglob("*.html")), sorted(out.rglob("*.json"))
    assert len(html_files) == 22 and len(json_files) == 38 + 1  # and the manifest, crawl.json
    assert len(json.loads((out / "crawl.json").read_text(encoding="utf-8"))["guides"]) == 60
    # 水务局 serves GBK without declaring it; the saved files are UTF-8 and say so.
    text = html_files[0].read_text(encoding="utf-8")
    assert "临江市水务局" in text and "gbk" not in text.lower()
    capsys.readouterr()
    code = run_app(["check", str(out), "--format", "json", "--fail-on", "never"])
    report = json.loads(capsys.readouterr().out)
    assert code == exitcodes.OK
    assert len(report["guides"]) == 60 and not [g for g in report["guides"] if g.get("error")]


def test_portal_given_as_a_profile_file_with_base_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from guidecheck.crawl.profile import PROFILES_DIR
    from guidecheck.crawl.sample_server import SamplePortalServer
    from tests.crawl_portal import build_portal

    root = build_portal(tmp_path / "portal")
    with SamplePortalServer(root) as server:
        text = (PROFILES_DIR / "sample.toml").read_text(encoding="utf-8")
        text = text.replace('name = "sample"', f'name = "my-city"\nbase_url = "{server.url}/"')
        profile = tmp_path / "my-city.toml"
        profile.write_text(text, encoding="utf-8")
        out = str(tmp_path / "out")
        code = run_app(["crawl", "公安局", "--portal", str(profile), "--out", out, "--no-cache", "--rate", "0"])
        assert code == exitcodes.OK
        assert len(list((tmp_path / "out" / "gaj").glob("*.html"))) == 5
        profile.write_text(text.replace(f'base_url = "{server.url}/"', ""), encoding="utf-8")
        capsys.readouterr()
        assert run_app(["crawl", "公安局", "--portal", str(profile), "--out", str(tmp_path / "o2")]) == 2
        assert "no [portal] base_url" in capsys.readouterr().err


def test_a_department_without_guides_is_an_error_not_a_clean_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from guidecheck.crawl.sample_server import SamplePortalServer
    from tests.crawl_portal import build_portal

    root = build_portal(tmp_path / "portal")
    for page in (root / "dept/ghzy").glob("items-*.html"):
        page.write_text("<html><body><ul id='item-list'></ul></body></html>", encoding="utf-8")
    with SamplePortalServer(root) as server:
        code = run_app(["audit", "规划和自然资源局", "--portal", server.url, "--no-cache", "--rate", "0"])
    assert code == exitcodes.ERROR
    assert "临江市规划和自然资源局: the portal lists no guides" in capsys.readouterr().err


def test_unwritable_default_cache_is_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert run_app(["crawl", "应急管理局", "--out", str(tmp_path / "out"), "--lang", "en"]) == exitcodes.OK
    assert "the default cache file could not be opened" in capsys.readouterr().err
    # A cache file the user names is another matter: that is an error.
    assert run_app(["crawl", "应急管理局", "--out", str(tmp_path / "o2"), "--cache", str(blocker / "c.sqlite")]) == 2
