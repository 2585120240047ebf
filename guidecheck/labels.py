"""Label synonyms as data: which page label means which guide element.

The synonyms live in `rules/labels.toml` (see the comments there); users may add their own files.
`Labels` answers the extractor's questions in O(1): what element does this label name, is this heading a
section, which material/step column is this header. Labels are compared after `label_key` normalisation
(NFKC, no spaces, no trailing colon, no list numbering, no "(工作日)"-style suffix).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import process

from guidecheck import tomlfile
from guidecheck.errors import ConfigError, RuleError
from guidecheck.model import ELEMENT_KEYS
from guidecheck.normalize import nfkc
from guidecheck.resources import rules_dir

LABELS_FILE = "labels.toml"
LabelInfo = tuple[str | None, int, str | None, str | None]
"""(element key or None, rank in its synonym list or 1000, flag or None, section kind or None)."""

MATERIAL_COLUMNS = frozenset(
    {
        "index",
        "name",
        "copies",
        "copies_original",
        "copies_copy",
        "forms",
        "necessity",
        "source",
        "material_type",
        "blank_form",
        "sample",
        "note",
        "spec",
    }
)
STEP_COLUMNS = frozenset({"name", "step", "actor", "time_limit", "content", "result"})
SECTION_KINDS = frozenset({"container", "faq"})
OFFERED_CHANNELS = frozenset({"window", "online", "post", "self_service"})
"""Values of [json.<profile>.channels]: the guide model's channels (model.Channel)."""
FLOWCHART_CHANNELS = frozenset({"online", "window", ""})
"""Values of [json.flowcharts] fields: the channel the chart draws, "" = from its caption or file name."""

_LABEL_STRIP_RE = re.compile(
    r"^(?:[#*★☆●■◆▲\-\s]+|[(（]?[一二三四五六七八九十\d]+[)）、.．:：]\s*|【)|(?:[:：\s*】>»›]+)$"
)
_SUFFIX_RE = re.compile(r"[(（][^()（）]{0,12}[)）]$")
_SPACES_RE = re.compile(r"\s+")


def label_key(label: str) -> str:
    """The comparable form of a label: "  承诺办结时限（工作日）：" → "承诺办结时限"."""
    text = _SPACES_RE.sub("", nfkc(label))
    previous = None
    while previous != text:
        previous = text
        text = _SUFFIX_RE.sub("", _LABEL_STRIP_RE.sub("", text))
    return text


@dataclass(slots=True)
class Labels:
    """Lookup tables built from one or more label files."""

    elements: dict[str, list[str]] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    field_sublabels: list[str] = field(default_factory=list)
    material_columns: dict[str, list[str]] = field(default_factory=dict)
    step_columns: dict[str, list[str]] = field(default_factory=dict)
    result_columns: dict[str, list[str]] = field(default_factory=dict)
    json: dict[str, Any] = field(default_factory=dict)

    # derived lookups (label_key → value), built by `index()`
    _element: dict[str, tuple[str, int]] = field(default_factory=dict)
    _section: dict[str, str] = field(default_factory=dict)
    _flag: dict[str, str] = field(default_factory=dict)
    _sublabel: frozenset[str] = frozenset()
    _material_col: dict[str, str] = field(default_factory=dict)
    _step_col: dict[str, str] = field(default_factory=dict)
    _result_col: dict[str, str] = field(default_factory=dict)
    _cache: dict[str, str] = field(default_factory=dict)
    _info: dict[str, LabelInfo] = field(default_factory=dict)

    def index(self) -> Labels:
        self._element = {}
        for key, labels in self.elements.items():
            for rank, label in enumerate(labels):
                self._element.setdefault(label_key(label), (key, rank))
        self._section = {label_key(lab): kind for kind, labs in self.sections.items() for lab in labs}
        self._flag = {label_key(lab): flag for flag, labs in self.flags.items() for lab in labs}
        self._sublabel = frozenset(label_key(lab) for lab in self.field_sublabels)
        self._material_col = _invert(self.material_columns)
        self._step_col = _invert(self.step_columns)
        self._result_col = _invert(self.result_columns)
        self._cache = {}
        self._info = {}
        return self

    def norm(self, label: str) -> str:
        """`label_key`, memoised (pages repeat the same labels thousands of times)."""
        hit = self._cache.get(label)
        if hit is None:
            hit = label_key(label)
            if len(self._cache) < 50_000:
                self._cache[label] = hit
        return hit

    def info(self, label: str) -> LabelInfo:
        """(element key, rank, flag, section kind) of a label, memoised: one dict lookup answers what
        `element`, `element_rank`, `flag` and `section` ask (the extractor asks them for every label)."""
        try:
            return self._info[label]
        except KeyError:
            pass
        norm = self.norm(label)
        found = self._element.get(norm)
        hit = (
            found[0] if found else None,
            found[1] if found else 1_000,
            self._flag.get(norm),
            self._section.get(norm),
        )
        if len(self._info) < 50_000:
            self._info[label] = hit
        return hit

    def element(self, label: str) -> str | None:
        """The element key a label names ("承诺时限" → "promised_limit_text"), or None."""
        try:
            return self._info[label][0]
        except KeyError:
            return self.info(label)[0]

    def element_rank(self, label: str) -> int:
        """Position of the label in its element's synonym list (lower wins when both appear)."""
        return self.info(label)[1]

    def section(self, title: str) -> str | None:
        """The section kind of a heading ("基本信息" → "container", "常见问题" → "faq"), or None."""
        return self.info(title)[3]

    def flag(self, label: str) -> str | None:
        return self.info(label)[2]

    def is_sublabel(self, label: str) -> bool:
        return self.norm(label) in self._sublabel

    def is_known(self, label: str) -> bool:
        key = self.norm(label)
        return key in self._element or key in self._section or key in self._flag

    def material_column(self, header: str) -> str | None:
        return self._material_col.get(self.norm(header))

    def step_column(self, header: str) -> str | None:
        return self._step_col.get(self.norm(header))

    def result_column(self, header: str) -> str | None:
        return self._result_col.get(self.norm(header))

    def example_labels(self, count: int = 3) -> list[str]:
        """A few well-known labels, for "no guide found" messages."""
        picks = ("item_name", "materials_text", "flow_text", "owner", "promised_limit_text")
        return [self.elements[k][0] for k in picks if self.elements.get(k)][:count]


def _invert(table: Mapping[str, list[str]]) -> dict[str, str]:
    return {label_key(lab): key for key, labs in table.items() for lab in labs}


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge a label file into `base`: lists are extended (new labels first), tables merged recursively."""
    for key, value in extra.items():
        if isinstance(value, Mapping):
            _merge(base.setdefault(key, {}), value)
        elif isinstance(value, list):
            old = base.get(key, [])
            base[key] = list(value) + [v for v in old if v not in value]
        else:
            base[key] = value


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomlfile.read(path, "label file")[1]
    except tomlfile.TomlFileError as err:
        raise ConfigError(str(path), err.reason, line=err.line, fix=err.fix) from None


_LIST_TABLES = (
    "elements", "sections", "flags", "field_sublabels", "material_columns", "step_columns", "result_columns",
)  # fmt: skip
"""Tables whose every value is a list of labels."""
_TABLES = frozenset({*_LIST_TABLES, "json"})


def _line_of(path: Path, name: str) -> int | None:
    """The line that defines `name` (a `[table]` header or a `name = ` key), for the error message."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    key = re.compile(rf'^\s*(?:\[[^\]]*\b{re.escape(name)}\]|"?{re.escape(name)}"?\s*=)')
    return next((i for i, line in enumerate(lines, 1) if key.match(line)), None)


def _shape(path: Path, data: Mapping[str, Any]) -> None:
    """Tables where tables belong and lists of strings where labels belong, before anything reads them."""
    for table, value in data.items():
        if table not in _TABLES:
            near = process.extractOne(table, sorted(_TABLES))
            hint = f"did you mean [{near[0]}]? " if near and near[1] >= 60 else ""
            raise ConfigError(
                str(path), f"unknown table [{table}]", line=_line_of(path, table),
                fix=f"{hint}a label file has the tables {', '.join(sorted(_TABLES))}",
            )  # fmt: skip
        if not isinstance(value, dict):
            line = _line_of(path, table)
            raise ConfigError(str(path), f"'{table}' must be a table", line=line, fix=f"write [{table}]")
    for table in _LIST_TABLES:
        for key, labels in data.get(table, {}).items():
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise ConfigError(
                    str(path), f"[{table}] {key} must be a list of strings", line=_line_of(path, key),
                    fix=f'{key} = ["标签", "另一个标签"]',
                )  # fmt: skip
    _json_shape(path, data.get("json", {}), "json")


def _json_shape(path: Path, table: Mapping[str, Any], where: str) -> None:
    """Backend field names: strings, lists of strings, or tables of them."""
    for key, value in table.items():
        if isinstance(value, dict):
            _json_shape(path, value, f"{where}.{key}")
        elif not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(x, str) for x in value))):
            raise ConfigError(
                str(path), f"[{where}] {key} must be a field name or a list of field names", line=_line_of(path, key),
                fix=f'{key} = "FIELD_NAME"',
            )  # fmt: skip


def _validate(path: Path, data: Mapping[str, Any]) -> None:
    _shape(path, data)
    for key, labels in data.get("elements", {}).items():
        if key not in ELEMENT_KEYS:
            known = ", ".join(sorted(ELEMENT_KEYS))
            raise ConfigError(str(path), f"[elements] unknown element key '{key}'", fix=f"use one of: {known}")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise ConfigError(str(path), f"[elements] {key} must be a list of strings")
    for table, allowed in (("material_columns", MATERIAL_COLUMNS), ("step_columns", STEP_COLUMNS)):
        for key in data.get(table, {}):
            if key not in allowed:
                raise ConfigError(str(path), f"[{table}] unknown column '{key}'", fix=f"use one of: {sorted(allowed)}")
    json_tables = data.get("json", {})
    charts = [("json.flowcharts", json_tables.get("flowcharts", {}))]
    charts += [(f"json.{p}.flowcharts", t.get("flowcharts", {})) for p, t in json_tables.items() if isinstance(t, dict)]
    for table, fields in charts:
        for name, channel in fields.items() if isinstance(fields, dict) else ():
            if not isinstance(channel, str) or channel not in FLOWCHART_CHANNELS:
                raise ConfigError(
                    str(path), f"[{table}] {name} = {channel!r}: not a flow channel", fix='use "online", "window" or ""'
                )
    for profile, spec in json_tables.items():
        channels = spec.get("channels", {}) if isinstance(spec, dict) else {}
        for name, channel in channels.items() if isinstance(channels, dict) else ():
            if channel not in OFFERED_CHANNELS:
                raise ConfigError(
                    str(path), f"[json.{profile}.channels] {name} = {channel!r}: not a channel",
                    fix=f"use one of: {', '.join(sorted(OFFERED_CHANNELS))}",
                )  # fmt: skip
    for key in data.get("sections", {}):
        if key not in SECTION_KINDS:
            raise ConfigError(str(path), f"[sections] unknown kind '{key}'", fix=f"use one of: {sorted(SECTION_KINDS)}")


def folder_labels(folders: Iterable[str | Path]) -> Labels | None:
    """The built-in synonyms plus the `labels.toml` of each rules folder (`--rules DIR`) that has one: a
    portal's own wording, without Python. None when no folder has one. ConfigError names a broken file."""
    folders = [Path(d) for d in folders]
    for folder in folders:
        if not folder.exists():  # as the rule loader says it: a mistyped --rules must not pass silently
            raise RuleError(str(folder), "rules folder not found (give a folder of *.toml packs or one .toml file)")
    files = [d / LABELS_FILE for d in folders if (d / LABELS_FILE).is_file()]
    return load_labels(files) if files else None


def load_labels(extra_files: Iterable[str | Path] = ()) -> Labels:
    """The built-in synonyms merged with `extra_files` (their labels take precedence)."""
    extra = tuple(Path(p) for p in extra_files)
    if not extra:
        return _default_labels()
    return _build(extra)


@lru_cache(maxsize=1)
def _default_labels() -> Labels:
    return _build(())


def _build(extra: tuple[Path, ...]) -> Labels:
    data: dict[str, Any] = {}
    for path in (rules_dir() / LABELS_FILE, *extra):
        loaded = _read(path)
        _validate(path, loaded)
        _merge(data, loaded)
    return Labels(
        elements=data.get("elements", {}),
        sections=data.get("sections", {}),
        flags=data.get("flags", {}),
        field_sublabels=data.get("field_sublabels", {}).get("labels", []),
        material_columns=data.get("material_columns", {}),
        step_columns=data.get("step_columns", {}),
        result_columns=data.get("result_columns", {}),
        json=data.get("json", {}),
    ).index()
