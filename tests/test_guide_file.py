"""Guide files: reading (locations, errors), writing, and the convert round trip."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from guidecheck.api import audit_guide, collect_files
from guidecheck.engine import load_ruleset
from guidecheck.errors import InputError
from guidecheck.extract import extract_file
from guidecheck.guidefile import ELEMENTS, parse_guide, read_guide_file
from guidecheck.guidefile_writer import dumps, toml_string

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "fixtures" / "sample_portal" / "guide").rglob("*.html"))
REPO = ROOT / "fixtures" / "guide_repo"


def _elements(guide):
    return {
        "fields": {attr: getattr(guide, attr).text for attr in ELEMENTS.values() if getattr(guide, attr) is not None},
        "channels": guide.channels,
        "limits": (guide.legal_limit, guide.promised_limit),
        "visits": guide.visits,
        "materials": [
            (m.name, m.forms, m.copies, m.copies_raw, m.necessity, m.source, m.material_type, m.blank_form, m.sample)
            for m in guide.materials
        ],
        "steps": [
            (s.name, s.channel, s.actor, s.content, s.result, s.time_limit.days if s.time_limit else None)
            for s in guide.steps
        ],
        "flowcharts": [(c.title, c.text, c.file_name, c.channel) for c in guide.flowcharts],
        "faqs": [(q.question, q.answer) for q in guide.faqs],
        "extra": {k: v.text for k, v in guide.extra.items()},
    }


def _strip_locs(limits):
    return tuple(None if t is None else (t.raw, t.days, t.days_min, t.unit, t.immediate) for t in limits)


@pytest.mark.skipif(not PAGES, reason="sample portal pages not present")
def test_convert_round_trip_reads_the_same_elements_and_findings(tmp_path):
    ruleset = load_ruleset()
    checked = 0
    for page in PAGES[:40]:
        try:
            original = extract_file(page)
        except InputError:
            continue
        path = tmp_path / (page.stem + ".guide.toml")
        path.write_text(dumps(original, url=str(page)), encoding="utf-8")
        again = read_guide_file(path)
        a, b = _elements(original), _elements(again)
        a["limits"], b["limits"] = _strip_locs(a["limits"]), _strip_locs(b["limits"])
        if original.materials:  # the raw materials section is not repeated next to the [[materials]] tables
            a["fields"].pop("materials_text", None)
            b["fields"].pop("materials_text", None)
        assert b == a, page.name
        # and the rules see the same guide: same findings (rule and evidence), only the locations differ
        before = Counter((f.rule_id, f.evidence) for f in audit_guide(original, ruleset).findings)
        after = Counter((f.rule_id, f.evidence) for f in audit_guide(again, ruleset).findings)
        assert after == before, page.name
        checked += 1
    assert checked >= 10


def test_locations_are_file_and_line(tmp_path):
    text = (
        'guide-format = 1\nitem_name = "某事项"\nflow = """\n1. 受理：窗口受理\n2. 决定：作出决定\n"""\n\n'
        '[[materials]]\nname = "申请表"\n\n[[materials]]\nname = "其他材料"\n'
    )
    path = tmp_path / "x.guide.toml"
    guide = parse_guide(text, path)
    assert guide.item_name.loc.line == 2 and guide.item_name.loc.path == "item_name"
    assert [m.loc.line for m in guide.materials] == [9, 12]
    assert guide.materials[1].loc.path == "materials[1].name"
    # steps parsed from the flow text point at their own lines inside the multi-line string
    assert [(s.name, s.loc.line) for s in guide.steps] == [("受理", 4), ("决定", 5)]
    assert guide.materials_text is not None and "其他材料" in guide.materials_text.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('item_nam = "x"\n', r"x\.guide\.toml:1: unknown key 'item_nam'.*did you mean 'item_name'"),
        ('item_name = "x\n', r"x\.guide\.toml:1: TOML syntax error"),
        ("item_name = 3.5\nfee = true\n", r":2: 'fee' must be text"),
        ('item_name = "x"\n[[materials]]\nname = "a"\ncopies = "two"\nform = "原件"\n', r":5: unknown key 'form'"),
        ('item_name = "x"\n[[steps]]\nname = "a"\nchannel = "mail"\n', r":4: channel 'mail' is not known"),
        ("guide-format = 2\n", r"guide-format 2 is not supported"),
    ],
)
def test_errors_name_the_file_line_and_fix(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        parse_guide(text, tmp_path / "x.guide.toml")


def test_strings_survive_writing():
    import tomllib

    for value in ['a "quoted" \\ back', 'multi\nline """ with quotes"', "tab\tand\x01control", 'ends with "']:
        assert tomllib.loads(f"v = {toml_string(value)}")["v"].strip("\n") == value


def test_only_guide_toml_files_are_collected(tmp_path):
    (tmp_path / "guidecheck.toml").write_text('lang = "zh"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.guide.toml").write_text('item_name = "x"\n', encoding="utf-8")
    assert [p.name for p in collect_files([tmp_path])] == ["a.guide.toml"]


def test_a_guide_repository_inside_a_larger_folder_keeps_the_folders_pages(tmp_path):
    """Its README and baseline are not guides; saved pages beside the repository still are."""
    repo = tmp_path / "repo"
    (repo / "guides").mkdir(parents=True)
    (repo / "guides" / "a.guide.toml").write_text('item_name = "x"\n', encoding="utf-8")
    (repo / "README.md").write_text("# guides\n", encoding="utf-8")
    (repo / "guidecheck-baseline.json").write_text("{}", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "pages" / "notes.md").write_text("一、申请材料\n", encoding="utf-8")
    got = sorted(p.relative_to(tmp_path).as_posix() for p in collect_files([tmp_path]))
    assert got == ["pages/notes.md", "pages/p.html", "repo/guides/a.guide.toml"]


@pytest.mark.skipif(not PAGES, reason="sample portal pages not present")
def test_convert_command(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in PAGES[:3]:
        (pages / page.name).write_bytes(page.read_bytes())
    out = tmp_path / "repo"
    run = [sys.executable, "-m", "guidecheck", "convert", str(pages), "--out", str(out)]
    done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".guide.toml" for p in PAGES[:3])
    again = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 2 and "already exists" in again.stderr
    check = subprocess.run(
        [sys.executable, "-m", "guidecheck", "check", str(out), "--format", "json", "--no-config"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert check.returncode in (0, 1), check.stderr
    assert '"failed": 0' in check.stdout


def test_sample_repository_files_are_valid():
    files = sorted(REPO.glob("guides/*.guide.toml"))
    assert 5 <= len(files) <= 10
    for path in files:
        assert read_guide_file(path).item_name is not None


def test_schema_matches_the_reader():
    import json
    import tomllib

    import jsonschema

    schema = json.loads((ROOT / "docs" / "schemas" / "guide.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(REPO.glob("guides/*.guide.toml")):
        validator.validate(tomllib.loads(path.read_text("utf-8")))
    assert not validator.is_valid({"item_nam": "x"})
    assert not validator.is_valid({"materials": [{"name": "a", "form": "原件"}]})


def test_the_documented_example_reads(tmp_path):
    import re

    doc = (ROOT / "docs" / "guide-format.md").read_text("utf-8")
    example = re.search(r"```toml\n(.*?)```", doc, re.DOTALL).group(1)
    guide = parse_guide(example, tmp_path / "example.guide.toml")
    assert guide.item_name.text == "水产苗种生产许可（注销）"
    assert guide.channels == {"window", "online", "post"}
    assert guide.promised_limit.days == 5 and guide.legal_limit.days == 20
    assert [s.rule_id for s in guide.suppressions] == ["MAT07"]
    assert guide.materials[0].blank_form and guide.steps[0].time_limit.days == 1


def test_an_empty_guide_file_is_unreadable(tmp_path):
    with pytest.raises(InputError, match=r"no guide elements found .*item_name"):
        parse_guide("guide-format = 1\n# nothing yet\n", tmp_path / "x.guide.toml")
