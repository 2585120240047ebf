"""Shape checks of the bundled sample portal: the files the crawler and the accuracy test rely on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from guidecheck.resources import sample_portal_dir

PORTAL = sample_portal_dir()
GENERATOR = Path(__file__).resolve().parents[1] / "fixtures" / "generate_sample_portal.py"
CATALOGUE_RULES = (
    [f"CMP0{i}" for i in range(1, 8)]
    + [f"TIM0{i}" for i in range(1, 6)]
    + [f"MAT{i:02d}" for i in range(1, 11)]
    + [f"FLW0{i}" for i in range(1, 7)]
    + [f"CON0{i}" for i in range(1, 8)]
)


def load(name: str) -> dict:
    return json.loads((PORTAL / name).read_text(encoding="utf-8"))


def on_disk(path: str) -> Path:
    return PORTAL / path.lstrip("/")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return load("manifest.json")


@pytest.fixture(scope="module")
def site() -> dict:
    return load("site.json")


def test_departments_and_guides_counts(manifest: dict, site: dict) -> None:
    assert len(site["departments"]) >= 12
    assert len(manifest["guides"]) >= 400
    codes = {d["code"] for d in site["departments"]}
    assert {g["department"] for g in manifest["guides"].values()} == codes


def test_at_least_half_the_guides_are_clean(manifest: dict) -> None:
    clean = [u for u, g in manifest["guides"].items() if not g["expected"]]
    assert len(clean) >= len(manifest["guides"]) / 2


def test_every_rule_is_planted_several_times_over_several_departments(manifest: dict) -> None:
    assert set(CATALOGUE_RULES) <= set(manifest["rules"])
    for rule in manifest["rules"]:
        hits = [g for g in manifest["guides"].values() if rule in g["expected"]]
        assert len(hits) >= 5, rule
        assert len({g["department"] for g in hits}) >= 3, rule


def test_every_manifest_path_exists(manifest: dict) -> None:
    missing = [u for u in manifest["guides"] if not on_disk(u).is_file()]
    assert not missing


def test_robots_sitemap_index_admin() -> None:
    robots = (PORTAL / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Disallow: /admin/" in robots and "Sitemap: /sitemap.xml" in robots
    assert (PORTAL / "admin" / "index.html").is_file()
    index = lxml_html.fromstring((PORTAL / "index.html").read_bytes())
    assert "/departments.html" in index.xpath("//a/@href")
    locs = re.findall(r"<loc>([^<]+)</loc>", (PORTAL / "sitemap.xml").read_text(encoding="utf-8"))
    assert "/departments.html" in locs
    assert all(on_disk(loc).is_file() for loc in locs)


def test_sitemap_lists_every_guide(manifest: dict) -> None:
    locs = set(re.findall(r"<loc>([^<]+)</loc>", (PORTAL / "sitemap.xml").read_text(encoding="utf-8")))
    assert set(manifest["guides"]) <= locs


def test_department_list_links_first_list_page(site: dict) -> None:
    doc = lxml_html.fromstring((PORTAL / "departments.html").read_bytes())
    links = {
        a.get("data-code"): (a.get("href"), a.text_content())
        for a in doc.xpath('//ul[@id="dept-list"]//a[@class="dept"]')
    }
    assert set(links) == {d["code"] for d in site["departments"]}
    for dept in site["departments"]:
        href, name = links[dept["code"]]
        assert href == dept["list"] and name == dept["name"] and name.startswith("临江市")
        assert on_disk(href).is_file()


def _html_text(path: Path, encoding: str) -> str:
    return path.read_bytes().decode(encoding)


def test_html_item_lists_paginate_and_link_every_guide(site: dict, manifest: dict) -> None:
    for dept in (d for d in site["departments"] if d["template"] != "json"):
        encoding = "gbk" if dept["encoding"].startswith("gbk") else "utf-8"
        page, seen = dept["list"], []
        while page:
            doc = lxml_html.fromstring(_html_text(on_disk(page), encoding))
            items = doc.xpath('//ul[@id="item-list"]/li/a[@class="item"]')
            assert 0 < len(items) <= 20
            seen += [a.get("href") for a in items]
            nxt = doc.xpath('//a[@class="next"]/@href')
            page = nxt[0] if nxt else None
        expected = {u for u, g in manifest["guides"].items() if g["department"] == dept["code"]}
        assert set(seen) == expected and len(seen) == dept["guides"]


def test_json_department_lists_and_records(site: dict, manifest: dict) -> None:
    json_depts = [d for d in site["departments"] if d["template"] == "json"]
    assert json_depts
    for dept in json_depts:
        n, codes = 1, []
        while True:
            doc = json.loads(on_disk(f"/api/dept/{dept['code']}/items-{n}.json").read_text(encoding="utf-8"))
            info = doc["CUSTOM"]["PAGEINFO"]
            assert info["CURRENTPAGEINDEX"] == n and info["PAGESIZE"] == 20
            codes += [i["TASK_CODE"] for i in doc["CUSTOM"]["AUDIT_ITEMLIST"]]
            if n * 20 >= info["TOTALNUM"]:
                break
            n += 1
        assert len(codes) == info["TOTALNUM"] == dept["guides"]
        for code in codes:
            record = json.loads(on_disk(f"/api/guide/{code}.json").read_text(encoding="utf-8"))
            assert record["AUDIT_ITEM"]["TASK_CODE"] == code
            assert {"CKBLLC", "WSBLLC", "PROMISE_DAY", "ANTICIPATE_DAY"} <= set(record["AUDIT_ITEM"])
            for m in record["AUDIT_MATERIAL"]:
                assert {"PAGE_NUM", "PAGE_COPYNUM", "FORM_GUID", "EXAMPLE_GUID"} <= set(m)
        assert f"/api/guide/{codes[0]}.json" in manifest["guides"]


def test_gbk_departments_are_really_gbk(site: dict) -> None:
    gbk = [d for d in site["departments"] if d["encoding"].startswith("gbk")]
    assert {d["encoding"] for d in gbk} == {"gbk", "gbk-undeclared"}
    for dept in gbk:
        files = list(on_disk(f"/guide/{dept['code']}/").glob("*.html")) + list(
            on_disk(f"/dept/{dept['code']}/").glob("*.html")
        )
        assert files
        for path in files:
            raw = path.read_bytes()
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
            text = raw.decode("gbk")
            assert "临江市" in text
            declared = re.search(rb"charset=[\"']?([\w-]+)", raw)
            if dept["encoding"] == "gbk":
                assert declared and declared.group(1).lower() == b"gbk"
            else:
                assert declared is None
        assert any(p.startswith(f"/guide/{dept['code']}/") for p in site["gbk_paths_prefixes"])


def test_guide_pages_parse_with_their_template(site: dict, manifest: dict) -> None:
    templates = {d["code"]: d for d in site["departments"]}
    for url, entry in manifest["guides"].items():
        dept = templates[entry["department"]]
        if dept["template"] == "json":
            continue
        encoding = "gbk" if dept["encoding"].startswith("gbk") else "utf-8"
        doc = lxml_html.fromstring(_html_text(on_disk(url), encoding))
        if dept["template"] == "gdzwfw":
            assert {"基本信息", "受理标准", "办理流程", "申请材料", "咨询监督", "窗口办理", "收费项目信息"} <= {
                h.text_content().strip() for h in doc.xpath("//h2")
            }
            assert doc.xpath('//table[@class="materials"]/thead//th')
        else:
            assert doc.xpath('//div[@class="jbxx_tables"]//dl/dt')
            assert doc.xpath('//table[@id="sbcl"]/thead//th')
        assert entry["name"] in doc.text_content()


def test_material_table_columns_vary_between_departments(site: dict, manifest: dict) -> None:
    headers = set()
    for dept in site["departments"]:
        if dept["template"] == "json":
            continue
        url = next(u for u, g in manifest["guides"].items() if g["department"] == dept["code"])
        encoding = "gbk" if dept["encoding"].startswith("gbk") else "utf-8"
        doc = lxml_html.fromstring(_html_text(on_disk(url), encoding))
        cols = tuple(
            th.text_content().strip() for th in doc.xpath("//table[@id='sbcl' or @class='materials']/thead//th")
        )
        headers.add(cols)
    assert len(headers) >= 3


def test_some_form_links_are_broken_on_purpose(manifest: dict) -> None:
    broken = [u for u, g in manifest["guides"].items() if "MAT10" in g["expected"]]
    assert broken
    for url in broken:
        text = on_disk(url).read_bytes()
        hrefs = re.findall(rb'(?:href="|"FILEPATH": ")(/files/[^"]+)"', text)
        assert any(not on_disk(h.decode()).is_file() for h in hrefs), url


def test_attachments_resolve_except_the_broken_ones(manifest: dict) -> None:
    """Forms, samples, flowcharts and result samples are on disk, except the links MAT10 plants."""
    mat10 = {u for u, g in manifest["guides"].items() if "MAT10" in g["expected"]}
    for url in manifest["guides"]:
        hrefs = {
            h.decode() for h in re.findall(rb'(?:href="|src="|"FILEPATH": ")(/files/[^"]+)"', on_disk(url).read_bytes())
        }
        assert hrefs, url
        missing = sorted(h for h in hrefs if not on_disk(h).is_file())
        if url in mat10:
            assert len(missing) == 1 and re.search(r"/m\d+-(blank|sample)\.", missing[0]), (url, missing)
        else:
            assert not missing, (url, missing)


def test_real_defects_of_the_domain_notes_are_planted(manifest: dict) -> None:
    by_name = {(g["department"], g["name"]): g for g in manifest["guides"].values()}
    assert "CON01" in by_name[("ghzy", "测量标志拆迁审批")]["expected"]
    assert {"CON03", "FLW02"} <= set(by_name[("nync", "兽药经营许可")]["expected"])
    assert by_name[("sthj", "医疗废物经营许可证核发")]["expected"] == []


def test_generator_is_deterministic(tmp_path: Path) -> None:
    out = tmp_path / "portal"
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True, capture_output=True)
    ours = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bundled = {p.relative_to(PORTAL).as_posix(): p.read_bytes() for p in PORTAL.rglob("*") if p.is_file()}
    assert sorted(ours) == sorted(bundled), "file lists differ: run python fixtures/generate_sample_portal.py"
    differing = sorted(name for name in ours if ours[name] != bundled[name])
    assert not differing, f"{len(differing)} files differ (e.g. {differing[:3]}): regenerate the portal"
