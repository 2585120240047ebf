from guidecheck.report import RenderOptions, render
from guidecheck.report.github_report import command, escape_data, escape_property
from tests.format_samples import sample_result


def test_escaping_follows_githubs_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert command("warning", "x", file="d/a,b.toml", line=3, title="T: 1") == (
        "::warning file=d/a%2Cb.toml,line=3,title=T%3A 1::x"
    )
    assert command("notice", "only") == "::notice::only"


def test_annotations_per_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    lines = render("github", sample_result(), RenderOptions()).splitlines()
    assert lines[0].startswith("::error file=guides/a.guide.toml,line=21,title=MAT01 materials.catch-all::")
    assert lines[1].startswith("::warning file=guides/a.guide.toml,line=15,")
    # info → notice; no line known → no line property; the newline inside the evidence is escaped
    assert lines[2].startswith("::notice file=guides/b.guide.toml,title=CMP05 completeness.phone::")
    assert "%0A" in lines[2] and "\n" not in lines[2]
    assert "100%25" in lines[3]
    assert lines[4].startswith("::error file=guides/broken.guide.toml,title=guidecheck%3A unreadable guide::")
    assert lines[-1].startswith("guidecheck: 4 guides, 4 findings (2 errors, 1 warning, 1 info), 1 unreadable")


def test_paths_are_relative_to_the_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    result = sample_result(base=str(tmp_path / "repo" / "guides"))
    first = render("github", result, RenderOptions()).splitlines()[0]
    assert first.startswith("::error file=repo/guides/a.guide.toml,line=21,")
