"""From page pieces to a typed `Guide`, the same way for every format.

Format readers (text, HTML, JSON) walk their input in document order and report what they see to an
`Assembler`: headings, lines of text, label–value pairs, table rows of materials and steps, images and
links. The assembler keeps the state a reader of the page would keep — which section we are in, which
element a heading opened — maps labels to element keys (labels.toml), and at the end parses values
(time limits, visits, channels, copies) and free-text material lists and steps. So a "20个工作日" in a
text file, a `<td>` or a JSON field is parsed by the same code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guidecheck.errors import InputError
from guidecheck.extract.freetext import (
    ARROW_CHAR_RE,
    ARROW_RE,
    FILE_LINK_RE,
    channel_hint,
    file_name,
    flowchart_refs,
    parse_material_list,
    parse_steps,
)
from guidecheck.labels import Labels
from guidecheck.model import Diagnostic, Faq, Field, FlowChannel, Flowchart, Guide, Loc, Material, Step
from guidecheck.normalize import cn_to_int, is_yes, parse_channels, parse_time_limit, parse_visits

BODY_KEYS = ("materials_text", "flow_text", "online_flow_text", "window_flow_text")
"""Elements whose section body is parsed further (materials list, steps) rather than kept as one value."""
FLOW_KEYS = frozenset({"flow_text", "online_flow_text", "window_flow_text"})
SECTION_CHANNEL: dict[str, FlowChannel] = {"online_flow_text": "online", "window_flow_text": "window", "flow_text": ""}

NOT_AUDITABLE_MIN_LABELS = 5
"""A page showing at least this many guide labels …"""
NOT_AUDITABLE_MAX_FILLED = 0.2
"""… of which at most this share carry a value is a JS-filled shell, not an auditable guide."""

WORD_VALUED_KEYS = (
    "item_type",
    "channels_text",
    "case_type",
    "service_object",
    "is_online",
    "online_depth",
    "fee",
    "delivery",
)
"""Elements whose published value is words (行政许可, 窗口办理, 承诺件 …), never a bare number."""
CODED_MIN_FIELDS = 3
"""This many of them holding codes ("1", "1,2,3") mark a page whose values are dictionary codes (icity)."""
_CODE_RE = re.compile(r"^\s*\d{1,3}(?:\s*[,，|、]\s*\d{1,3})*\s*$")

STRONG_STYLES = frozenset({"cn", "bracket", "md1", "md2", "md3", "md4", "part", "tag"})
"""Heading styles that start a new section even when the title is not a known label."""

_CN = "一二三四五六七八九十"
_HEADING_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("md", re.compile(r"^(#{1,6})\s*(.+?)\s*#*$")),
    ("bracket", re.compile(r"^【([^】]{1,20})】\s*[:：]?\s*(.*)$")),
    ("cn", re.compile(rf"^[{_CN}]+\s*[、.．]\s*(.+)$")),
    ("part", re.compile(rf"^第[{_CN}\d]+[部分章节]+\s*[、:：.．]?\s*(.+)$")),
    ("paren", re.compile(rf"^[(（][{_CN}]+[)）]\s*[、.．]?\s*(.+)$")),
    ("num", re.compile(r"^\d{1,2}\s*[、.．](?!\d)\s*(.+)$")),
    ("bold", re.compile(r"^\*\*(.+?)[:：]?\*\*\s*[:：]?\s*(.*)$")),
)
_PAIR_RE = re.compile(r"^\s*([^:：。，,；;！？!?\n]{1,20}?)\s*[:：]\s*(.*)$", re.DOTALL)
_LABEL_BAD_RE = re.compile(r"^\d|https?$|[《》“”\"]")


def _same_loc(position: Any) -> Loc:
    return position


_HEADING_FIRST_CHARS = frozenset("#【*第(（" + _CN + "0123456789０１２３４５６７８９")


def heading_style(text: str) -> tuple[str, str] | None:
    """(style, title) when a line looks like a heading: "一、申请材料", "## 申请材料", "【办理流程】" …"""
    if not text or text[0] not in _HEADING_FIRST_CHARS:
        return None  # most lines: skip the seven patterns
    for style, pattern in _HEADING_PATTERNS:
        m = pattern.match(text)
        if m:
            if style == "md":
                return f"md{min(len(m.group(1)), 4)}", m.group(2)
            if style in ("bracket", "bold"):
                title, rest = m.group(1), m.group(2)
                return style, f"{title}：{rest}" if rest else title
            return style, m.group(1)
    return None


_BOTH_LIMITS_RE = re.compile(r"法定.{0,12}承诺|承诺.{0,12}法定")
_LEGAL_PART_RE = re.compile(r"法定(?:办结|办理)?(?:时限|期限)?(?:为|是)?\s*[:：]?\s*([^，,；;。]+)")
_PROMISED_PART_RE = re.compile(r"承诺(?:办结|办理)?(?:时限|期限)?(?:为|是)?\s*[:：]?\s*([^，,；;。]+)")
_CN_PREFIX_RE = re.compile(rf"^([{_CN}]+)")


def _cn_number(text: str) -> int | None:
    m = _CN_PREFIX_RE.match(text)
    return cn_to_int(m.group(1)) if m else None


_SPLIT_CACHE: dict[str, tuple[str, str] | None] = {}
_SPLIT_CACHE_MAX = 50_000


def split_pair(text: str) -> tuple[str, str] | None:
    """ "标签：值" → (label, value) when the part before the colon can be a label.

    Memoised: headings and label lines repeat from page to page (the result is an immutable tuple).
    """
    try:
        return _SPLIT_CACHE[text]
    except KeyError:
        pass
    found = _split_pair(text)
    if len(_SPLIT_CACHE) < _SPLIT_CACHE_MAX:
        _SPLIT_CACHE[text] = found
    return found


def _split_pair(text: str) -> tuple[str, str] | None:
    m = _PAIR_RE.match(text)
    if not m:
        return None
    label = m.group(1).strip()
    value = m.group(2).strip()
    if not label or _LABEL_BAD_RE.search(label):
        return None
    if label[-1].isdigit() and value[:1].isdigit():
        return None  # a clock time ("上午9:00-12:00"), not a label
    return label, value


@dataclass(slots=True)
class _OpenField:
    key: str
    label: str
    loc: Loc
    lines: list[str] = field(default_factory=list)
    from_heading: bool = False
    """Opened by a heading or a bare label: following "电话：…" lines belong to it."""


@dataclass(slots=True)
class _Body:
    """The lines of a 申请材料 / 办理流程 section, kept for parsing at the end."""

    key: str
    label: str
    loc: Loc
    lines: list[tuple[str, Loc]] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)
    """(line index, link text, href) for links seen in the section (blank forms, samples)."""
    table_steps: bool = False
    breaks: list[int] = field(default_factory=list)
    """Line indexes where a second label re-opened the section (淄博: 办事流程 then 业务流程): each part
    is its own list of steps."""


_FILE_SUFFIX_RE = re.compile(r"\.(?:png|jpe?g|gif|bmp|pdf|docx?|xlsx?|vsdx?)$", re.IGNORECASE)


def _names_known_chart(ref: Flowchart, charts: list[Flowchart]) -> bool:
    """A flowchart named in the flow text ("…流程图.png" under the image, "见《…流程图》") that is already
    there as an image or attachment: the same chart, not a second one."""
    names = {_FILE_SUFFIX_RE.sub("", n) for n in (ref.file_name, ref.title) if n}
    return any(names & {_FILE_SUFFIX_RE.sub("", n) for n in (c.file_name, c.title) if n} for c in charts)


class Assembler:
    """Collects what a format reader sees and builds the `Guide`."""

    def __init__(self, source: str, fmt: str, encoding: str, labels: Labels):
        self.labels = labels
        self.source = source
        self.guide = Guide(source=source, format=fmt, encoding=encoding)
        self._fields: dict[str, tuple[int, Field]] = {}
        self._seen: set[str] = set()
        self._section: str | None = None
        self._section_style = ""
        self._heading_number: int | None = None
        """The number of the last "一、…" heading (a later sibling must count on)."""
        self._body_number: int | None = None
        self._step_number: int | None = None
        """The last "N." item of the open flow section: "N+1. 结果送达：…" is its next step, not 送达方式."""
        self._flow_parent = False
        self._bodies: dict[str, _Body] = {}
        self._flow_all: list[str] = []
        self._open: _OpenField | None = None
        self._faq_q: tuple[str, Loc] | None = None
        self._faq_a: list[str] = []
        self._flags: dict[str, Field] = {}
        self._charts: dict[str, Flowchart] = {}
        self.resolve: Callable[[Any], Loc] = _same_loc
        """Turns the position a reader passes (a Loc, or e.g. an lxml element) into a Loc, lazily."""
        self.continue_lines = True
        """Lines after a "标签：值" line continue its value (text files); HTML readers allow it only
        within the same element."""
        self.text_steps = True
        """Parse steps out of flow text; a reader with a step table for the whole guide switches this off."""
        self.offered: set[str] = set()
        """Channels a record offers by a part rather than a 办理形式 text (Guangzhou's windows[] = 窗口办理)."""
        self._implicit_materials = False
        """In a numbered material list that no label announced (see `_unlabelled`)."""

    # --- events from the readers -----------------------------------------------------------------

    def heading(self, title: str, loc: Loc, style: str = "tag") -> None:
        """A section heading (h2, "一、…", "## …", "【…】" or a bare label line)."""
        self._close_field()
        self._close_faq()
        title = title.strip()
        labels = self.labels
        pair = split_pair(title)
        if pair:
            if pair[1]:
                info = labels.info(pair[0])
                if info[0] in BODY_KEYS:
                    # "六、办理流程：申请→受理→…": the section keeps the heading's style, so "七、…" ends it
                    self._open_body(info[0], pair[0], loc, style)
                    for part in pair[1].split("\n"):
                        self.line(part, loc)
                    return
                if info[0] or info[2]:
                    self._section = None if self._section in BODY_KEYS else self._section
                    self.pair(pair[0], pair[1], loc, from_text=True)
                    return
            else:
                title = pair[0]
        key, _rank, _flag, kind = labels.info(title)
        if key in BODY_KEYS:
            self._open_body(key, title, loc, style)
            return
        if key:
            if self._section in BODY_KEYS or self._section == "faq":
                self._section = None
            self._open = _OpenField(key, title, loc, from_heading=True)
            return
        self._section = kind or "other"
        self._section_style = style
        self._flow_parent = False

    def line(self, text: str, loc: Loc) -> None:
        """One line of running text (a text-file line, a `<p>`/`<li>`, a line of a cell)."""
        text = text.strip()
        if not text:
            if self._open and self._open.lines and not self._open.from_heading:
                self._close_field()
            return
        if self._implicit_materials and not _ITEM_START_RE.match(text):
            self._implicit_materials = False
            self._section = None
        labels = self.labels
        hs = heading_style(text)
        in_body = self._section in BODY_KEYS
        if hs:
            style, title = hs
            known = self._heading_known(title)
            number = _cn_number(text) if style == "cn" else None
            if in_body:
                sibling = style == self._section_style and style in STRONG_STYLES
                if sibling and number is not None:
                    # "一、申请表" under "三、申请材料" is an item; "四、…" after it is the next section,
                    # unless the items themselves count on (一、二、三、四 …)
                    continues_items = self._body_number is not None and number == self._body_number + 1
                    sibling = not continues_items and (self._heading_number is None or number > self._heading_number)
                if (known or sibling) and not self._next_step(text):
                    self._heading_number = number if number is not None else self._heading_number
                    self.heading(title, loc, style)
                    return
                if number is not None:
                    self._body_number = number
            elif known or style in STRONG_STYLES:
                self._heading_number = number if number is not None else self._heading_number
                self.heading(title, loc, style)
                return
        pair = split_pair(text)
        if in_body:
            if pair and self._ends_body(pair[0]) and not self._next_step(text):
                self._section = None
                self.pair(pair[0], pair[1], loc, from_text=True, raw=text)
            elif not pair and len(text) <= 20 and self._ends_body(text):
                self.heading(text, loc, "bare")
            else:
                self._body_line(text, loc)
            return
        if pair is None and " " in text:
            head, _, rest = text.partition(" ")
            info = labels.info(head) if rest else None
            if info and (info[0] or info[2]) and info[0] not in BODY_KEYS:
                pair = (head, rest.strip())  # "事项名称 城市建筑垃圾处置核准" (spans, PDF text)
        if pair:
            self.pair(pair[0], pair[1], loc, from_text=True, raw=text)
            return
        if len(text) <= 20:
            info = labels.info(text)
            if info[0] or info[3] or info[2]:
                self.heading(text, loc, "bare")
                return
        opened = self._open
        if opened and not (opened.from_heading or self.continue_lines or loc is opened.loc):
            self._close_field()  # HTML: another element after "标签：值" is not part of that value
            opened = None
        if opened:
            opened.lines.append(text)
        elif self._section == "faq":
            self._faq_line(text, loc)
        elif self._section in (None, "other"):
            self._unlabelled(text, loc)

    def _unlabelled(self, text: str, loc: Loc) -> None:
        """A line no label claims. County pages (河南 基层政务公开) list the materials and write the flow
        ("申请--受理--审核--办结") without a label; a reader still sees a material list and a flow."""
        if "flow_text" not in self._bodies and ARROW_CHAR_RE.search(text):
            parts = [p for p in ARROW_RE.split(text.strip(_CHAIN_TRIM)) if p]
            if len(parts) >= 3 and all(_CHAIN_PART_RE.fullmatch(p) for p in parts):
                self._open_body("flow_text", "", loc, "implicit")
                self._body_line(text, loc)
                self._section = None
                return
        if "materials_text" not in self._bodies and _ITEM_START_RE.match(text) and _DOCUMENT_END_RE.search(text):
            self._open_body("materials_text", "", loc, "implicit")
            self._implicit_materials = True
            self._body_line(text, loc)

    def pair(self, label: str, value: str, loc: Loc, *, from_text: bool = False, raw: str = "") -> None:
        """A label and its value (th/td, dt/dd, "标签：值", a JSON key); `raw` is the line it was split from."""
        labels = self.labels
        if label[-1:] in (":", "：", " ") or label[:1] == " ":
            label = label.strip().rstrip(":：").strip()
        key, rank, flag, _kind = labels.info(label)  # one memoised lookup per label
        if key:
            flag = None
        opened = self._open
        if opened:
            if opened.from_heading and (not (key or flag) or key == opened.key or labels.is_sublabel(label)):
                opened.lines.append(raw or (f"{label}：{value}" if value else label))
                return
            self._close_field()
        if key in BODY_KEYS:
            self._open_body(key, label, loc, "pair")
            for part in value.split("\n"):
                self.line(part, loc)
            return
        if self._section == "faq" and not key and self._faq_pair(label, value, loc):
            return
        if key:
            if from_text:
                self._open = _OpenField(key, label, loc, [value] if value else [], from_heading=not value)
            else:
                self._set_field(key, label, value, loc, rank if label else 0)
            return
        label = label.strip()
        if flag:
            if flag not in self._flags:
                self._flags[flag] = Field(value, self._loc(loc), label)
            self._seen.add(f"flag:{flag}")
        if label and value and label not in self.guide.extra:
            self.guide.extra[label] = Field(value, self._loc(loc), label)

    def set_field(self, key: str, label: str, text: str, loc: Loc) -> None:
        """Record an element's value; when two labels give the same element, the higher-ranked label wins."""
        self._set_field(key, label, text, loc, self.labels.element_rank(label) if label else 0)

    def _set_field(self, key: str, label: str, text: str, loc: Loc, rank: int) -> None:
        text = text.strip()
        self._seen.add(key)
        old = self._fields.get(key)
        if old is None or (text and not old[1].text):
            self._fields[key] = (rank, Field(text, self._loc(loc), label))
        elif text and rank < old[0]:
            self._fields[key] = (rank, Field(text, self._loc(loc), label))
            self.guide.extra.setdefault(old[1].label or key, old[1])
        elif text and text != old[1].text and (label or key) not in self.guide.extra:
            self.guide.extra[label or key] = Field(text, self._loc(loc), label)

    def material(self, material: Material) -> None:
        self.guide.materials.append(material)
        self._seen.add("materials_text")

    def step(self, step: Step) -> None:
        """A step from a table row or a record; takes the channel of the flow section it stands in."""
        if not step.channel and self._section in FLOW_KEYS:
            step.channel = SECTION_CHANNEL[self._section]  # type: ignore[index]
        if self._section in self._bodies:
            self._bodies[self._section].table_steps = True  # type: ignore[index]
        self.guide.steps.append(step)
        self._seen.add("flow_text")

    def image(
        self,
        src: str,
        alt: str,
        title: str,
        loc: Loc,
        caption: str = "",
        *,
        attach_name: str = "",
        channel: FlowChannel | None = None,
    ) -> None:
        """An image or an attached file; flow-section images and "…流程图" files become flowcharts.

        The same chart is often shown twice (an <img> and a download link): charts are merged by file path.
        """
        base = file_name(src)
        name = attach_name or base
        label = title or alt or caption
        in_flow = self._section in FLOW_KEYS or channel is not None
        if not in_flow and "流程" not in f"{label}{name}":
            return
        key = base or name
        known = self._charts.get(key) if key else None
        if known is not None:
            known.title = known.title or label
            known.text = known.text or caption or alt
            if attach_name:
                known.file_name = attach_name
            return
        if channel is None:
            channel = SECTION_CHANNEL.get(self._section or "", "") if in_flow else ""
        if not channel:
            channel = channel_hint(f"{label} {name}")
        chart = Flowchart(loc=self._loc(loc), title=label or name, text=caption or alt, file_name=name, channel=channel)
        if key:
            self._charts[key] = chart
        self.guide.flowcharts.append(chart)
        self._seen.add("flow_text")

    def link(self, href: str, text: str, loc: Loc) -> None:
        """A link in running text: a blank-form/sample download in a materials section, or a flowchart file."""
        body = self._bodies.get(self._section or "")
        if body is not None and body.key == "materials_text":
            body.links.append((max(len(body.lines) - 1, 0), text, href))
            return
        if FILE_LINK_RE.search(href) or "流程图" in text:
            self.image(href, "", text, loc)

    def set_flag(self, flag: str, label: str, value: str, loc: Loc) -> None:
        """A yes/no flag such as supports_post (是否支持物流快递), from a record field."""
        self._flags.setdefault(flag, Field(value, self._loc(loc), label))
        if value:
            self.guide.extra.setdefault(label, Field(value, self._loc(loc), label))

    def result_sample(self, text: str, loc: Loc) -> None:
        self.set_field("result_sample", "结果样本", text, loc)

    def faq(self, question: str, answer: str, loc: Loc) -> None:
        self.guide.faqs.append(Faq(question, answer, self._loc(loc)))

    @property
    def section(self) -> str | None:
        """The section we are in: a BODY_KEYS element, "container", "faq", "other" or None."""
        return self._section

    @property
    def open_key(self) -> str | None:
        """The element a heading or label opened and whose value is still being read."""
        return self._open.key if self._open else None

    def enter_section(self, kind: str | None) -> None:
        """Set the section directly (JSON records know it without headings)."""
        self._close_field()
        self._section = kind
        self._flow_parent = False

    # --- state helpers --------------------------------------------------------------------------

    def _heading_known(self, title: str) -> bool:
        pair = split_pair(title)
        label = pair[0] if pair else title
        key, _rank, flag, kind = self.labels.info(label)
        if key and self._section in BODY_KEYS and self._is_body_sublabel(label):
            return False
        return bool(key or kind or flag)

    def _is_body_sublabel(self, label: str) -> bool:
        labels = self.labels
        if self._section in FLOW_KEYS:
            return labels.step_column(label) is not None
        return labels.material_column(label) is not None

    def _ends_body(self, label: str) -> bool:
        """A known element label that is not a sub-label of the section (办理时限 inside a flow is a step's)."""
        key = self.labels.element(label)
        return bool(key) and not self._is_body_sublabel(label)

    def _open_body(self, key: str, label: str, loc: Loc, style: str) -> None:
        if key in ("online_flow_text", "window_flow_text") and (self._flow_parent or self._section in FLOW_KEYS):
            self._flow_parent = True
        else:
            self._flow_parent = key == "flow_text"
            self._section_style = style
        self._section = key
        self._body_number = None
        self._step_number = None
        self._seen.add(key)
        body = self._bodies.get(key)
        if body is None:
            self._bodies[key] = _Body(key, label, loc)
        elif not body.lines and not body.table_steps:
            body.label, body.loc = label, loc  # a tab or a table of contents named it first
        elif body.lines:
            body.breaks.append(len(body.lines))

    def _body_line(self, text: str, loc: Loc) -> None:
        body = self._bodies[self._section]  # type: ignore[index]
        body.lines.append((text, loc))
        if self._section in FLOW_KEYS:
            self._flow_all.append(text)
            if text[0] in _ITEM_FIRST_CHARS and (m := _ITEM_NUMBER_RE.match(text)):
                self._step_number = int(m.group(1))

    def _next_step(self, text: str) -> bool:
        """A flow's next numbered step, whatever its name: "5. 结果送达：…" after "4. 决定：…"."""
        if self._section not in FLOW_KEYS or self._step_number is None:
            return False
        m = _ITEM_NUMBER_RE.match(text)
        return m is not None and int(m.group(1)) == self._step_number + 1

    def _loc(self, position: Any) -> Loc:
        return position if position.__class__ is Loc else self.resolve(position)

    def _close_field(self) -> None:
        opened = self._open
        if opened is None:
            return
        self._open = None
        self.set_field(opened.key, opened.label, "\n".join(opened.lines), opened.loc)

    def _faq_line(self, text: str, loc: Loc) -> None:
        kind = faq_kind(text)
        if kind and kind[0] == "a":
            self._faq_a.append(kind[1])
        elif kind or self._faq_q is None or text.endswith(("?", "？")):
            self._close_faq()
            self._faq_q = ((kind[1] if kind else text).strip(), loc)
        else:
            self._faq_a.append(text)

    def _faq_pair(self, label: str, value: str, loc: Loc) -> bool:
        norm = self.labels.norm(label)
        if norm in ("问", "问题", "Q", "提问"):
            self._close_faq()
            self._faq_q = (value, loc)
            return True
        if norm in ("答", "回答", "解答", "A", "答复") and self._faq_q:
            self._faq_a.append(value)
            return True
        return False

    def _close_faq(self) -> None:
        if self._faq_q:
            question, loc = self._faq_q
            self.guide.faqs.append(Faq(question, "\n".join(self._faq_a).strip(), self._loc(loc)))
        self._faq_q = None
        self._faq_a = []

    # --- the end: parse and check ------------------------------------------------------------------

    def finish(self) -> Guide:
        try:
            self._close_field()
            self._close_faq()
            guide = self.guide
            for key, (_rank, fld) in self._fields.items():
                setattr(guide, key, fld)
            self._finish_bodies()
            self._parse_values()
            self._check_auditable()
            return guide
        finally:
            # The reader's locator holds the page tree and the reader holds this assembler: a reference cycle
            # that kept every page alive until the cyclic GC ran (about 15 % of a large check's time).
            self.resolve = _same_loc

    def _finish_bodies(self) -> None:
        guide = self.guide
        resolve = self._loc
        for body in self._bodies.values():
            body.loc = resolve(body.loc)
            body.lines = [(t, resolve(p)) for t, p in body.lines]
        for key, body in self._bodies.items():
            text = "\n".join(t for t, _ in body.lines)
            if key == "flow_text" and self._flow_all:
                text = "\n".join(self._flow_all)
            if getattr(guide, key) is None or (text and not getattr(guide, key).text):
                setattr(guide, key, Field(text, body.loc, body.label))
        materials = self._bodies.get("materials_text")
        if materials and not guide.materials:
            guide.materials = parse_material_list(materials.lines, materials.links)
        # Flow sections in page order (never in set order: steps and flowcharts would shuffle between runs)
        for key, body in self._bodies.items():
            if key not in FLOW_KEYS:
                continue
            channel = SECTION_CHANNEL[key]
            if not body.table_steps and self.text_steps:
                for start, end in zip([0, *body.breaks], [*body.breaks, len(body.lines)], strict=True):
                    guide.steps += parse_steps(body.lines[start:end], channel, self.labels)
            for ref in flowchart_refs(body.lines, channel):
                if not _names_known_chart(ref, guide.flowcharts):
                    guide.flowcharts.append(ref)
        if guide.flow_text is None:
            parts = [f for f in (guide.online_flow_text, guide.window_flow_text) if f]
            if parts:
                guide.flow_text = Field("\n".join(p.text for p in parts), parts[0].loc, parts[0].label)

    def _parse_values(self) -> None:
        guide = self.guide
        channels: set[str] = set()
        if guide.channels_text:
            channels |= parse_channels(guide.channels_text.text)
        if guide.is_online and is_yes(guide.is_online.text):
            channels.add("online")
        post = self._flags.get("supports_post")
        if post and is_yes(post.text):
            channels.add("post")
        guide.channels = frozenset(channels | self.offered)
        promised = guide.promised_limit_text
        if promised and promised.text and _BOTH_LIMITS_RE.search(promised.text):
            # "办理时限：法定20个工作日，承诺5个工作日": one label, both limits
            legal_part = _LEGAL_PART_RE.search(promised.text)
            promised_part = _PROMISED_PART_RE.search(promised.text)
            if legal_part and guide.legal_limit_text is None:
                guide.legal_limit_text = Field(legal_part.group(1), promised.loc, promised.label)
            if promised_part:
                guide.promised_limit = parse_time_limit(promised_part.group(1), promised.loc)
        if guide.legal_limit_text and guide.legal_limit_text.text:
            guide.legal_limit = parse_time_limit(guide.legal_limit_text.text, guide.legal_limit_text.loc)
        if promised and promised.text and guide.promised_limit is None:
            guide.promised_limit = parse_time_limit(promised.text, promised.loc)
        if guide.visits_text and guide.visits_text.text:
            guide.visits = parse_visits(guide.visits_text.text)
        zero = self._flags.get("zero_visits")
        if guide.visits_text is None and zero is not None and zero.text:
            guide.visits_text = zero  # "是否零跑腿：是" = 0 visits; "否" says only that some are needed
            guide.visits = 0 if is_yes(zero.text) else None
        if guide.fee is None and guide.fee_standard is not None and guide.fee_standard.text:
            guide.fee = guide.fee_standard  # "收费标准：不收费" answers 是否收费 too

    def _check_auditable(self) -> None:
        guide = self.guide
        element_keys = {k for k in self._seen if not k.startswith("flag:")}
        if not self._seen and not guide.materials and not guide.steps:
            examples = "、".join(self.labels.example_labels())
            raise InputError(f"{self.source}: no guide found: none of the guide labels ({examples}, …) appear")
        filled = {k for k in element_keys if (f := guide.element(k)) is not None and f.text.strip()}
        if guide.materials:
            filled.add("materials_text")
        if guide.steps or guide.flowcharts:
            filled.add("flow_text")
        coded = [k for k in WORD_VALUED_KEYS if (f := guide.element(k)) is not None and _CODE_RE.match(f.text)]
        if len(coded) >= CODED_MIN_FIELDS:
            shown = "、".join(f"{guide.element(k).label}={guide.element(k).text}" for k in coded[:3])  # type: ignore[union-attr]
            guide.diagnostics.append(
                Diagnostic(
                    code="not-auditable",
                    message=(
                        f"{self.source}: not auditable: {len(coded)} elements hold dictionary codes instead of text "
                        f"({shown}); the portal decodes them in the browser (save the rendered page instead)"
                    ),
                    loc=Loc(self.source),
                )
            )
            return
        if len(element_keys) >= NOT_AUDITABLE_MIN_LABELS and len(filled) <= NOT_AUDITABLE_MAX_FILLED * len(
            element_keys
        ):
            guide.diagnostics.append(
                Diagnostic(
                    code="not-auditable",
                    message=(
                        f"{self.source}: not auditable: the page shows {len(element_keys)} guide labels but only "
                        f"{len(filled)} carry a value; it is probably filled in by JavaScript "
                        "(save the rendered page, or fetch the portal's JSON record instead)"
                    ),
                    loc=Loc(self.source),
                )
            )


_ITEM_NUMBER_RE = re.compile(r"^[(（]?(\d{1,2})\s*(?:[、.．](?!\d)|[)）])")
_ITEM_FIRST_CHARS = frozenset("0123456789(（")
_ITEM_START_RE = re.compile(r"^(?:\d{1,2}\s*[、.．](?!\d)|[(（]\d{1,2}[)）])")
_DOCUMENT_END_RE = re.compile(
    r"(?:表|书|证|照|证明|报告|复印件|原件|图纸|说明|材料|合同|协议|文件|照片|执照|户口簿|方案)[)）]?\s*[;；。.]?$"
)
"""A numbered line naming a document ("2.营业执照复印件；"), not a condition or a sentence."""
_CHAIN_PART_RE = re.compile(r"[\u4e00-\u9fff]{1,8}")
_CHAIN_TRIM = " 。.;；"


_FAQ_LINE_RE = re.compile(r"^(?:(?P<q>问|Q|问题)|(?P<a>答|A|回答|解答))\s*\d*\s*[:：.、]\s*(?P<text>.+)$")
_FAQ_NUM_RE = re.compile(r"^\d{1,2}\s*[、.．](?!\d)\s*(.+)$")


def faq_kind(text: str) -> tuple[str, str] | None:
    """("q", question) / ("a", answer) for "问：…" / "答：…" / "1. …？" lines, else None."""
    m = _FAQ_LINE_RE.match(text)
    if m:
        return ("a" if m.group("a") else "q"), m.group("text")
    m = _FAQ_NUM_RE.match(text)
    if m:
        return "q", m.group(1)
    return None
