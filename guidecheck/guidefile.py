"""Guide files (`*.guide.toml`): guides kept in a repository, written by people, read by `check`.

Why TOML: Python reads it with the standard library (no new dependency); multi-line strings ('''…''')
hold long Chinese paragraphs without escaping; comments let authors annotate; `[[materials]]` and
`[[steps]]` tables read like the tables of a published guide; and unlike YAML there is no indentation
or implicit typing to trip over ("否" and "0次" stay strings). Keys are the element names of the guide
model in English (TOML bare keys are ASCII) and `guidecheck convert` writes the Chinese label as a
comment above each. The format is documented in docs/guide-format.md, with a JSON Schema in
docs/schemas/guide.schema.json.

`read_guide_file` produces the same `Guide` the extractor produces for a page, with every value's
`Loc` = file + line + key path, so findings point at the line to edit. `write_guide_file` is the other
direction, used by `guidecheck convert`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rapidfuzz import process

from guidecheck import suppress, tomlfile
from guidecheck.errors import InputError
from guidecheck.model import Faq, Field, Flowchart, Guide, Loc, Material, Step
from guidecheck.normalize import is_yes, parse_channels, parse_copies, parse_forms, parse_time_limit, parse_visits

SUFFIX = ".guide.toml"
FORMAT_VERSION = 1

ELEMENTS: dict[str, str] = {
    # file key → Guide attribute (a Field). Order = the order `convert` writes them in.
    "item_name": "item_name",
    "item_code": "item_code",
    "item_type": "item_type",
    "owner": "owner",
    "service_object": "service_object",
    "legal_basis": "legal_basis",
    "conditions": "conditions",
    "channels": "channels_text",
    "is_online": "is_online",
    "online_depth": "online_depth",
    "online_url": "online_url",
    "legal_limit": "legal_limit_text",
    "promised_limit": "promised_limit_text",
    "case_type": "case_type",
    "visits": "visits_text",
    "onsite_reason": "onsite_reason",
    "special_procedure": "special_procedure",
    "fee": "fee",
    "fee_standard": "fee_standard",
    "fee_basis": "fee_basis",
    "online_payment": "online_payment",
    "place": "place",
    "hours": "hours",
    "consult": "consult",
    "complaint": "complaint",
    "result_name": "result_name",
    "result_type": "result_type",
    "result_sample": "result_sample",
    "delivery": "delivery",
    "materials_text": "materials_text",
    "flow": "flow_text",
    "online_flow": "online_flow_text",
    "window_flow": "window_flow_text",
}
MATERIAL_KEYS = (
    "name",
    "forms",
    "copies",
    "copies_text",
    "necessity",
    "source",
    "material_type",
    "blank_form",
    "sample",
    "note",
)
STEP_KEYS = ("name", "channel", "actor", "content", "time_limit", "result")
FLOWCHART_KEYS = ("title", "text", "file", "channel")
FAQ_KEYS = ("question", "answer")
TABLES = {"materials": MATERIAL_KEYS, "steps": STEP_KEYS, "flowcharts": FLOWCHART_KEYS, "faqs": FAQ_KEYS}
META_KEYS = ("guide-format", "url", "extra", suppress.KEY)
ALL_KEYS = (*META_KEYS, *ELEMENTS, *TABLES)
CHANNELS = {
    # a step's or flowchart's `channel` as written → the model's FlowChannel
    "online": "online",
    "window": "window",
    "": "",
    "网上": "online",
    "线上": "online",
    "窗口": "window",
    "线下": "window",
}


def is_guide_file(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX)


# --- where keys are written: line numbers for Locs --------------------------------------------------

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_\-\"]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-\"]+?)\s*\]")
_KEY_LINE = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=\s*(.*)$""")


def key_lines(text: str) -> dict[str, int]:
    """ "item_name" → 3, "materials[0].name" → 40, "extra.是否收费" → 90: the line of every key."""
    lines: dict[str, int] = {}
    prefix = ""
    counts: dict[str, int] = {}
    in_string = ""
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        if m := _ARRAY_HEADER.match(line):
            name = m.group(1).strip('"')
            index = counts.get(name, 0)
            counts[name] = index + 1
            prefix = f"{name}[{index}]."
            lines[prefix[:-1]] = number
            continue
        if m := _TABLE_HEADER.match(line):
            prefix = m.group(1).strip('"') + "."
            continue
        if m := _KEY_LINE.match(line):
            lines.setdefault(prefix + m.group(1).strip("\"'"), number)
            value = m.group(2)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    in_string = quote
    return lines


# --- reading ----------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: Path, text: str):
        self.source = str(path)
        self.text = text
        self.lines = key_lines(text)

    def loc(self, key: str) -> Loc:
        line = self.lines.get(key)
        if line is None and "." in key:
            line = self.lines.get(key.rsplit(".", 1)[0])
        return Loc(self.source, key, line)

    def fail(self, key: str, message: str, fix: str = "") -> InputError:
        line = self.lines.get(key) or self.lines.get(key.split(".", 1)[0].split("[", 1)[0])
        where = f"{self.source}:{line}" if line else self.source
        return InputError(f"{where}: {message}" + (f" (fix: {fix})" if fix else ""))

    def string(self, key: str, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(key, f"'{key}' must be text", 'write it in quotes: key = "…"')
        return str(value).strip()

    def field(self, key: str, value: Any, label: str = "") -> Field:
        return Field(self.string(key, value), self.loc(key), label)

    def unknown(self, key: str, known: tuple[str, ...], where: str) -> InputError:
        near = process.extractOne(key, list(known), score_cutoff=60)
        fix = f"did you mean '{near[0]}'?" if near else f"known keys: {', '.join(known)}"
        return self.fail(where, f"unknown key '{key}'", fix)

    def tables(self, name: str, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"'{name}' must be a list of tables", f"write each entry as [[{name}]]")
        for index, entry in enumerate(value):
            for key in entry:
                if key not in TABLES[name]:
                    raise self.unknown(key, TABLES[name], f"{name}[{index}].{key}")
        return value

    def channel(self, key: str, value: Any) -> str:
        text = self.string(key, value)
        if text not in CHANNELS:
            raise self.fail(key, f"channel {text!r} is not known", 'use "online" or "window" (or leave it out)')
        return CHANNELS[text]


def read_guide_file(path: Path) -> Guide:
    """Read a `.guide.toml` file into a `Guide`; raise InputError (file:line, the fix) when it is broken."""
    try:
        text = tomlfile.read_text(path, "guide file")
    except tomlfile.TomlFileError as err:
        raise InputError(f"{path}: {err.reason}" + (f"; {err.fix}" if err.fix else "")) from None
    return parse_guide(text, path)


def parse_guide(text: str, path: Path) -> Guide:
    """The `Guide` a guide file's text describes; `path` names it in locations and errors."""
    try:
        data = tomlfile.parse(text, "guide file")
    except tomlfile.TomlFileError as err:
        where = f"{path}:{err.line}" if err.line else str(path)
        raise InputError(f"{where}: {err.reason} (fix: see docs/guide-format.md)") from None
    r = _Reader(path, text)
    version = data.get("guide-format", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):  # true == 1 in Python, not in the format
        raise r.fail(
            "guide-format", f"guide-format {version!r} is not supported", f"write guide-format = {FORMAT_VERSION}"
        )
    for key in data:
        if key not in ALL_KEYS:
            raise r.unknown(key, ALL_KEYS, key)
    guide = Guide(source=str(path), format="guide-file", encoding="utf-8")
    for key, attr in ELEMENTS.items():
        if key in data:
            setattr(guide, attr, r.field(key, data[key]))
    _read_extra(r, guide, data.get("extra", {}))
    guide.materials = [_material(r, i, m) for i, m in enumerate(r.tables("materials", data.get("materials", [])))]
    guide.steps = [_step(r, i, s) for i, s in enumerate(r.tables("steps", data.get("steps", [])))]
    guide.flowcharts = [_flowchart(r, i, c) for i, c in enumerate(r.tables("flowcharts", data.get("flowcharts", [])))]
    guide.faqs = [
        Faq(
            r.string(f"faqs[{i}].question", q.get("question", "")),
            r.string(f"faqs[{i}].answer", q.get("answer", "")),
            r.loc(f"faqs[{i}].question"),
        )
        for i, q in enumerate(r.tables("faqs", data.get("faqs", [])))
    ]
    if suppress.KEY in data:
        guide.suppressions = suppress.from_entries(
            data[suppress.KEY], r.source, r.lines.get(suppress.KEY) or r.lines.get(f"{suppress.KEY}[0]")
        )
        for s in guide.suppressions:  # each [[guidecheck-disable]] table points at its own line
            s.loc = r.loc(s.loc.path)
    _derive(r, guide, explicit={k for k in ("materials", "steps", "flowcharts") if k in data})
    if not (guide.materials or guide.steps or any(guide.element(a) for a in ELEMENTS.values())):
        raise InputError(f'{path}: no guide elements found (fix: write at least item_name = "…")')
    return guide


def _read_extra(r: _Reader, guide: Guide, extra: Any) -> None:
    if not isinstance(extra, dict):
        raise r.fail("extra", "'extra' must be a table of label = text", 'write [extra] then 标签 = "值" lines')
    for label, value in extra.items():
        guide.extra[label] = r.field(f"extra.{label}", value, label)


def _material(r: _Reader, i: int, m: Mapping[str, Any]) -> Material:
    key = f"materials[{i}]"
    forms = m.get("forms", [])
    if isinstance(forms, str):
        forms = parse_forms(forms)
    elif isinstance(forms, list):
        forms = tuple(r.string(f"{key}.forms", f) for f in forms)
    else:
        raise r.fail(f"{key}.forms", "'forms' must be a list", 'write forms = ["原件", "复印件"]')
    copies_text = r.string(f"{key}.copies_text", m.get("copies_text", ""))
    copies = m.get("copies")
    if isinstance(copies, str):
        copies_text, copies = copies_text or copies, parse_copies(copies)
    elif copies is not None and (isinstance(copies, bool) or not isinstance(copies, int) or copies < 0):
        raise r.fail(f"{key}.copies", "'copies' must be a whole number", "write copies = 1")
    if copies is None and copies_text:
        copies = parse_copies(copies_text)
    optional = {k: (r.string(f"{key}.{k}", m[k]) or None) if k in m else None for k in ("blank_form", "sample")}
    return Material(
        name=r.string(f"{key}.name", m.get("name", "")),
        loc=r.loc(f"{key}.name") if f"{key}.name" in r.lines else r.loc(key),
        forms=tuple(forms),
        copies=copies,
        copies_raw=copies_text,
        necessity=r.string(f"{key}.necessity", m.get("necessity", "")),
        source=r.string(f"{key}.source", m.get("source", "")),
        material_type=r.string(f"{key}.material_type", m.get("material_type", "")),
        blank_form=optional["blank_form"],
        sample=optional["sample"],
        note=r.string(f"{key}.note", m.get("note", "")),
    )


def _step(r: _Reader, i: int, s: Mapping[str, Any]) -> Step:
    key = f"steps[{i}]"
    loc = r.loc(f"{key}.name") if f"{key}.name" in r.lines else r.loc(key)
    limit = r.string(f"{key}.time_limit", s.get("time_limit", ""))
    return Step(
        name=r.string(f"{key}.name", s.get("name", "")),
        loc=loc,
        actor=r.string(f"{key}.actor", s.get("actor", "")),
        content=r.string(f"{key}.content", s.get("content", "")),
        time_limit=parse_time_limit(limit, r.loc(f"{key}.time_limit")) if limit else None,
        channel=r.channel(f"{key}.channel", s.get("channel", "")),  # type: ignore[arg-type]
        result=r.string(f"{key}.result", s.get("result", "")),
    )


def _flowchart(r: _Reader, i: int, c: Mapping[str, Any]) -> Flowchart:
    key = f"flowcharts[{i}]"
    return Flowchart(
        loc=r.loc(key),
        title=r.string(f"{key}.title", c.get("title", "")),
        text=r.string(f"{key}.text", c.get("text", "")),
        file_name=r.string(f"{key}.file", c.get("file", "")),
        channel=r.channel(f"{key}.channel", c.get("channel", "")),  # type: ignore[arg-type]
    )


def _lines_of(r: _Reader, key: str, fld: Field) -> list[tuple[str, Loc]]:
    """A multi-line value split into lines, each with its own line number in the file."""
    start = fld.loc.line
    raw_lines = fld.text.splitlines()
    first = 1 if start is not None and r.text.splitlines()[start - 1].rstrip().endswith(('"""', "'''")) else 0
    return [
        (line.strip(), Loc(r.source, key, None if start is None else start + first + n))
        for n, line in enumerate(raw_lines)
        if line.strip()
    ]


def _derive(r: _Reader, guide: Guide, explicit: set[str]) -> None:
    """The parsed values, computed as the extractor computes them for pages.

    Materials, steps and flowcharts written as tables are taken as they are; when a file leaves a table
    out (`explicit` lacks it), it is parsed from the section text, as for a page.
    """
    from guidecheck.extract.assemble import flowchart_refs, parse_material_list, parse_steps
    from guidecheck.labels import load_labels

    labels = load_labels()
    channels: set[str] = set()
    if guide.channels_text:
        channels |= parse_channels(guide.channels_text.text)
    if guide.is_online and is_yes(guide.is_online.text):
        channels.add("online")
    for label, fld in guide.extra.items():
        if labels.flag(label) == "supports_post" and is_yes(fld.text):
            channels.add("post")
    guide.channels = frozenset(channels)
    if guide.legal_limit_text and guide.legal_limit_text.text:
        guide.legal_limit = parse_time_limit(guide.legal_limit_text.text, guide.legal_limit_text.loc)
    if guide.promised_limit_text and guide.promised_limit_text.text:
        guide.promised_limit = parse_time_limit(guide.promised_limit_text.text, guide.promised_limit_text.loc)
    if guide.visits_text and guide.visits_text.text:
        guide.visits = parse_visits(guide.visits_text.text)
    if "materials" not in explicit and guide.materials_text and guide.materials_text.text:
        guide.materials = parse_material_list(_lines_of(r, "materials_text", guide.materials_text), [])
    if guide.materials and guide.materials_text is None:
        # rules that read the materials section as text see the listed names
        first = guide.materials[0].loc
        guide.materials_text = Field("\n".join(m.name for m in guide.materials), first, "申请材料")
    by_channel = [("online_flow", guide.online_flow_text, "online"), ("window_flow", guide.window_flow_text, "window")]
    flows = [f for f in by_channel if f[1] is not None and f[1].text] or [("flow", guide.flow_text, "")]
    for key, fld, channel in flows:
        if fld is None or not fld.text:
            continue
        lines = _lines_of(r, key, fld)
        if "steps" not in explicit:
            guide.steps += parse_steps(lines, channel, labels)  # type: ignore[arg-type]
        if "flowcharts" not in explicit:
            guide.flowcharts += flowchart_refs(lines, channel)  # type: ignore[arg-type]
    if guide.flow_text is None:
        parts = [f for f in (guide.online_flow_text, guide.window_flow_text) if f]
        if parts:
            guide.flow_text = Field("\n".join(p.text for p in parts), parts[0].loc, parts[0].label)
