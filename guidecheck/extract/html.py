"""HTML guide pages → assembler events, in one walk over the tree.

Handles what real portals use (portals.md §2–4): label–value rows in th/td tables (also several pairs per
row: th td th td), dt/dd, "标签：值" in li/p; section headings (h1–h6, div.title …); material and step tables
read by their header synonyms; images and attachments (img src/alt, a[href$=.png|.pdf], `data-attach`
JSON) that become flowcharts in flow sections; blank-form and sample links in material rows. Script,
style and navigation noise is dropped before the walk. Each event's Loc is the element's XPath.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from lxml import etree

from guidecheck.errors import InputError
from guidecheck.extract.assemble import Assembler
from guidecheck.extract.rows import Cell, classify_header, table_row
from guidecheck.model import Loc

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
NOISE_TAGS = ("script", "style", "noscript", "template", "iframe", "select", "option", "button", "svg", "nav")
NOISE_IDS = frozenset({"header", "footer", "nav", "navbar", "menu", "topbar", "sidebar-nav", "breadcrumb", "crumb"})
NOISE_CLASSES = frozenset(
    {
        "header",
        "footer",
        "foot",
        "nav",
        "navbar",
        "menu",
        "crumb",
        "breadcrumb",
        "tabs",
        "tab-nav",
        "nav-tabs",
        "tab-list",
    }
)
_CONTAINER_TAGS = frozenset({"div", "ul", "ol", "header", "footer", "section", "aside", "p", "span", "table"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELL_TAGS = frozenset({"td", "th"})
_TITLE_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:title|tit|hd|heading|bt|subtitle|section-title)(?:$|[\s_-])", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>")
_FILE_HREF_RE = re.compile(r"\.(?:png|jpe?g|gif|bmp|pdf)(?:$|[?#])", re.IGNORECASE)
_WS_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b\ufeff]+")
_LINK_KEYS = frozenset({"result_sample", "online_url"})
_GENERIC_LINK_TEXT = frozenset({"", "查看", "下载", "查看样本", "点击查看", "点击下载", "预览", "详情", "链接"})


_PARSERS: dict[str, etree.HTMLParser] = {}


def _parser(encoding: str) -> etree.HTMLParser:
    parser = _PARSERS.get(encoding)
    if parser is None:
        parser = etree.HTMLParser(
            encoding=encoding or None, remove_comments=True, remove_pis=True, no_network=True, recover=True
        )
        _PARSERS[encoding] = parser
    return parser


def parse_html(text: str, data: bytes | None = None, encoding: str = "") -> etree._Element:
    """Parse with lxml's HTML parser (never raises on bad markup); InputError when nothing is left."""
    root = None
    if data is not None and encoding in ("utf-8", "gb18030"):
        try:
            root = etree.fromstring(data, _parser(encoding))
        except (etree.ParserError, ValueError):
            root = None
    if root is None:
        try:
            root = etree.fromstring(_XML_DECL_RE.sub("", text, count=1), _parser(""))
        except (etree.ParserError, ValueError):
            root = None
    if root is None:
        raise InputError("the page has no HTML content")
    return root


def read_html(text: str, asm: Assembler, data: bytes | None = None, encoding: str = "") -> None:
    """Walk a page. Given the raw bytes and their encoding, lxml decodes them itself (faster than from str)."""
    try:
        root = parse_html(text, data, encoding)
    except InputError:
        raise InputError(f"{asm.source}: the page has no HTML content") from None
    etree.strip_elements(root, *NOISE_TAGS, with_tail=False)
    walker = _HtmlWalker(root, asm)
    asm.resolve = walker.loc  # events carry elements; only kept values pay for an XPath
    asm.continue_lines = False
    walker.walk(root)


def is_noise(el: etree._Element) -> bool:
    """Site chrome (header, footer, navigation, tab bars) by id or class."""
    ident = el.get("id")
    if ident and ident.lower() in NOISE_IDS:
        return True
    cls = el.get("class")
    if cls:
        for name in cls.lower().split():
            if name in NOISE_CLASSES:
                return True
    return el.get("role") in ("navigation", "tablist")


def block_text(el: etree._Element) -> str:
    """An element's text with line breaks at <br> and block boundaries (a cell's "1.…<br>2.…" keeps its lines).

    Line breaks in the page source are only formatting: they become spaces, as a browser shows them.
    """
    if len(el) == 0:
        text = el.text or ""
        return text.replace("\n", " ") if "\n" in text else text
    parts: list[str] = []
    _collect(el, parts)
    return "".join(parts)


def _flat(text: str) -> str:
    return text.replace("\n", " ") if "\n" in text else text


def _collect(el: etree._Element, parts: list[str]) -> None:
    if el.text:
        parts.append(_flat(el.text))
    after_inline = False  # <span>事项名称</span><span>…</span>: CSS spaces them, the text needs a space
    for child in el:
        tag = child.tag
        if tag == "br":
            parts.append("\n")
            after_inline = False
        elif isinstance(tag, str):
            if tag in BLOCK_TAGS:
                parts.append("\n")
                _collect(child, parts)
                parts.append("\n")
                after_inline = False
            else:
                if after_inline and parts and not parts[-1][-1:].isspace():
                    parts.append(" ")
                _collect(child, parts)
                after_inline = True
        if child.tail:
            parts.append(_flat(child.tail))
            after_inline = after_inline and not child.tail.strip()


def clean_lines(text: str) -> list[str]:
    """Non-empty lines with runs of whitespace (also full-width and no-break spaces) collapsed."""
    if "\n" not in text:
        one = " ".join(text.split())
        return [one] if one else []
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line]


def clean_one(text: str) -> str:
    return " ".join(text.split())


def one_text(el: etree._Element) -> str:
    """An element's text on one line (labels, headings): `clean_one(block_text(el))`."""
    if len(el) == 0:  # most cells and labels: no markup inside, no line structure to keep
        text = el.text
        return " ".join(text.split()) if text else ""
    return " ".join(block_text(el).split())


def cell_text(el: etree._Element) -> str:
    """An element's text as clean lines joined by "\n" (values, cells): `clean_lines(block_text(el))`."""
    if len(el) == 0:
        text = el.text
        return " ".join(text.split()) if text else ""
    return "\n".join(clean_lines(block_text(el)))


class _HtmlWalker:
    def __init__(self, root: etree._Element, asm: Assembler):
        self.asm = asm
        self.tree = root.getroottree()
        self.source = asm.source
        self._locs: dict[etree._Element, Loc] = {}
        self._repeats: list[int] = []
        """Columns of the last spanned row that repeat a rowspan cell from a row above."""

    def loc(self, el: etree._Element) -> Loc:
        """The element's Loc, made once (a value and its label or row often resolve the same element)."""
        found = self._locs.get(el)
        if found is None:
            found = self._locs[el] = Loc(self.source, self.tree.getpath(el), el.sourceline)
        return found

    # --- dispatch ---------------------------------------------------------------------------------

    def walk(self, el: etree._Element) -> None:
        """Walk a container: its own text, then each child and the text after it."""
        text = el.text  # lxml builds a new str on every access: read once
        if text and not text.isspace():
            self._text(text, el)
        element = self.element
        for child in el:
            tag = child.tag
            if tag.__class__ is str:
                element(child, tag)
            tail = child.tail
            if tail and not tail.isspace():
                self._text(tail, el)

    def element(self, el: etree._Element, tag: str | None = None) -> None:
        if tag is None:
            tag = el.tag
        handler = _HANDLERS.get(tag)
        if handler is not None:
            handler(self, el)
        elif tag == "a" and (el.get("data-attach") or _FILE_HREF_RE.search(el.get("href", ""))):
            self._attachment(el)
        elif tag == "br" or (tag in _CONTAINER_TAGS and is_noise(el)):
            return
        elif len(el) and self._has_block_child(el):
            self.walk(el)
        else:
            self._leaf(el)

    @staticmethod
    def _has_block_child(el: etree._Element) -> bool:
        for child in el:
            tag = child.tag
            if tag.__class__ is str and (tag in BLOCK_TAGS or tag == "img" or child.get("data-attach")):
                return True
        return False

    # --- handlers ---------------------------------------------------------------------------------

    def _text(self, text: str, el: etree._Element) -> None:
        loc = el
        for line in clean_lines(_flat(text)):
            self.asm.line(line, loc)

    def _heading(self, el: etree._Element) -> None:
        title = one_text(el)
        if title:
            self.asm.heading(title, el, "tag")
        if len(el):
            self._media(el)

    def _leaf(self, el: etree._Element) -> None:
        """An element without block children: one or more lines of text, plus its links and images."""
        has_children = len(el) > 0
        if has_children:
            lines = clean_lines(block_text(el))
        else:  # plain text only: one line at most
            one = one_text(el)
            lines = [one] if one else []
        if lines:
            cls = el.get("class")
            if cls and len(lines) == 1 and len(lines[0]) <= 30 and _TITLE_CLASS_RE.search(cls):
                self.asm.heading(lines[0], el, "tag")
            else:
                line = self.asm.line
                for text in lines:
                    line(text, el)
        if has_children:
            self._media(el)

    def _media(self, el: etree._Element) -> None:
        """Images and links inside an element (callers skip elements without children)."""
        for sub in el.iter("img", "a"):
            if sub.tag == "img":
                self._img(sub)
            elif sub.get("data-attach") or _FILE_HREF_RE.search(sub.get("href", "")):
                self._attachment(sub)
            elif sub.get("href"):
                self.asm.link(sub.get("href", ""), _link_text(sub), sub)

    def _img(self, el: etree._Element) -> None:
        src = el.get("src") or el.get("data-src") or el.get("data-original") or ""
        caption = ""
        parent = el.getparent()
        if parent is not None and parent.tag == "figure":
            cap = parent.find("figcaption")
            if cap is not None:
                caption = one_text(cap)
        self.asm.image(src, el.get("alt", "").strip(), el.get("title", "").strip(), el, caption)

    def _attachment(self, el: etree._Element) -> None:
        loc = el
        raw = el.get("data-attach")
        if raw:
            for name, path in _attachments(raw):
                self.asm.image(path, "", name, loc, attach_name=name)
            return
        self.asm.link(el.get("href", ""), _link_text(el), loc)

    def _dl(self, el: etree._Element) -> None:
        label: etree._Element | None = None
        for child in el:
            tag = child.tag
            if tag == "dt":
                if label is not None:
                    self._pair(label, None)
                label = child
            elif tag == "dd":
                if label is not None:
                    self._pair(label, child)
                    label = None
                else:
                    self.element(child) if self._has_block_child(child) else self._leaf(child)
            elif isinstance(tag, str):
                self.element(child)
        if label is not None:
            self._pair(label, None)

    def _pair(self, label_el: etree._Element, value_el: etree._Element | None) -> None:
        """A label cell and its value cell (th/td, dt/dd)."""
        label = one_text(label_el)
        asm = self.asm
        if not label:
            if value_el is not None:
                self.element(value_el) if self._has_block_child(value_el) else self._leaf(value_el)
            return
        if len(label) > 24 or asm.section == "faq":
            # not a label: a question, a sentence (dt "问：…" / dd "答：…")
            self._leaf(label_el)
            if value_el is not None:
                self._leaf(value_el)
            return
        if value_el is None:
            asm.pair(label, "", label_el)
            return
        if len(value_el) == 0:  # the usual value: plain text
            text = value_el.text
            asm.pair(label, " ".join(text.split()) if text else "", value_el)
            return
        if next(value_el.iter("table"), None) is not None or asm.labels.section(label) == "container":
            # a nested table, or a whole guide in one cell (湖南 政务公开 "公开具体内容"): read it as a section
            asm.heading(label, label_el, "pair")
            if self._has_block_child(value_el):
                self.walk(value_el)
            else:
                self._leaf(value_el)
            return
        value = "\n".join(clean_lines(block_text(value_el)))
        if asm.labels.element(label) in _LINK_KEYS:
            value = _with_href(value_el, value)
        asm.pair(label, value, value_el)
        self._media(value_el)

    def _table(self, table: etree._Element) -> None:
        """A table: materials/steps/results by header synonyms, label columns, or label–value rows."""
        header: tuple[str, list[str | None]] | None = None
        columns: list[str] | None = None  # a header row of element labels: 法定办结时限 | 承诺办结时限
        generic_header = False
        asm = self.asm
        first = True
        spans: dict[int, list[Any]] = {}  # column → [cell, rows left] for rowspan cells
        for tr in _rows(table):
            cells = [c for c in tr if c.tag in _CELL_TAGS]
            if not cells:
                continue
            if first:
                first = False
                all_th = all(c.tag == "th" for c in cells)
                in_head = tr.getparent().tag == "thead"
                if len(cells) >= 2 and (all_th or in_head or len(cells) >= 3):
                    texts = [one_text(c) for c in cells]
                    header = classify_header(texts, asm)
                    if header is not None:
                        continue
                    if all_th or in_head:
                        known = sum(1 for t in texts if asm.labels.element(t))
                        if known * 2 >= len(texts):
                            columns = texts
                        else:
                            generic_header = in_head or len(cells) >= 3 or asm.section == "faq"
                        if columns is not None or generic_header:
                            continue
            if header is not None:
                row = self._spanned(cells, spans)
                table_row(header, row, asm, tr, self.loc, self._repeats if spans else ())
            elif columns is not None:
                for label, cell in zip(columns, cells, strict=False):
                    asm.pair(label, cell_text(cell), cell)
            elif generic_header and asm.section == "faq" and len(cells) >= 2:
                question, answer = one_text(cells[-2]), one_text(cells[-1])
                if question:
                    asm.faq(question, answer, tr)  # 序号 | 问题 | 解答
            elif generic_header:
                row = " ".join(one_text(c) for c in cells)
                if row.strip():
                    asm.line(row, tr)
                for c in cells:
                    if len(c):
                        self._media(c)
            else:
                self._label_row(cells)

    def _spanned(self, cells: Sequence[etree._Element], spans: dict[int, list[Any]]) -> list[Cell]:
        """A data row as cells per column, with rowspan cells repeated and colspan cells padded."""
        if not spans:
            for c in cells:
                if c.get("rowspan") or c.get("colspan"):
                    break
            else:
                return [self._cell(c) for c in cells]  # the usual, plain row
        out: list[Cell] = []
        queue = list(cells)
        col = 0
        self._repeats = repeats = []
        while queue or any(c >= col and left > 0 for c, (_, left) in spans.items()):
            held = spans.get(col)
            if held is not None and held[1] > 0:
                held[1] -= 1
                out.append(held[0])
                repeats.append(col)
                col += 1
                continue
            if not queue:
                break
            cell = queue.pop(0)
            parsed = self._cell(cell)
            out.append(parsed)
            rows = _int_attr(cell, "rowspan")
            if rows > 1:
                spans[col] = [parsed, rows - 1]
            width = _int_attr(cell, "colspan")
            for _ in range(1, width):
                col += 1
                out.append(("", cell, []))
            col += 1
        return out

    def _cell(self, cell: etree._Element) -> Cell:
        """(text, element, links): the element becomes a Loc only if the row uses this cell's position."""
        if len(cell) == 0:
            text = cell.text
            return (" ".join(text.split()) if text else ""), cell, ()
        links = [(_link_text(a), a.get("href", "")) for a in cell.iter("a")]
        return "\n".join(clean_lines(block_text(cell))), cell, links

    def _label_row(self, cells: Sequence[etree._Element]) -> None:
        i = 0
        n = len(cells)
        labels = self.asm.labels
        # "办件类型 | 承诺件 | 审查类型 | 前审后批": in a row of pairs whose other labels are known, a short
        # cell in a label's place is a label too, one this portal adds; its value is kept (Guide.extra)
        # rather than read as two stray lines.
        pairs = n >= 4 and n % 2 == 0 and any(self._labelish(cells[j], labels) for j in range(0, n, 2))
        while i < n:
            cell = cells[i]
            nxt = cells[i + 1] if i + 1 < n else None
            if (
                nxt is not None
                and nxt.tag == "td"
                and (
                    cell.tag == "th"
                    or self._labelish(cell, labels)
                    or (pairs and i % 2 == 0 and len(cell) == 0 and 0 < len(one_text(cell)) <= 12)
                )
            ):
                self._pair(cell, nxt)
                i += 2
                continue
            if cell.tag == "th" and nxt is None:
                self._pair(cell, None)
            elif self._has_block_child(cell):
                self.walk(cell)
            else:
                self._leaf(cell)
            i += 1

    @staticmethod
    def _labelish(cell: etree._Element, labels) -> bool:
        if len(cell) > 2:
            return False
        text = one_text(cell)
        return 0 < len(text) <= 20 and (labels.is_known(text) or text.endswith(("：", ":")))


# Tags with their own handler, looked up once per element instead of a chain of comparisons. Plain
# functions at module level: a dict of bound methods on the walker would make a reference cycle that
# keeps every page's tree alive until the cyclic GC runs.
_HANDLERS: dict[str, Callable[[_HtmlWalker, etree._Element], None]] = {
    **dict.fromkeys(HEADING_TAGS, _HtmlWalker._heading),
    "table": _HtmlWalker._table,
    "dl": _HtmlWalker._dl,
    "img": _HtmlWalker._img,
}


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's rows in document order: ./tr|./thead/tr|./tbody/tr|./tfoot/tr, without an XPath per table."""
    rows: list[etree._Element] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in _ROW_GROUPS:
            rows.extend(child.iterchildren("tr"))
    return rows


def _int_attr(el: etree._Element, name: str) -> int:
    raw = el.get(name)
    if not raw:
        return 1
    try:
        return max(1, min(int(raw), 50))
    except ValueError:
        return 1


def _link_text(a: etree._Element) -> str:
    raw = (a.text or "") if len(a) == 0 else "".join(a.itertext())  # the usual link: text only
    text = " ".join(raw.split())
    title = a.get("title", "").strip()
    return f"{text} {title}".strip() if title and title != text else text


def _with_href(el: etree._Element, value: str) -> str:
    """For link-valued elements (结果样本, 网办地址) keep the link target beside a generic text like "查看"."""
    for a in el.iter("a"):
        href = a.get("href", "").strip()
        if not href or href in value:
            continue
        name = a.get("title", "").strip()
        if value in _GENERIC_LINK_TEXT:
            return " ".join(x for x in (name, href) if x)
        return f"{value} {href}"
    return value


def _attachments(raw: str) -> list[tuple[str, str]]:
    """`data-attach` JSON ([{ATTACHNAME, FILEPATH}]) → (name, path) pairs; bad JSON is skipped."""
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    if isinstance(data, dict):
        data = [data]
    found: list[tuple[str, str]] = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            name = str(item.get("ATTACHNAME") or item.get("name") or "")
            path = str(item.get("FILEPATH") or item.get("url") or item.get("path") or "")
            if name or path:
                found.append((name, path))
    return found
