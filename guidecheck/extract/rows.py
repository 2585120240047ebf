"""Table rows and record entries → `Material` / `Step`, for HTML tables, Markdown tables and JSON lists.

Columns are recognised by header synonyms (labels.toml [material_columns], [step_columns],
[result_columns]), so a table with 材料名称 | 介质 | 数量 and one with 名称 | 份数 | 提交形式 | 空表 | 样表 both
read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from guidecheck.extract.assemble import Assembler
from guidecheck.extract.freetext import classify_link, necessity_of
from guidecheck.model import Loc, Material, Step
from guidecheck.normalize import cn_to_int, parse_copies, parse_forms, parse_time_limit

Cell = tuple[str, Any, Sequence[tuple[str, str]]]
"""(text, position, links as (link text, href)); the position is a Loc or whatever `resolve` turns into one."""

_FORM_ORDER = ("原件", "复印件", "电子", "纸质")
_EMPTY_VALUES = frozenset({"", "无", "/", "-", "—", "暂无", "否"})
_FORM_WORDS_RE = re.compile(r"原件|正本|复印件|复制件|副本|影印件|电子版?|扫描件|扫描版|纸质|纸本")
_SPEC_WORD_RE = re.compile(r"[^\W_]")
_COUNT_WORD_RE = re.compile(r"[\d一二两三四五六七八九十]\s*[份张本套册]")


def one_line(text: str) -> str:
    """Whitespace collapsed to single spaces; the characters stay as published (no NFKC)."""
    return " ".join(text.split())


def classify_header(cells: Sequence[str], asm: Assembler) -> tuple[str, list[str | None]] | None:
    """("material" | "step" | "result", column keys) for a table header row, or None for a label–value table."""
    labels = asm.labels
    if asm.open_key in ("result_name", "result_sample"):
        cols = [labels.result_column(c) for c in cells]
        if sum(1 for c in cols if c) >= 1 and len(cells) >= 2:
            return "result", cols
    mat = [labels.material_column(c) for c in cells]
    found = {c for c in mat if c}
    strong = found & {"copies", "copies_original", "copies_copy", "forms", "necessity", "source"}
    if "name" in found and (strong or (asm.section == "materials_text" and len(found) >= 2)):
        return "material", mat
    results = [labels.result_column(c) for c in cells]
    if "result_name" in results and ("result_sample" in results or "result_template" in results):
        return "result", results  # 序号 | 名称 | 类型 | 模板 | 样例: a result table outside a 审批结果 heading
    step = [labels.step_column(c) for c in cells]
    found = {c for c in step if c}
    if found & {"name", "step"} and len(found) >= 2:
        return "step", step
    return None


def _same(position: Any) -> Loc:
    return position


def table_row(
    kind_cols: tuple[str, list[str | None]] | Sequence[str],
    cells: Sequence[Cell],
    asm: Assembler,
    row: Any,
    resolve: Callable[[Any], Loc] = _same,
    repeated: Collection[int] = (),
) -> None:
    """Read one data row under a classified header; `resolve` turns a cell or row position into a Loc.

    `repeated`: the columns whose cell is a rowspan cell of a row above (HTML)."""
    if not isinstance(kind_cols, tuple):
        found = classify_header(list(kind_cols), asm)
        if found is None:
            return
        kind_cols = found
    kind, cols = kind_cols
    values: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    locs: dict[str, Any] = {}
    for col, (text, cell_loc, cell_links) in zip(cols, cells, strict=False):
        if not col:
            continue
        if text and col not in values:
            values[col] = text
            locs[col] = cell_loc
        if cell_links:
            links += [(col, t, h) for t, h in cell_links]
    if kind == "material":
        if values.get("name"):
            material = build_material(values, links, resolve(locs.get("name", row)))
            if material is not None:
                asm.material(material)
    elif kind == "step":
        if repeated and asm.guide.steps and _continues_step(cols, repeated):
            limit_spans = "time_limit" in cols and cols.index("time_limit") in repeated
            merge_step(asm.guide.steps[-1], values, repeated_limit=limit_spans)
        elif values.get("name") or values.get("step"):
            step = build_step(values, resolve(locs.get("name", locs.get("step", row))))
            if step is not None:
                asm.step(step)
    else:
        if values.get("result_name"):
            asm.set_field("result_name", "结果名称", values["result_name"], resolve(locs["result_name"]))
        if values.get("result_type"):
            asm.set_field("result_type", "结果类型", values["result_type"], resolve(locs["result_type"]))
        sample = next((h or t for c, t, h in links if c == "result_sample"), None) or values.get("result_sample", "")
        if not sample and "result_sample" not in cols:
            sample = next((h or t for c, t, h in links if c == "result_template"), None) or ""
        if sample and sample not in _EMPTY_VALUES:
            asm.result_sample(sample, resolve(locs.get("result_sample", row)))


def build_material(values: Mapping[str, str], links: Sequence[tuple[str, str, str]], loc: Loc) -> Material | None:
    """A Material from column values (column key → text) and links (column key, text, href)."""
    name = one_line(values.get("name", ""))
    if not name:
        return None
    copies: int | None = None
    forms: list[str] = []
    copies_raw = values.get("copies", "")
    if "copies_original" in values or "copies_copy" in values or "copies_electronic" in values:
        original = _count(values.get("copies_original", ""))
        copy = _count(values.get("copies_copy", ""))
        if original is not None or copy is not None:
            copies = (original or 0) + (copy or 0)  # paper copies only: an electronic file is not a copy
        if original:
            forms.append("原件")
        if copy:
            forms.append("复印件")
        if _count(values.get("copies_electronic", "")):
            forms.append("电子")  # Guangzhou's elect = 电子件份数 (portals.md §2.4)
        copies_raw = "；".join(
            f"{label}{values[k]}"
            for k, label in (("copies_original", "原件"), ("copies_copy", "复印件"), ("copies_electronic", "电子件"))
            if k in values
        )
    elif copies_raw:
        copies = parse_copies(copies_raw)
    elif _COUNT_WORD_RE.search(values.get("forms", "")):
        copies_raw = one_line(values["forms"])  # 四川 申请材料要求 "原件1份，复印件2份": no count column
        copies = parse_copies(copies_raw)
    forms += parse_forms(values.get("forms", ""), ignore_remarks=False)
    forms += parse_forms(values.get("material_type", ""), ignore_remarks=False)  # 浙江 材料类型 "原件"
    spec = one_line(values.get("spec", ""))
    if spec:
        forms += parse_forms(spec, ignore_remarks=False)  # 材料规格 "原件/复印件" (湖南) states forms
    if "copies" in values:
        forms += parse_forms(values["copies"])
    blank_form = _link_for("blank_form", values, links)
    sample = _link_for("sample", values, links)
    necessity = _necessity(values.get("necessity", ""))
    return Material(
        name=name,
        loc=loc,
        forms=tuple(f for f in _FORM_ORDER if f in forms),
        copies=copies,
        copies_raw=copies_raw,
        necessity=necessity,
        source=one_line(values.get("source", "")),
        material_type=one_line(values.get("material_type", "")),
        blank_form=blank_form,
        sample=sample,
        note=_note(values.get("note", "").strip(), spec),
    )


def _note(note: str, spec: str) -> str:
    """The 备注 text, with a 规格 (paper size, "A4") that says more than the forms on a line of its own."""
    if spec in _EMPTY_VALUES or not _SPEC_WORD_RE.search(_FORM_WORDS_RE.sub("", spec)):
        return note
    line = f"规格：{spec}"
    return f"{note}\n{line}" if note else line


def _count(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    value = parse_copies(text)
    if value is None:
        value = cn_to_int(text)
    return value


def _necessity(text: str) -> str:
    text = one_line(text)
    if text in ("是", "必须", "必需", "必交", "必要", "Y", "1"):
        return "必要"
    if text in ("否", "非必须", "非必需", "N", "0"):
        return "非必要"
    return necessity_of(text) or text


def _link_for(kind: str, values: Mapping[str, str], links: Sequence[tuple[str, str, str]]) -> str | None:
    """The blank-form / sample link: from its own column first, else a link whose text says so."""
    for col, text, href in links:
        # One download column often holds both files: a link that says 样表 is never the blank form.
        if col == kind and (href or text) and not (kind == "blank_form" and classify_link(text, href) == "sample"):
            return href or text
    for _col, text, href in links:
        if classify_link(text, href) == kind and (href or text):
            return href or text
    value = one_line(values.get(kind, ""))
    if value in _EMPTY_VALUES or (kind == "blank_form" and classify_link(value, "") == "sample"):
        return None
    return value


def _continues_step(cols: Sequence[str | None], repeated: Collection[int]) -> bool:
    """A row whose 环节 cell spans down from the row above (and no own 步骤) continues that step."""
    names = [i for i, c in enumerate(cols) if c in ("name", "step")]
    return bool(names) and all(i in repeated for i in names)


def merge_step(step: Step, values: Mapping[str, str], *, repeated_limit: bool) -> None:
    """More of the same step (浙江 bllc_con: 受理 spans two rows, one per officer): its actors, contents
    and results are added; a time limit spanning both rows is the step's one limit, counted once."""
    for attr, sep in (("actor", "、"), ("content", "\n"), ("result", "\n")):
        more = values.get(attr, "").strip()
        old = getattr(step, attr)
        if more and more not in old:
            setattr(step, attr, f"{old}{sep}{more}" if old else more)
    limit_text = one_line(values.get("time_limit", ""))
    if limit_text and step.time_limit is None and not repeated_limit:
        step.time_limit = parse_time_limit(limit_text, step.loc)


def build_step(values: Mapping[str, str], loc: Loc) -> Step | None:
    """A Step from column values: 环节/步骤, 办理人员, 办理时限, 审查标准/办理内容, 办理结果."""
    name = one_line(values.get("name", "") or values.get("step", ""))
    if not name:
        return None
    content = values.get("content", "").strip()
    step_text = values.get("step", "").strip()
    if values.get("name") and step_text and step_text != name:
        content = f"{step_text}\n{content}".strip()
    limit_text = one_line(values.get("time_limit", ""))
    return Step(
        name=name,
        loc=loc,
        actor=one_line(values.get("actor", "")),
        content=content,
        time_limit=parse_time_limit(limit_text, loc) if limit_text else None,
        result=values.get("result", "").strip(),
    )
