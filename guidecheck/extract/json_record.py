"""JSON guides: a Guangdong backend record (portals.md §2.4) or a flat object with Chinese keys.

Backend field names are data (rules/labels.toml [json.*]), and so are the fields holding flowchart files
([json.flowcharts]: WEBFILE, WINDOWFILE, LCT …), read wherever they stand. Text fields may hold HTML
(`<br>`, entities, double-encoded `&amp;amp;`); they are turned into plain lines first. Locs are JSON
paths (`$.AUDIT_MATERIAL[2].MATERIAL_NAME`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.errors import InputError
from guidecheck.extract.assemble import FLOW_KEYS, Assembler
from guidecheck.extract.freetext import FILE_LINK_RE, channel_hint
from guidecheck.extract.rows import build_material, build_step, classify_header, table_row
from guidecheck.model import Faq, Field, FlowChannel, Loc
from guidecheck.normalize import loads_json

_BREAK_RE = re.compile(r"<\s*br\s*/?\s*>|</\s*(?:p|div|li|tr|h[1-6])\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^<>]{1,400}>")
_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_JSON_TYPES = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
_CONTAINER_KEYS = ("data", "DATA", "custom", "CUSTOM", "result", "RESULT", "record", "item")


def html_to_text(value: Any) -> str:
    """A record's text value as plain lines: entities decoded (also double-encoded), tags dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    for _ in range(3):  # "&amp;amp;lt;br&amp;amp;gt;" needs more than one pass
        if "&" not in text or not _ENTITY_RE.search(text):
            break
        text = html.unescape(text)
    if "<" in text:
        text = _TAG_RE.sub("", _BREAK_RE.sub("\n", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _path(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{base}.{key}"
    return f"{base}[{json.dumps(key, ensure_ascii=False)}]"


def read_json(text: str, asm: Assembler) -> None:
    try:
        data = loads_json(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{asm.source}: not valid JSON: line {err.lineno}, column {err.colno}: {err.msg}") from None
    if isinstance(data, list):
        records = [d for d in data if isinstance(d, dict)]
        if len(records) != 1:
            raise InputError(f"{asm.source}: a JSON list of {len(data)} entries; expected one guide record per file")
        data, base = records[0], "$[0]"
    else:
        base = "$"
    if not isinstance(data, dict):
        kind = _JSON_TYPES.get(type(data), "null")  # JSON's names, not Python's ("a NoneType")
        raise InputError(f"{asm.source}: the JSON is {kind}, not a guide record (an object)")
    for profile in asm.labels.json.values():
        if not isinstance(profile, dict) or not profile.get("markers"):
            continue
        found = _find_record(data, base, set(profile["markers"]))
        if found is not None:
            _BackendRecord(asm, profile).read(*found)
            return
    _FlatRecord(asm).read(data, base)


def _find_record(
    data: Mapping[str, Any], base: str, markers: set[str], depth: int = 0
) -> tuple[Mapping[str, Any], str] | None:
    """The backend record: the object itself, or one nested under data / custom / result."""
    if markers & data.keys():
        return data, base
    if depth >= 3:
        return None
    for key in _CONTAINER_KEYS:
        inner = data.get(key)
        if isinstance(inner, dict):
            found = _find_record(inner, _path(base, key), markers, depth + 1)
            if found is not None:
                return found
    return None


@dataclass(slots=True, frozen=True)
class _AttachmentKeys:
    """The keys of an attachment object (labels.toml [json.attachment]): the first non-empty one wins."""

    link: tuple[str, ...] = ("FILEPATH", "waiwang_url", "url", "URL")
    name: tuple[str, ...] = ("ATTACHNAME", "name", "NAME")
    caption: tuple[str, ...] = ()

    @classmethod
    def of(cls, spec: Any) -> _AttachmentKeys:
        if not isinstance(spec, Mapping):
            return cls()
        keys = {k: tuple(v for v in spec.get(k, ()) if isinstance(v, str)) for k in ("link", "name", "caption")}
        return cls(**{k: v for k, v in keys.items() if v})


def _first(item: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = item.get(key)
        if value is not None and not isinstance(value, dict | list) and str(value).strip():
            return str(value).strip()
    return ""


def _attachment(item: Any, keys: _AttachmentKeys) -> tuple[str, str, str] | None:
    """One attachment object (or a bare string = its link) → (name, link, caption), None if it has none."""
    if isinstance(item, dict):
        name, link = _first(item, keys.name), _first(item, keys.link)
        caption = html_to_text(_first(item, keys.caption)) if keys.caption else ""
        return (name, link, caption) if name or link or caption else None
    if isinstance(item, str) and item.strip():
        return "", item.strip(), ""
    return None


def _attachments(value: Any, keys: _AttachmentKeys) -> list[tuple[str, str]]:
    """[{ATTACHNAME, FILEPATH}] (or a single object / a bare string) → (name, link) pairs."""
    items = value if isinstance(value, list) else [value]
    return [(found[0], found[1]) for found in (_attachment(item, keys) for item in items) if found is not None]


def _chart_fields(labels_json: Mapping[str, Any], profile: Mapping[str, Any] | None = None) -> dict[str, FlowChannel]:
    """Flowchart attachment fields ([json.flowcharts], then the profile's own), upper-cased → channel."""
    fields: dict[str, FlowChannel] = {}
    for table in (labels_json.get("flowcharts"), (profile or {}).get("flowcharts")):
        if isinstance(table, Mapping):
            for name, channel in table.items():
                fields[str(name).upper()] = channel if channel in ("online", "window") else ""
    return fields


def _looks_like_file(text: str) -> bool:
    """A bare string in a flowchart field that names a file ("用地证流程图.png", "/upload/…"), not a GUID or "无"."""
    text = text.strip()
    return bool(FILE_LINK_RE.search(text)) or text.startswith(("/", "http://", "https://"))


def _flowcharts(asm: Assembler, value: Any, path: str, channel: FlowChannel | None, keys: _AttachmentKeys) -> bool:
    """The flowcharts of one attachment field (a list, one object or a file name) → `asm.image`; True if any.

    The caption is the chart's title, else the file name.
    """
    items = value if isinstance(value, list) else [value]
    found = False
    for i, item in enumerate(items):
        attached = _attachment(item, keys)
        if attached is None or (isinstance(item, str) and not _looks_like_file(item)):
            continue
        name, link, caption = attached
        loc = Loc(asm.source, _path(path, i) if isinstance(value, list) else path)
        asm.image(link, "", "", loc, caption=caption, attach_name=name, channel=channel)
        found = True
    return found


class _BackendRecord:
    """A portal backend record (AUDIT_ITEM / AUDIT_MATERIAL / AUDIT_ITEM_FLOWSHEET / …) → the guide.

    The layout and field names come from a [json.<profile>] table in labels.toml.
    """

    def __init__(self, asm: Assembler, mapping: Mapping[str, Any]):
        self.asm = asm
        self.map = mapping
        self.source = asm.source
        self.attach = _AttachmentKeys.of(asm.labels.json.get("attachment"))
        self.chart_fields = _chart_fields(asm.labels.json, mapping)

    def charts_in(self, obj: Mapping[str, Any], base: str) -> set[str]:
        """Read the flowchart attachment fields of one object (the item, the record, a flow step);
        returns the field names read."""
        read: set[str] = set()
        for field_name, value in obj.items():
            channel = self.chart_fields.get(field_name.upper()) if isinstance(field_name, str) else None
            if channel is not None:
                read.add(field_name)
                _flowcharts(self.asm, value, _path(base, field_name), channel, self.attach)
        return read

    def loc(self, path: str) -> Loc:
        return Loc(self.source, path)

    def label_of(self, key: str) -> str:
        labels = self.asm.labels.elements.get(key) or [key]
        return labels[0]

    def part(self, record: Mapping[str, Any], base: str, name: str) -> tuple[Any, str]:
        """(value, JSON path) of the record part the profile names `<name>_key`; (None, "") if absent."""
        key = self.map.get(f"{name}_key")
        if key is None:
            return None, ""
        if key == "":
            return record, base
        return record.get(key), _path(base, key)

    def read(self, record: Mapping[str, Any], base: str) -> None:
        asm = self.asm
        steps, steps_path = self.part(record, base, "steps")
        if isinstance(steps, list) and steps:
            asm.text_steps = False  # the step table is the flow; CKBLLC/WSBLLC stay as section text
            self._steps(steps, steps_path)
        elif isinstance(steps, dict):
            self.charts_in(steps, steps_path)  # a flow record without steps may still attach its chart
        item, item_path = self.part(record, base, "item")
        if isinstance(item, dict):
            self._item(item, item_path)
        if item_path != base:
            self.charts_in(record, base)  # flowcharts beside AUDIT_ITEM rather than in it
        materials, materials_path = self.part(record, base, "materials")
        if isinstance(materials, list):
            self._materials(materials, materials_path)
        results, results_path = self.part(record, base, "results")
        if isinstance(results, list):
            self._results(results, results_path)
        self._qa(*self.part(record, base, "questions"))
        lobbies, lobbies_path = self.part(record, base, "lobbies")
        if isinstance(lobbies, list):
            for i, lobby in enumerate(lobbies):
                if isinstance(lobby, dict):
                    for field_name, key in self.map.get("lobby", {}).items():
                        value = html_to_text(lobby.get(field_name))
                        if value:
                            path = _path(_path(lobbies_path, i), field_name)
                            asm.set_field(key, self.label_of(key), value, self.loc(path))
        asm.enter_section(None)

    def _item(self, item: Mapping[str, Any], base: str) -> None:
        asm = self.asm
        mapped = self.map.get("item", {})
        for key, (day_field, unit_field) in self.map.get("limits", {}).items():
            day = item.get(day_field)
            if day is None or str(day).strip() == "":
                continue
            unit = html_to_text(item.get(unit_field))
            text = f"{day}{'个' if unit == '工作日' else ''}{unit}" if unit else str(day)
            asm.set_field(key, self.label_of(key), text, self.loc(_path(base, day_field)))
        for field_name, key in mapped.items():
            if field_name not in item:
                continue
            value = html_to_text(item[field_name])
            path = _path(base, field_name)
            if key in ("online_flow_text", "window_flow_text", "flow_text", "materials_text"):
                if value:
                    asm.enter_section(None)
                    asm.pair(self.label_of(key), value, self.loc(path))
                    asm.enter_section(None)
            else:
                asm.set_field(key, self.label_of(key), value, self.loc(path))
        for field_name, flag in self.map.get("flags", {}).items():
            if field_name in item:
                asm.set_flag(flag, field_name, html_to_text(item[field_name]), self.loc(_path(base, field_name)))
        laws, laws_path = self.part(item, base, "laws")
        if isinstance(laws, list) and laws:
            self._laws(laws, laws_path)
        known = set(mapped) | {f for pair in self.map.get("limits", {}).values() for f in pair}
        known |= set(self.map.get("flags", {})) | self.charts_in(item, base)
        known |= {v for k, v in self.map.items() if k.endswith("_key")}
        if self.map.get("item_key", "x") == "":
            return  # the record itself holds the item: its other keys are lists and ids, not guide text
        for field_name, value in item.items():
            if field_name not in known and isinstance(value, str | int | float) and str(value).strip():
                loc = self.loc(_path(base, field_name))
                asm.guide.extra.setdefault(field_name, Field(html_to_text(value), loc, field_name))

    def _laws(self, laws: list[Any], base: str) -> None:
        fields = self.map.get("law", {}).get("fields", ["LAWNAME", "ACCORDINGNUMBER", "TERMSNUMBER", "TERMSCONTENT"])
        lines = []
        for law in laws:
            if isinstance(law, dict):
                parts = [html_to_text(law.get(f)) for f in fields]
                lines.append(" ".join(p for p in parts if p))
        text = "\n".join(line for line in lines if line)
        if text:
            self.asm.set_field("legal_basis", self.label_of("legal_basis"), text, self.loc(base))

    def _materials(self, materials: list[Any], base: str) -> None:
        mapping: Mapping[str, str] = self.map.get("material", {})
        for i, entry in enumerate(materials):
            if not isinstance(entry, dict):
                continue
            values: dict[str, str] = {}
            links: list[tuple[str, str, str]] = []
            for field_name, col in mapping.items():
                raw = entry.get(field_name)
                if raw is None:
                    continue
                if col in ("blank_form", "sample") and isinstance(raw, list | dict):
                    links += [(col, name, link) for name, link in _attachments(raw, self.attach)]
                    continue
                value = html_to_text(raw)
                if value and col not in values:
                    values[col] = value
            name_field = next((f for f, col in mapping.items() if col == "name"), "MATERIAL_NAME")
            material = build_material(values, links, self.loc(_path(_path(base, i), name_field)))
            if material is not None:
                self.asm.material(material)

    def _steps(self, steps: list[Any], base: str) -> None:
        mapping: Mapping[str, str] = self.map.get("step", {})
        for i, entry in enumerate(steps):
            if not isinstance(entry, dict):
                continue
            values = {col: html_to_text(entry.get(f)) for f, col in mapping.items() if entry.get(f) is not None}
            first = next((f for f, col in mapping.items() if col == "name"), "UNTI_LINK_TEXT")
            step = build_step(values, self.loc(_path(_path(base, i), first)))
            if step is not None:
                self.asm.step(step)
            self.charts_in(entry, _path(base, i))

    def _results(self, results: list[Any], base: str) -> None:
        mapping: Mapping[str, str] = self.map.get("result", {})
        for i, entry in enumerate(results):
            if not isinstance(entry, dict):
                continue
            for field_name, key in mapping.items():
                raw = entry.get(field_name)
                path = self.loc(_path(_path(base, i), field_name))
                if key == "result_sample" and isinstance(raw, list | dict):
                    attached = _attachments(raw, self.attach)
                    if attached:
                        name, link = attached[0]
                        self.asm.result_sample(" ".join(x for x in (name, link) if x), path)
                elif raw is not None and html_to_text(raw):
                    self.asm.set_field(key, self.label_of(key), html_to_text(raw), path)
            break  # the first result is the guide's result; the others stay in the record

    def _qa(self, qas: Any, base: str = "") -> None:
        if not isinstance(qas, list):
            return
        spec = self.map.get("qa", {})
        q_field, a_field = spec.get("question", "QUESTION"), spec.get("answer", "ANSWER")
        for i, entry in enumerate(qas):
            if isinstance(entry, dict) and html_to_text(entry.get(q_field)):
                loc = self.loc(_path(_path(base, i), q_field))
                self.asm.guide.faqs.append(Faq(html_to_text(entry.get(q_field)), html_to_text(entry.get(a_field)), loc))


class _FlatRecord:
    """A JSON object whose keys are guide labels: {"事项名称": …, "申请材料": [{"材料名称": …}, …]}."""

    def __init__(self, asm: Assembler):
        self.asm = asm
        self.source = asm.source
        self.attach = _AttachmentKeys.of(asm.labels.json.get("attachment"))
        self.chart_fields = _chart_fields(asm.labels.json)

    def loc(self, path: str) -> Loc:
        return Loc(self.source, path)

    def read(self, data: Mapping[str, Any], base: str) -> None:
        asm = self.asm
        for key, value in data.items():
            if not isinstance(key, str) or key == "guidecheck-disable":
                continue
            path = _path(base, key)
            if self._charts(key, value, path):
                continue
            if isinstance(value, dict):
                asm.heading(key, self.loc(path), "tag")
                self.read(value, path)
                asm.enter_section(None)
            elif isinstance(value, list):
                self._list(key, value, path)
            else:
                asm.pair(key, html_to_text(value), self.loc(path))
        asm.enter_section(None)

    def _charts(self, key: str, value: Any, path: str) -> bool:
        """A key holding flowchart files — a [json.flowcharts] field, or a label naming a 流程图 whose value
        is an attachment or a file — read as flowcharts; False leaves the key to be read as text."""
        channel = self.chart_fields.get(key.upper())
        if channel is not None:
            _flowcharts(self.asm, value, path, channel, self.attach)
            return True
        if "流程图" not in key:
            return False
        # 网上办理流程图 says its channel; a bare 流程图 takes the flow section it stands in, else its caption's
        channel = channel_hint(key) or (None if self.asm.section in FLOW_KEYS else "")
        return _flowcharts(self.asm, value, path, channel, self.attach)

    def _list(self, key: str, items: list[Any], path: str) -> None:
        asm = self.asm
        dicts = [x for x in items if isinstance(x, dict)]
        if not dicts:
            text = "\n".join(html_to_text(x) for x in items if html_to_text(x))
            asm.pair(key, text, self.loc(path))
            asm.enter_section(None)
            return
        asm.heading(key, self.loc(path), "tag")
        columns: list[str] = []
        for entry in dicts:
            columns += [k for k in entry if k not in columns]
        header = classify_header(columns, asm)
        if header is None and asm.section == "faq":
            self._faqs(dicts, path)
        elif header is None:
            for i, entry in enumerate(dicts):
                self.read(entry, _path(path, i))
        else:
            kind, cols = header
            for i, entry in enumerate(items):
                if not isinstance(entry, dict):
                    continue
                row_path = _path(path, i)
                cells = []
                for col_name in columns:
                    raw = entry.get(col_name)
                    links = _attachments(raw, self.attach) if isinstance(raw, list | dict) else []
                    text = "" if links else html_to_text(raw)
                    cells.append((text, self.loc(_path(row_path, col_name)), links))
                table_row((kind, cols), cells, asm, self.loc(row_path))
        asm.enter_section(None)

    def _faqs(self, entries: list[Mapping[str, Any]], path: str) -> None:
        for i, entry in enumerate(entries):
            values = [html_to_text(v) for v in entry.values()]
            if values and values[0]:
                loc = self.loc(_path(path, i))
                self.asm.guide.faqs.append(Faq(values[0], values[1] if len(values) > 1 else "", loc))
