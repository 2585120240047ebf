"""crawl.json: `crawl --out DIR` records URL, department and link statuses; `check DIR` uses them.

The bundled sample portal is served on 127.0.0.1 and crawled through the real HTTP path. The smallest
department with a planted broken link (MAT10), and the smallest without one, keep it fast; both are read
from the portal's manifest, so regenerating the portal (which moves the plants) does not break the tests.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from guidecheck import exitcodes
from guidecheck.api import check_paths, collect_files
from guidecheck.cli import run_app
from guidecheck.crawl_manifest import (
    CrawledFile,
    CrawlFailure,
    CrawlManifest,
    merged,
    read_manifest,
    to_document,
    write_manifest,
)
from guidecheck.engine import load_ruleset
from guidecheck.errors import InputError
from guidecheck.resources import sample_portal_dir

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "crawl.schema.json").read_text("utf-8"))


def _departments() -> tuple[tuple[str, str, str, int], tuple[str, str, int]]:
    """(short name, code, full name, guides) of the smallest department with a planted MAT10, and
    (short name, code, guides) of the smallest without one."""
    portal = sample_portal_dir()
    site = json.loads((portal / "site.json").read_text("utf-8"))["departments"]
    planted = json.loads((portal / "manifest.json").read_text("utf-8"))["guides"].values()
    with_mat10 = {g["department"] for g in planted if "MAT10" in g["expected"]}
    by_size = sorted(site, key=lambda d: (d["guides"], d["code"]))
    dept = next(d for d in by_size if d["code"] in with_mat10)
    small = next(d for d in by_size if d["code"] not in with_mat10)
    short = lambda d: d["name"].removeprefix("临江市")  # noqa: E731
    return (short(dept), dept["code"], dept["name"], dept["guides"]), (short(small), small["code"], small["guides"])


(DEPT, CODE, NAME, GUIDES), (SMALL_DEPT, SMALL_CODE, SMALL_GUIDES) = _departments()


def _run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert run_app([*args, "--format", "json", "--fail-on", "never"]) == exitcodes.OK
    return json.loads(capsys.readouterr().out)


def _mat10(report: dict, url_of: dict[str, str] | None = None) -> set[tuple[str, str]]:
    """(guide URL path, evidence) of every MAT10 finding; `url_of` maps a checked file to its URL."""
    found = set()
    for guide in report["guides"]:
        url = url_of[guide["source"]] if url_of is not None else guide["source"]
        found |= {(urlsplit(url).path, f["evidence"]) for f in guide["findings"] if f["rule_id"] == "MAT10"}
    return found


def _urls(folder: Path) -> dict[str, str]:
    doc = json.loads((folder / "crawl.json").read_text("utf-8"))
    return {str(folder / g["file"]): g["url"] for g in doc["guides"]}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crawl") / "guides"
    assert run_app(["crawl", DEPT, "--out", str(out), "--no-cache", "--quiet"]) == exitcodes.OK
    return out


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict:
    report = tmp_path_factory.mktemp("audit") / "audit.json"
    args = ["audit", DEPT, "--no-cache", "--no-history", "--quiet", "--format", "json", "--fail-on", "never"]
    assert run_app([*args, "--output", str(report)]) == exitcodes.OK
    return json.loads(report.read_text("utf-8"))


def test_the_manifest_records_url_department_and_link_statuses(crawled: Path) -> None:
    doc = json.loads((crawled / "crawl.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert doc["portal"].startswith("临江市政务服务网") and "127.0.0.1" in doc["portal"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["crawled"]) and doc["guidecheck"]
    saved = sorted(p.relative_to(crawled).as_posix() for p in crawled.rglob("*.html"))
    assert [g["file"] for g in doc["guides"]] == saved and len(saved) == GUIDES
    assert {g["department"] for g in doc["guides"]} == {NAME} and doc["failures"] == []
    for g in doc["guides"]:
        assert f"/guide/{CODE}/" in g["url"] and Path(urlsplit(g["url"]).path).name == Path(g["file"]).name
        assert g["links"] and set(g["links"].values()) <= {"ok", "HTTP 404"}
    broken = [link for g in doc["guides"] for link, status in g["links"].items() if status != "ok"]
    assert broken  # the planted broken link


def test_check_of_the_crawled_folder_reports_mat10_as_audit_does(crawled: Path, audited: dict, capsys) -> None:
    report = _run_json(["check", str(crawled)], capsys)
    from_check = _mat10(report, _urls(crawled))
    from_audit = _mat10(audited)
    assert from_check == from_audit and from_audit
    planted = json.loads((sample_portal_dir() / "manifest.json").read_text("utf-8"))["guides"]
    expected = {path for path, g in planted.items() if g["department"] == CODE and "MAT10" in g["expected"]}
    assert {path for path, _ in from_check} == expected
    # The sources stay the local files (CI and editors open them); the department comes from the manifest.
    assert all(Path(g["source"]).is_file() for g in report["guides"])
    assert {g["department"] for g in report["guides"]} == {NAME}


def test_forked_workers_use_the_manifest_too(crawled: Path) -> None:
    one = check_paths([crawled], load_ruleset(), jobs=1)
    two = check_paths([crawled], load_ruleset(), jobs=2)
    assert [(f.rule_id, f.evidence) for f in one.findings] == [(f.rule_id, f.evidence) for f in two.findings]
    assert {g.department for g in two.guides} == {NAME}
    assert any(f.rule_id == "MAT10" for f in two.findings)


def test_a_manifest_above_the_checked_path_is_not_used(crawled: Path) -> None:
    ruleset = load_ruleset()
    below = check_paths([crawled / CODE], ruleset)
    assert {g.department for g in below.guides} == {""}
    assert not [f for f in below.findings if f.rule_id == "MAT10"]
    assert crawled / "crawl.json" not in collect_files([crawled])  # the manifest is not a guide


def test_crawling_another_department_into_the_folder_merges(crawled: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "guides"
    shutil.copytree(crawled, out)
    before = json.loads((out / "crawl.json").read_text("utf-8"))
    code = run_app(["crawl", SMALL_DEPT, "--out", str(out), "--no-cache", "--no-links", "--quiet"])
    assert code == exitcodes.OK
    doc = json.loads((out / "crawl.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    by_file = {g["file"]: g for g in doc["guides"]}
    assert len(by_file) == GUIDES + SMALL_GUIDES
    assert all(by_file[g["file"]] == g for g in before["guides"])  # the first department's entries are untouched
    added = [g for name, g in by_file.items() if name.startswith(f"{SMALL_CODE}/")]
    assert len(added) == SMALL_GUIDES and all("links" not in g for g in added)  # --no-links: no statuses
    after_merge = _mat10(_run_json(["check", str(out)], capsys), _urls(out))
    assert after_merge == _mat10(_run_json(["check", str(crawled)], capsys), _urls(crawled)) and after_merge

    # Crawled again with links: its entries are replaced, the others kept.
    assert run_app(["crawl", SMALL_DEPT, "--out", str(out), "--no-cache", "--quiet"]) == exitcodes.OK
    again = {g["file"]: g for g in json.loads((out / "crawl.json").read_text("utf-8"))["guides"]}
    assert set(again) == set(by_file)
    assert all(again[name].get("links") for name in again if name.startswith(f"{SMALL_CODE}/"))


def test_crawl_no_links_leaves_mat10_silent(tmp_path: Path, capsys) -> None:
    out = tmp_path / "guides"
    assert run_app(["crawl", DEPT, "--out", str(out), "--no-cache", "--no-links", "--quiet"]) == exitcodes.OK
    assert "检查链接" not in capsys.readouterr().err  # no links were checked
    doc = json.loads((out / "crawl.json").read_text("utf-8"))
    assert len(doc["guides"]) == GUIDES and all("links" not in g for g in doc["guides"])
    report = _run_json(["check", str(out)], capsys)
    assert not _mat10(report, _urls(out)) and {g["department"] for g in report["guides"]} == {NAME}


# -- broken and foreign manifests -------------------------------------------------------------------

BROKEN = {
    "not JSON": ("{guides: [", "not JSON"),
    "foreign": ('{"pages": []}', 'no "format": "guidecheck-crawl"'),
    "a list": ("[]", 'no "format": "guidecheck-crawl"'),
    "newer": ('{"format": "guidecheck-crawl", "format_version": 9}', "format_version 9"),
    "guides not a list": (
        '{"format": "guidecheck-crawl", "format_version": 1, "guides": {}}',
        "guides: expected a list",
    ),
    "no url": (
        '{"format": "guidecheck-crawl", "format_version": 1, "guides": [{"file": "a.html", "department": "x"}]}',
        "guides[0].url: missing",
    ),
    "bad links": (
        '{"format": "guidecheck-crawl", "format_version": 1, "guides": '
        '[{"file": "a.html", "url": "u", "department": "x", "links": {"/f.doc": 404}}]}',
        "guides[0].links: expected an object",
    ),
}


def _page(folder: Path) -> Path:
    page = folder / "dept" / "a.html"
    page.parent.mkdir(parents=True)
    page.write_bytes((ROOT / "fixtures" / "pages" / "gdzwfw_yiliao_feiwu.html").read_bytes())
    return page


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_manifest_is_one_clear_line_and_exit_2(case: str, tmp_path: Path, capsys) -> None:
    text, expected = BROKEN[case]
    _page(tmp_path)
    (tmp_path / "crawl.json").write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert run_app(["check", str(tmp_path)]) == exitcodes.ERROR
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(tmp_path / "crawl.json") in err and expected in err


def test_crawl_into_a_folder_with_a_broken_manifest_stops_before_crawling(tmp_path: Path, capsys) -> None:
    (tmp_path / "crawl.json").write_text("not json", encoding="utf-8")
    assert run_app(["crawl", SMALL_DEPT, "--out", str(tmp_path), "--no-cache", "--quiet"]) == exitcodes.ERROR
    err = capsys.readouterr().err
    assert f"{tmp_path / 'crawl.json'}: not a guidecheck crawl manifest: not JSON" in err
    assert (tmp_path / "crawl.json").read_text("utf-8") == "not json" and not (tmp_path / SMALL_CODE).exists()


def test_crawl_into_a_folder_whose_crawl_json_is_a_folder_stops_before_crawling(tmp_path: Path, capsys) -> None:
    # was: crawled and saved every page, then failed to write the manifest and left crawl.json.partial behind
    (tmp_path / "crawl.json").mkdir()
    assert run_app(["crawl", SMALL_DEPT, "--out", str(tmp_path), "--no-cache", "--quiet"]) == exitcodes.ERROR
    assert f"{tmp_path / 'crawl.json'}: is a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.json"]


def test_a_manifest_that_cannot_be_written_leaves_no_partial_file(tmp_path: Path) -> None:
    (tmp_path / "crawl.json").mkdir()
    with pytest.raises(InputError, match="cannot write"):
        write_manifest(tmp_path / "crawl.json", CrawlManifest("p", "2025-01-01T00:00:00Z", "0"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.json"]


def test_an_entry_for_a_missing_file_is_ignored(tmp_path: Path) -> None:
    page = _page(tmp_path)
    entries = {
        "dept/a.html": CrawledFile("dept/a.html", "https://p.example/a.html", "某局", "2025-01-01T00:00:00Z", {}),
        "dept/gone.html": CrawledFile("dept/gone.html", "https://p.example/g.html", "某局", "2025-01-01T00:00:00Z"),
    }
    write_manifest(tmp_path / "crawl.json", CrawlManifest("p", "2025-01-01T00:00:00Z", "0", entries))
    result = check_paths([tmp_path], load_ruleset())
    assert [g.source for g in result.guides] == [str(page)] and result.guides[0].department == "某局"


# -- the manifest module ----------------------------------------------------------------------------


def _entry(file: str, dept: str, links: dict[str, str] | None = None) -> CrawledFile:
    return CrawledFile(file, f"https://p.example/{file}", dept, "2025-01-01T00:00:00Z", links)


def test_merge_replaces_resaved_entries_and_the_recrawled_departments_failures() -> None:
    old = CrawlManifest(
        "old portal",
        "2025-01-01T00:00:00Z",
        "0",
        {"a/1.html": _entry("a/1.html", "A", {"x": "HTTP 404"}), "b/1.html": _entry("b/1.html", "B")},
        [CrawlFailure("u-a", "A", "timeout", ""), CrawlFailure("u-b", "B", "timeout", "")],
    )
    new = CrawlManifest("new portal", "2025-02-01T00:00:00Z", "1", {"a/1.html": _entry("a/1.html", "A", {"x": "ok"})})
    got = merged(old, new, ["A"])
    assert got.portal == "new portal" and got.crawled == "2025-02-01T00:00:00Z"
    assert got.guides["a/1.html"].links == {"x": "ok"} and got.guides["b/1.html"] == old.guides["b/1.html"]
    assert got.failures == [CrawlFailure("u-b", "B", "timeout", "")]


def test_write_then_read_round_trips_and_is_stable(tmp_path: Path) -> None:
    manifest = CrawlManifest(
        "p",
        "2025-01-01T00:00:00Z",
        "0",
        {"b/2.html": _entry("b/2.html", "B"), "a/1.html": _entry("a/1.html", "A", {"z": "ok", "y": "HTTP 404"})},
        [CrawlFailure("u", "A", "HTTP 500", "2025-01-01T00:00:00Z")],
    )
    path = tmp_path / "crawl.json"
    write_manifest(path, manifest)
    first = path.read_bytes()
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(first))
    assert [g["file"] for g in json.loads(first)["guides"]] == ["a/1.html", "b/2.html"]
    again = read_manifest(path)
    assert to_document(again) == to_document(manifest)
    write_manifest(path, again)
    assert path.read_bytes() == first


def test_read_manifest_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "crawl.json"
    path.write_bytes('{"format": "中"}'.encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_manifest(path)
