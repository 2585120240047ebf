import json
from pathlib import Path

import jsonschema
import pytest

from guidecheck.config import Config, discover, find_config, key_line, load_config
from guidecheck.errors import ConfigError

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "config.schema.json").read_text("utf-8"))

GOOD = """\
select = ["CMP", "MAT"]
ignore = ["FLW05"]
fail-on = "warning"
lang = "en"
area-code = "020"
portal = "sample"
baseline = "b.json"

[severity]
MAT07 = "warning"
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_every_key(tmp_path):
    config = load_config(_write(tmp_path, "guidecheck.toml", GOOD))
    assert config.select == ["CMP", "MAT"] and config.ignore == ["FLW05"]
    assert (config.fail_on, config.lang, config.area_code, config.portal) == ("warning", "en", "020", "sample")
    assert config.severity == {"MAT07": "warning"}
    assert config.baseline == tmp_path / "b.json"


def test_pyproject_table_and_search_upward(tmp_path):
    _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.guidecheck]\nlang = "en"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    assert discover(deep).lang == "en"
    # guidecheck.toml in a nearer folder wins; a pyproject without [tool.guidecheck] is skipped
    _write(tmp_path / "a", "pyproject.toml", '[project]\nname = "y"\n')
    _write(tmp_path / "a" / "b", "guidecheck.toml", 'lang = "zh"\n')
    assert discover(deep).lang == "zh"
    assert discover(deep, enabled=False).lang is None


def test_search_stops_at_the_repository_root(tmp_path):
    _write(tmp_path, "guidecheck.toml", 'lang = "en"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "guides").mkdir()
    assert find_config(repo / "guides") is None


def test_relative_paths_and_missing_folders(tmp_path):
    (tmp_path / "myrules").mkdir()
    _write(tmp_path, "terms.toml", "[terms]\nx = []\n")
    config = load_config(_write(tmp_path, "guidecheck.toml", 'rules = ["myrules"]\nterms = ["terms.toml"]\n'))
    assert config.rules == [tmp_path / "myrules"] and config.terms == [tmp_path / "terms.toml"]
    with pytest.raises(ConfigError, match=r"guidecheck\.toml:1: 'rules': no such folder"):
        load_config(_write(tmp_path, "guidecheck.toml", 'rules = ["nowhere"]\n'))


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (
            'lang = "zh"\nfail_on = "error"\n',
            r"guidecheck\.toml:2: unknown key 'fail_on'\n  fix: did you mean 'fail-on'\?",
        ),
        (
            'select = "CMP"\nignore = [1, 2]\n',
            r":2: 'ignore' has the wrong type \(list\)\n  fix: 'ignore' takes a list",
        ),
        ('[severity]\nMAT01 = "warning"\nMAT07 = "fatal"\n', r":3: severity for MAT07 is 'fatal'\n  fix: use one of"),
        ('severity = { MAT07 = "loud" }\n', r":1: severity for MAT07"),
        ('fail-on = "sometimes"\n', r":1: 'fail-on' = 'sometimes' is not allowed\n  fix: use one of: error"),
        ('area-code = "20"\n', r":1: 'area-code' '20' is not a telephone area code"),
        ('lang = "zh\n', r":1: TOML syntax error"),
    ],
)
def test_errors_name_file_line_and_fix(tmp_path, text, pattern):
    with pytest.raises(ConfigError, match=pattern):
        load_config(_write(tmp_path, "guidecheck.toml", text))


def test_errors_in_pyproject_point_into_the_table(tmp_path):
    text = '[project]\nname = "x"\n\n[tool.guidecheck]\nlang = "fr"\n'
    with pytest.raises(ConfigError, match=r"pyproject\.toml:5: 'lang'"):
        load_config(_write(tmp_path, "pyproject.toml", text))


def test_unknown_rule_names_are_reported_with_the_line(tmp_path):
    config = load_config(_write(tmp_path, "guidecheck.toml", 'select = ["CMP"]\nignore = ["MAT99"]\n'))
    with pytest.raises(ConfigError, match=r":2: 'ignore' names an unknown rule or group 'MAT99'\n  fix: .*MAT0"):
        config.check_rule_names(["CMP", "MAT", "MAT01", "MAT02", "materials.catch-all"])
    config.select, config.ignore = ["materials"], []
    config.check_rule_names(["CMP", "MAT01", "materials.catch-all"])  # a name prefix is fine


def test_key_line_finds_nested_and_inline_keys():
    text = 'a = 1\n[tool.guidecheck]\nlang = "zh"\n\n[tool.guidecheck.severity]\nMAT07 = "x"\n'
    assert key_line(text, ("tool", "guidecheck", "lang")) == 3
    assert key_line(text, ("tool", "guidecheck", "severity", "MAT07")) == 6
    assert key_line('severity = { MAT07 = "x" }\n', ("severity", "MAT07")) == 1


def test_schema_accepts_the_sample_and_rejects_typos(tmp_path):
    import tomllib

    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    validator.validate(tomllib.loads(GOOD))
    sample = Path(__file__).parents[1] / "fixtures" / "guide_repo" / "guidecheck.toml"
    validator.validate(tomllib.loads(sample.read_text("utf-8")))
    assert not validator.is_valid({"fail_on": "error"})
    assert not validator.is_valid({"severity": {"MAT07": "loud"}})
    assert Config().select is None


def test_command_line_overrides_the_file(tmp_path, monkeypatch):
    from guidecheck.cli._options import CommonArgs, settings_for
    from guidecheck.findings import Severity

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    _write(tmp_path, "guidecheck.toml", GOOD)
    from_file = settings_for(CommonArgs(), tmp_path)
    assert (from_file.fmt, from_file.lang, from_file.fail_on) == ("text", "en", Severity.WARNING)
    assert from_file.select == ["CMP", "MAT"] and from_file.severity == {"MAT07": "warning"}
    assert from_file.area_code == "020" and from_file.baseline == tmp_path / "b.json"
    cli = settings_for(
        CommonArgs(
            lang="zh",
            fail_on="never",
            select=["TIM"],
            severity=["MAT07=info", "TIM01=warning"],
            output_sarif=Path("o.sarif"),
            also=["junit=j.xml"],
        ),
        tmp_path,
    )
    assert (cli.lang, cli.fail_on, cli.select, cli.ignore) == ("zh", None, ["TIM"], ["FLW05"])
    assert cli.severity == {"MAT07": "info", "TIM01": "warning"}
    assert cli.extra == {"sarif": Path("o.sarif"), "junit": Path("j.xml")}
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert settings_for(CommonArgs(no_config=True), tmp_path).fmt == "github"
    assert settings_for(CommonArgs(fmt="json", no_config=True), tmp_path).fmt == "json"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"severity": ["MAT07"]}, "ID=error"),
        ({"also": ["sarif"]}, "FORMAT=FILE"),
        ({"also": ["pdf=x"]}, "unknown format"),
    ],
)
def test_bad_command_line_values(tmp_path, args, message):
    import typer

    from guidecheck.cli._options import CommonArgs, settings_for
    from guidecheck.errors import GuidecheckError

    with pytest.raises((typer.BadParameter, GuidecheckError), match=message):
        settings_for(CommonArgs(no_config=True, **args), tmp_path)


def test_unknown_rule_in_the_file_is_reported_before_loading(tmp_path):
    from guidecheck.cli._options import CommonArgs, load_rules, settings_for

    _write(tmp_path, "guidecheck.toml", 'lang = "zh"\n\n[severity]\nMTA07 = "warning"\n')
    settings = settings_for(CommonArgs(), tmp_path)
    with pytest.raises(
        ConfigError, match=r"guidecheck\.toml:4: 'severity' names an unknown rule or group 'MTA07'\n.*MAT07"
    ):
        load_rules(settings)
    _write(tmp_path, "guidecheck.toml", 'area-code = "0736"\nignore = ["CON04"]\n')
    ruleset = load_rules(settings_for(CommonArgs(), tmp_path))
    assert "CON04" not in {r.id for r in ruleset.rules}
    phone = next(r for r in ruleset.rules if r.id == "CMP05")
    assert phone.params.get("area_code") == "0736"  # handed to the phone rule


def test_term_lists_from_the_file_reach_the_rules(tmp_path):
    from guidecheck.api import audit_guide
    from guidecheck.cli._options import CommonArgs, load_rules, settings_for
    from guidecheck.guidefile import parse_guide

    _write(tmp_path, "local-terms.toml", '[terms_extend]\ncatch_all = ["单位认为需要的材料"]\n')
    _write(tmp_path, "guidecheck.toml", 'terms = ["local-terms.toml"]\nselect = ["MAT01"]\n')
    guide = parse_guide('item_name = "x"\n[[materials]]\nname = "单位认为需要的材料"\n', tmp_path / "g.guide.toml")
    with_terms = audit_guide(guide, load_rules(settings_for(CommonArgs(), tmp_path)))
    assert [f.rule_id for f in with_terms.findings] == ["MAT01"]
    without = audit_guide(guide, load_rules(settings_for(CommonArgs(no_config=True, select=["MAT01"]), tmp_path)))
    assert without.findings == []


def test_config_of_the_working_directory_applies_to_a_folder_outside_it(tmp_path, monkeypatch) -> None:
    from guidecheck.config import discover

    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "guidecheck.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    elsewhere = tmp_path / "saved"
    elsewhere.mkdir()
    monkeypatch.chdir(project)
    assert discover(elsewhere).fail_on == "warning"


def test_an_unreadable_pyproject_found_on_the_way_up_is_reported_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # was: PermissionError escaped from find_config's fallback read (tests run as root: simulate the denial)
    (tmp_path / ".git").mkdir()
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.guidecheck]\nlang = "en"\n', encoding="utf-8")
    real = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self == pyproject:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    with pytest.raises(ConfigError, match="cannot read config file: Permission denied"):
        discover(tmp_path)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    # was: "TOML syntax error: Invalid statement" at line 1 (Notepad saves UTF-8 with a BOM)
    path = tmp_path / "guidecheck.toml"
    path.write_bytes(b'\xef\xbb\xbflang = "en"\n')
    assert load_config(path).lang == "en"
