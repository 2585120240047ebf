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
    table: _MdTable | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.replace("\u3000", " ").strip()
        loc = Loc(source, line=number)
        if _COMMENT_RE.match(line):
            continue
        if line.startswith("|"):
            table = table or _MdTable(asm)
            table.row(line, loc)
            continue
        table = None
        line = _MD_DECOR_RE.sub("", line)
        if line.startswith("**") and line.count("**") >= 2:
            asm.line(line, loc)  # bold headings keep their markers: heading_style reads them
            continue
        asm.line(_MD_EMPHASIS_RE.sub("", line), loc)


class _MdTable:
    """A Markdown table: materials/steps/results by header synonyms, two columns as label | value,
    anything else as one line per row."""

    def __init__(self, asm: Assembler):
        self.asm = asm
        self.header: tuple[str, list[str | None]] | None = None
        self.mode = ""

    def row(self, line: str, loc: Loc) -> None:
        if _MD_TABLE_SEP_RE.match(line):
            return
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        asm = self.asm
        if not self.mode:
            self.header = classify_header(cells, asm)
            if self.header is not None:
                self.mode = "rows"
                return
            self.mode = "pairs" if len(cells) == 2 else "lines"
        if self.mode == "rows":
            table_row(self.header, [(c, loc, ()) for c in cells], asm, loc)  # type: ignore[arg-type]
        elif self.mode == "pairs" and cells[0] and cells[1]:
            asm.pair(cells[0], cells[1], loc)
        else:
            asm.line(" ".join(c for c in cells if c), loc)
