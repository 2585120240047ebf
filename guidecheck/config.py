"""Project configuration: `guidecheck.toml`, or `[tool.guidecheck]` in `pyproject.toml`.

Discovery (`find_config`): starting from a folder (the `check` paths' common folder, else the working
directory; when the checked folder has none, the working directory is searched too), look in it and
each parent for `guidecheck.toml`, then for a `pyproject.toml` that has a
`[tool.guidecheck]` table (one without it is skipped). The search stops at the first folder holding a
`.git` entry (the repository root: a config above the repository is not the project's) or at the
filesystem root. `--config FILE` names the file; `--no-config` skips the search.

Keys (schema: docs/schemas/config.schema.json):

    select = ["CMP", "MAT"]          # rules or groups to run (ids, names, aliases, groups, facets)
    ignore = ["FLW05"]               # rules or groups to skip
    fail-on = "warning"              # error | warning | info | never
    lang = "zh"                      # zh | en
    rules = ["guidecheck-rules"]     # extra rule folders, relative to this file
    terms = ["terms/local.toml"]     # extra term-list files ([terms] / [terms_extend]), relative
    area-code = "020"                # the local telephone area code (phone rule CMP05)
    portal = "sample"                # portal profile for `audit`
    baseline = "guidecheck-baseline.json"   # baseline file, relative to this file

    [severity]                       # per-rule severity overrides
    MAT07 = "warning"

Values given on the command line replace the file's (lists included). Every error names the file, the
line and the fix.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process

from guidecheck import tomlfile
from guidecheck.errors import ConfigError

CONFIG_NAME = "guidecheck.toml"
PYPROJECT_NAME = "pyproject.toml"

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("zh", "en")
AREA_CODE = re.compile(r"^0\d{2,3}$")

KEYS: dict[str, str] = {
    "select": 'a list of rule ids or groups, e.g. ["CMP", "MAT01"]',
    "ignore": 'a list of rule ids or groups, e.g. ["FLW05"]',
    "severity": 'a table of rule id = "error" | "warning" | "info"',
    "fail-on": 'one of "error", "warning", "info", "never"',
    "lang": '"zh" or "en"',
    "rules": "a list of folders, relative to the config file",
    "terms": "a list of term-list files, relative to the config file",
    "area-code": 'a telephone area code such as "020" or "0755"',
    "portal": "a portal profile name or URL",
    "baseline": "a baseline file path, relative to the config file",
}
"""Every key the file may hold, with the shape it takes (used in error messages)."""


@dataclass(slots=True)
class Config:
    file: Path | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    lang: str | None = None
    rules: list[Path] = field(default_factory=list)
    terms: list[Path] = field(default_factory=list)
    area_code: str | None = None
    portal: str | None = None
    baseline: Path | None = None
    _text: str = ""
    _table: tuple[str, ...] = ()

    def line_of(self, *key: str) -> int | None:
        """The line where `key` (a path below the config table) is written, for error messages."""
        return key_line(self._text, (*self._table, *key)) if self._text else None

    def error(self, message: str, *key: str, fix: str = "") -> ConfigError:
        return ConfigError(str(self.file or "<config>"), message, line=self.line_of(*key), fix=fix)

    def check_rule_names(self, known: Iterable[str], closest: Callable[[str], list[str]] | None = None) -> None:
        """Raise a ConfigError for a select/ignore/severity entry that names no rule or group."""
        keys = {k.lower() for k in known} | {"all", "*"}
        for option in ("select", "ignore"):
            for token in getattr(self, option) or []:
                if token.lower() not in keys and not any(k.startswith(token.lower() + ".") for k in keys):
                    raise self._unknown_rule(option, token, (option,), known, closest)
        for token in self.severity:
            if token.lower() not in keys:
                raise self._unknown_rule("severity", token, ("severity", token), known, closest)

    def _unknown_rule(
        self,
        option: str,
        token: str,
        key: tuple[str, ...],
        known: Iterable[str],
        closest: Callable[[str], list[str]] | None,
    ) -> ConfigError:
        near = closest(token) if closest else [m for m, _s, _i in process.extract(token, list(known), limit=3)]
        fix = f"use a known rule or group, e.g. {', '.join(near)}" if near else "run `guidecheck rules` for the ids"
        return self.error(f"'{option}' names an unknown rule or group {token!r}", *key, fix=fix)


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=""")


def _split_key(raw: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_\-]+)', raw)
    return tuple(a or b or c for a, b, c in parts)


def key_line(text: str, path: tuple[str, ...]) -> int | None:
    """The 1-based line of the TOML key `path` (table headers, dotted and inline keys), or None."""
    table: tuple[str, ...] = ()
    best: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _split_key(header.group(1))
            if table == path:
                best = best or number
            continue
        match = _KEY.match(line)
        if not match:
            continue
        full = table + _split_key(match.group(1))
        if full == path:
            return number
        # an inline table: `severity = { MAT07 = "warning" }` holds `severity.MAT07`
        if path[: len(full)] == full and len(path) > len(full) and re.search(rf"\b{re.escape(path[-1])}\b", line):
            return number
        if best is None and path[: len(full)] == full:
            best = number
    return best


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start`, up to the repository root (see module docs)."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT_NAME
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        # broken: it is ours (and load_config says what is wrong) only if it mentions our table
        return "[tool.guidecheck" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:  # unreadable: load_config reports it rather than the project's config being ignored
        return True
    return isinstance(data.get("tool"), dict) and "guidecheck" in data["tool"]


def load_config(path: Path) -> Config:
    """Read and validate a config file; raise ConfigError naming the file, line and fix."""
    name = str(path)
    try:
        text, data = tomlfile.read(path, "config file")
    except tomlfile.TomlFileError as err:
        fix = "check the --config path" if err.reason.startswith("no such") else err.fix
        raise ConfigError(name, err.reason, line=err.line, fix=fix) from None
    table: tuple[str, ...] = ()
    if path.name == PYPROJECT_NAME:
        table = ("tool", "guidecheck")
        tool = data.get("tool", {})
        data = tool.get("guidecheck", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(name, "[tool.guidecheck] must be a table", line=key_line(text, table))
    config = Config(file=path, _text=text, _table=table)
    _fill(config, data, path.parent)
    return config


def _fill(config: Config, data: Mapping[str, Any], base: Path) -> None:
    for key, value in data.items():
        if key not in KEYS:
            near = process.extractOne(key, list(KEYS), score_cutoff=60)
            fix = f"did you mean '{near[0]}'?" if near else f"known keys: {', '.join(KEYS)}"
            raise config.error(f"unknown key '{key}'", key, fix=fix)
        if key in ("select", "ignore"):
            setattr(config, key, _str_list(config, key, value))
        elif key in ("rules", "terms"):
            paths = [base / p for p in _str_list(config, key, value)]
            for path in paths:
                wanted_dir = key == "rules"
                if not (path.is_dir() if wanted_dir else path.is_file()):
                    kind = "folder" if wanted_dir else "file"
                    raise config.error(
                        f"'{key}': no such {kind} {path}", key, fix=f"paths are relative to {base or '.'}"
                    )
            setattr(config, key, paths)
        elif key == "severity":
            config.severity = _severity_table(config, value)
        elif key == "fail-on":
            config.fail_on = _choice(config, key, value, FAIL_ON)
        elif key == "lang":
            config.lang = _choice(config, key, value, LANGS)
        elif key == "area-code":
            code = _string(config, key, value).strip()
            if not AREA_CODE.match(code):
                raise config.error(
                    f"'area-code' {code!r} is not a telephone area code", key, fix='write it with the leading 0: "020"'
                )
            config.area_code = code
        elif key == "portal":
            config.portal = _string(config, key, value)
        elif key == "baseline":
            config.baseline = base / _string(config, key, value)


def _type_error(config: Config, key: str, value: object) -> ConfigError:
    got = type(value).__name__
    return config.error(f"'{key}' has the wrong type ({got})", key, fix=f"'{key}' takes {KEYS[key]}")


def _string(config: Config, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _type_error(config, key, value)
    return value


def _str_list(config: Config, key: str, value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _type_error(config, key, value)
    return [v.strip() for v in value if v.strip()]


def _choice(config: Config, key: str, value: object, choices: tuple[str, ...]) -> str:
    text = _string(config, key, value).strip().lower()
    if text not in choices:
        raise config.error(f"'{key}' = {value!r} is not allowed", key, fix=f"use one of: {', '.join(choices)}")
    return text


def _severity_table(config: Config, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _type_error(config, "severity", value)
    table: dict[str, str] = {}
    for rule, level in value.items():
        if not isinstance(level, str) or level.strip().lower() not in SEVERITIES:
            raise config.error(
                f"severity for {rule} is {level!r}", "severity", rule, fix=f"use one of: {', '.join(SEVERITIES)}"
            )
        table[rule] = level.strip().lower()
    return table


def discover(start: Path, explicit: Path | None = None, *, enabled: bool = True) -> Config:
    """The config for a run: `explicit` (--config), else the nearest file above `start`, else defaults."""
    if explicit is not None:
        return load_config(explicit)
    if not enabled:
        return Config()
    found = find_config(start)
    if found is None and start.resolve() != Path.cwd().resolve():
        found = find_config(Path.cwd())  # the project the command runs in
    return load_config(found) if found else Config()
