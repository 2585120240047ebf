"""Plain-text and Markdown guides: numbered sections ("一、申请材料", "## 申请材料", "【办理流程】"),
"标签：值" lines and lists. Every value's Loc carries its line number."""

from __future__ import annotations

import re

from guidecheck.extract.assemble import Assembler
from guidecheck.extract.rows import classify_header, table_row
from guidecheck.model import Loc

_COMMENT_RE = re.compile(r"^\s*<!--.*-->\s*$")
_MD_DECOR_RE = re.compile(r"^\s*(?:>\s*|[-*_]{3,}\s*$)")
_MD_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}")
_MD_EMPHASIS_RE = re.compile(r"(?<!\*)\*\*(?!\*)|__")


def read_text(text: str, asm: Assembler) -> None:
    """Feed every line of a text or Markdown guide to the assembler."""
    source = asm.source
    table_header: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.replace("\u3000", " ").strip()
        loc = Loc(source, line=number)
        if _COMMENT_RE.match(line):
            continue
        if line.startswith("|"):
            table_header = _table_row(line, table_header, asm, loc)
            continue
        table_header = None
        line = _MD_DECOR_RE.sub("", line)
        if line.startswith("**") and line.count("**") >= 2:
            asm.line(line, loc)  # bold headings keep their markers: heading_style reads them
            continue
        asm.line(_MD_EMPHASIS_RE.sub("", line), loc)


def _table_row(line: str, header: list[str] | None, asm: Assembler, loc: Loc) -> list[str] | None:
    """Markdown tables: a header row, then rows read as materials/steps (by header) or label | value."""
    if _MD_TABLE_SEP_RE.match(line):
        return header
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if header is None:
        if classify_header(cells, asm) is None and len(cells) == 2:
            if cells[1]:
                asm.pair(cells[0], cells[1], loc)
            else:
                asm.line(cells[0], loc)
            return None
        return cells
    table_row(header, [(c, loc, ()) for c in cells], asm, loc)
    return header
