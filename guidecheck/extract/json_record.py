"""JSON guides: a portal backend record (portals.md §2.4: Guangdong v1 / v2, the Guangzhou item library) or
a flat object with Chinese keys.

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
from guidecheck.model import Diagnostic, Faq, Field, FlowChannel, Loc
from guidecheck.normalize import is_yes, loads_json

_BREAK_RE = re.compile(r"<\s*br\s*/?\s*>|</\s*(?:p|div|li|tr|h[1-6])\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^<>]{1,400}>")
_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_JSON_TYPES = {
    list: "a list",
    dict: "an object",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}
_CODE_RE = re.compile(r"^\s*-?\d{1,3}(?:\s*[,，|、]\s*-?\d{1,3})*\s*$")
_CODE_SPLIT_RE = re.compile(r"\s*[,，|、]\s*")
_MAX_PROBLEMS_SHOWN = 2
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


_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _path(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    if _IDENT_RE.fullmatch(key):
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
    for name, profile in asm.labels.json.items():
        if not isinstance(profile, dict) or not profile.get("markers"):
            continue
        found = _find_record(data, base, set(profile["markers"]))
        if found is not None:
            _BackendRecord(asm, profile, name).read(*found)
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


def _is_empty(value: Any) -> bool:
    """null, "", [] and {}: what portals put in a field they leave blank (never a wrong type)."""
    return value is None or value == [] or value == {} or (isinstance(value, str) and not value.strip())


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "null")


def _leaf_text(value: Any) -> str:
    """The scalar leaves of a value (a text, or lists and objects of texts) as lines, in order."""
    if isinstance(value, dict):
        return "\n".join(t for t in (_leaf_text(v) for v in value.values()) if t)
    if isinstance(value, list):
        return "\n".join(t for t in (_leaf_text(v) for v in value) if t)
    return html_to_text(value)


def _limit_text(day: str, unit: str) -> str:
    return f"{day}{'个' if unit == '工作日' else ''}{unit}"


class _BackendRecord:
    """A portal backend record (AUDIT_ITEM / AUDIT_MATERIAL / AUDIT_ITEM_FLOWSHEET / …) → the guide.

    The layout and field names come from a [json.<profile>] table in labels.toml. A mapped field of the
    wrong JSON type (a string where a list of materials belongs, a list where a text belongs) means the
    record is not the layout the profile describes: reading on would report elements as missing that the
    record does carry, so the guide gets a "not-auditable" diagnostic naming the field instead.
    """

    def __init__(self, asm: Assembler, mapping: Mapping[str, Any], name: str = ""):
        self.asm = asm
        self.map = mapping
        self.name = name
        self.source = asm.source
        self.attach = _AttachmentKeys.of(asm.labels.json.get("attachment"))
        self.chart_fields = _chart_fields(asm.labels.json, mapping)
        codes = mapping.get("codes")
        self.codes: Mapping[str, Any] = codes if isinstance(codes, Mapping) else {}
        self.problems: list[str] = []

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

    # --- shapes and codes -------------------------------------------------------------------------

    def wrong(self, value: Any, path: str, expected: str) -> None:
        self.problems.append(f"{path} is {_kind(value)}, expected {expected}")

    def text(self, value: Any, base: str, key: str | int = "") -> str:
        """The field `key` of the object at `base` read as text; a list or an object there is a wrong type
        ("" and a problem). The path is only built for the message: records have many fields."""
        if isinstance(value, list | dict):
            if not _is_empty(value):
                self.wrong(value, _path(base, key) if key != "" else base, "a text or a number")
            return ""
        return html_to_text(value)

    def entries(self, value: Any, path: str, expected: str) -> list[tuple[int, Mapping[str, Any]]]:
        """The objects of a list part (materials, windows …) with their index; anything else is a problem."""
        if _is_empty(value):
            return []
        if not isinstance(value, list):
            self.wrong(value, path, f"a list of {expected}")
            return []
        found = []
        for i, entry in enumerate(value):
            if isinstance(entry, dict):
                found.append((i, entry))
            elif not _is_empty(entry):
                self.wrong(
                    entry, _path(path, i), f"an object ({expected[:-1] if expected.endswith('s') else expected})"
                )
        return found

    def decode(self, field_name: str, text: str) -> tuple[str, bool]:
        """A coded value through [json.<profile>.codes.<field>]: (words, True) when every code of it is in
        the table (or it is no code); (the published text, False) when a code is not: never a guess."""
        table = self.codes.get(field_name)
        if not isinstance(table, Mapping) or not _CODE_RE.match(text):
            return text, True
        parts = _CODE_SPLIT_RE.split(text.strip())
        if all(isinstance(table.get(p), str) for p in parts):
            return "、".join(dict.fromkeys(table[p] for p in parts)), True
        return text, False

    def part(self, record: Mapping[str, Any], base: str, name: str) -> tuple[Any, str]:
        """(value, JSON path) of the record part the profile names `<name>_key`; (None, "") if absent."""
        key = self.map.get(f"{name}_key")
        if key is None:
            return None, ""
        if key == "":
            return record, base
        return record.get(key), _path(base, key)

    # --- the record ---------------------------------------------------------------------------------

    def read(self, record: Mapping[str, Any], base: str) -> None:
        asm = self.asm
        steps, steps_path = self.part(record, base, "steps")
        if isinstance(steps, dict):
            self.charts_in(steps, steps_path)  # a flow record without steps may still attach its chart
        else:
            found = self.entries(steps, steps_path, "steps")
            if found:
                asm.text_steps = False  # the step table is the flow; CKBLLC/WSBLLC stay as section text
                self._steps(found, steps_path)
        item, item_path = self.part(record, base, "item")
        if isinstance(item, dict):
            self._item(item, item_path)
        elif not _is_empty(item):
            self.wrong(item, item_path, "an object (the item)")
        if item_path != base:
            self.charts_in(record, base)  # flowcharts beside AUDIT_ITEM rather than in it
        materials, materials_path = self.part(record, base, "materials")
        self._materials(self.entries(materials, materials_path, "materials"), materials_path)
        results, results_path = self.part(record, base, "results")
        self._results(self.entries(results, results_path, "results"), results_path)
        questions, questions_path = self.part(record, base, "questions")
        self._qa(self.entries(questions, questions_path, "questions"), questions_path)
        lobbies, lobbies_path = self.part(record, base, "lobbies")
        for i, lobby in self.entries(lobbies, lobbies_path, "windows"):
            row = _path(lobbies_path, i)
            for field_name, key in self.map.get("lobby", {}).items():
                value = self.text(lobby.get(field_name), row, field_name)
                if value:
                    asm.set_field(key, self.label_of(key), value, self.loc(_path(row, field_name)))
        self._offered(record, item if isinstance(item, dict) else {})
        asm.enter_section(None)
        if self.problems:
            more = len(self.problems) - _MAX_PROBLEMS_SHOWN
            shown = "; ".join(self.problems[:_MAX_PROBLEMS_SHOWN]) + (f" (and {more} more)" if more > 0 else "")
            message = (
                f"{self.source}: not auditable: the record does not have the layout of [json.{self.name}] "
                f"in labels.toml: {shown}"
            )
            asm.guide.diagnostics.append(Diagnostic(code="not-auditable", message=message, loc=self.loc(base)))

    def _offered(self, record: Mapping[str, Any], item: Mapping[str, Any]) -> None:
        """[json.<profile>.channels]: a field or part that, non-empty (a list) or yes (a flag), offers a
        channel the record states nowhere as 办理形式 text."""
        for field_name, channel in self.map.get("channels", {}).items():
            value = record[field_name] if field_name in record else item.get(field_name)
            if isinstance(value, list):
                offered = any(isinstance(v, dict) for v in value)
            else:
                offered = not isinstance(value, dict) and is_yes(self.decode(field_name, html_to_text(value))[0])
            if offered:
                self.asm.offered.add(channel)

    def _item(self, item: Mapping[str, Any], base: str) -> None:
        asm = self.asm
        mapped = self.map.get("item", {})
        for key, (day_field, unit_field) in self.map.get("limits", {}).items():
            day = self.text(item.get(day_field), base, day_field)
            if not day:
                continue
            unit, known = self.decode(unit_field, self.text(item.get(unit_field), base, unit_field))
            if unit and (not known or _CODE_RE.match(unit)):
                text = f"{day}（时限单位代码：{unit}）"  # an unknown unit code: the number alone would mislead
            else:
                text = _limit_text(day, unit) if unit else day
            asm.set_field(key, self.label_of(key), text, self.loc(_path(base, day_field)))
        for field_name, key in mapped.items():
            if field_name not in item:
                continue
            path = _path(base, field_name)
            value = self.text(item[field_name], path)
            if field_name in self.codes:
                value = self.decode(field_name, value)[0]
            if key in ("online_flow_text", "window_flow_text", "flow_text", "materials_text"):
                if value:
                    asm.enter_section(None)
                    asm.pair(self.label_of(key), value, self.loc(path))
                    asm.enter_section(None)
            else:
                asm.set_field(key, self.label_of(key), value, self.loc(path))
        for field_name, flag in self.map.get("flags", {}).items():
            if field_name in item:
                path = _path(base, field_name)
                value, known = self.decode(field_name, self.text(item[field_name], path))
                if known:
                    asm.set_flag(flag, field_name, value, self.loc(path))
                elif value:  # an unknown code says neither yes nor no: kept as published, no flag
                    asm.guide.extra.setdefault(field_name, Field(value, self.loc(path), field_name))
        self._extra(item, base)
        laws, laws_path = self.part(item, base, "laws")
        found = self.entries(laws, laws_path, "legal bases")
        if found:
            self._laws(found, laws_path)
        known = set(mapped) | {f for pair in self.map.get("limits", {}).values() for f in pair}
        known |= set(self.map.get("flags", {})) | self.charts_in(item, base)
        known |= {v for k, v in self.map.items() if k.endswith("_key")}
        if self.map.get("item_key", "x") == "":
            return  # the record itself holds the item: its other keys are lists and ids, not guide text
        for field_name, value in item.items():
            if field_name not in known and isinstance(value, str | int | float) and str(value).strip():
                loc = self.loc(_path(base, field_name))
                asm.guide.extra.setdefault(field_name, Field(html_to_text(value), loc, field_name))

    def _extra(self, item: Mapping[str, Any], base: str) -> None:
        """[json.<profile>.extra]: fields no guide element holds (受理时限, 复议诉讼途径 …), kept in
        Guide.extra under a Chinese label; [json.<profile>.number_unit] fields are "N&&unit" texts."""
        joined = self.map.get("number_unit", {})
        for field_name, label in self.map.get("extra", {}).items():
            value = item.get(field_name)
            if _is_empty(value):
                continue
            path = _path(base, field_name)
            text = _leaf_text(value)
            sep = joined.get(field_name)
            if sep and isinstance(value, str | int | float):
                day, _, unit = text.partition(sep)  # "5&&工作日"; "&&" = not stated
                text = _limit_text(day.strip(), unit.strip()) if day.strip() else ""
            if text:
                self.asm.guide.extra.setdefault(label, Field(text, self.loc(path), label))

    def _laws(self, laws: list[tuple[int, Mapping[str, Any]]], base: str) -> None:
        fields = self.map.get("law", {}).get("fields", ["LAWNAME", "ACCORDINGNUMBER", "TERMSNUMBER", "TERMSCONTENT"])
        lines = []
        for i, law in laws:
            parts = [self.text(law.get(f), _path(base, i), f) for f in fields]
            lines.append(" ".join(p for p in parts if p))
        text = "\n".join(line for line in lines if line)
        if text:
            self.asm.set_field("legal_basis", self.label_of("legal_basis"), text, self.loc(base))

    def _materials(self, materials: list[tuple[int, Mapping[str, Any]]], base: str) -> None:
        mapping: Mapping[str, str] = self.map.get("material", {})
        notes: Mapping[str, str] = self.map.get("material_notes", {})
        name_field = next((f for f, col in mapping.items() if col == "name"), "MATERIAL_NAME")
        codes, text = self.codes, self.text  # hot loop: every field of every material
        for i, entry in materials:
            row = _path(base, i)
            values: dict[str, str] = {}
            links: list[tuple[str, str, str]] = []
            undecoded: dict[str, str] = {}
            for field_name, col in mapping.items():
                raw = entry.get(field_name)
                if raw is None:
                    continue
                if col in ("blank_form", "sample") and isinstance(raw, list | dict):
                    links += [(col, name, link) for name, link in _attachments(raw, self.attach)]
                    continue
                value = text(raw, row, field_name)
                if value and col not in values:
                    if field_name in codes:
                        value, known = self.decode(field_name, value)
                        if not known:
                            undecoded[col] = value
                    values[col] = value
            material = build_material(values, links, self.loc(_path(row, name_field)))
            if material is None:
                continue
            if "forms" in undecoded and not material.forms:
                # a form code no table decodes ("1,2") still states a form: kept as published, so the
                # material is not reported as stating none
                material.forms = (undecoded["forms"],)
            if notes:
                lines = [material.note] if material.note else []
                for field_name, label in notes.items():
                    value, _known = self.decode(field_name, text(entry.get(field_name), row, field_name))
                    if value:
                        lines.append(f"{label}：{value}")
                material.note = "\n".join(lines)
            self.asm.material(material)

    def _steps(self, steps: list[tuple[int, Mapping[str, Any]]], base: str) -> None:
        mapping: Mapping[str, str] = self.map.get("step", {})
        first = next((f for f, col in mapping.items() if col == "name"), "UNTI_LINK_TEXT")
        for i, entry in steps:
            row = _path(base, i)
            values = {col: self.text(entry.get(f), row, f) for f, col in mapping.items() if entry.get(f) is not None}
            step = build_step(values, self.loc(_path(row, first)))
            if step is not None:
                self.asm.step(step)
            self.charts_in(entry, row)

    def _results(self, results: list[tuple[int, Mapping[str, Any]]], base: str) -> None:
        mapping: Mapping[str, str] = self.map.get("result", {})
        for i, entry in results[:1]:  # the first result is the guide's result; the others stay in the record
            for field_name, key in mapping.items():
                raw = entry.get(field_name)
                path = self.loc(_path(_path(base, i), field_name))
                if key == "result_sample" and isinstance(raw, list | dict):
                    attached = _attachments(raw, self.attach)
                    if attached:
                        name, link = attached[0]
                        self.asm.result_sample(" ".join(x for x in (name, link) if x), path)
                elif raw is not None and (value := self.text(raw, path.path)):
                    self.asm.set_field(key, self.label_of(key), value, path)

    def _qa(self, qas: list[tuple[int, Mapping[str, Any]]], base: str = "") -> None:
        spec = self.map.get("qa", {})
        q_field, a_field = spec.get("question", "QUESTION"), spec.get("answer", "ANSWER")
        for i, entry in qas:
            row = _path(base, i)
            question = self.text(entry.get(q_field), row, q_field)
            if question:
                answer = self.text(entry.get(a_field), row, a_field)
                self.asm.guide.faqs.append(Faq(question, answer, self.loc(_path(row, q_field))))


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
