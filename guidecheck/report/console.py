"""A rich Console that never lets crawled text drive the terminal (see guidecheck.printable).

rich styles text with escape sequences of its own, produced after rendering; the text of each rendered
segment is what the page said. Filtering segments therefore removes injected escape sequences and
keeps rich's: every table, panel and line printed through this console is covered, whatever built it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from guidecheck.printable import UNSAFE, printable


class SafeConsole(Console):
    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None and UNSAFE.search(segment.text):
                yield Segment(printable(segment.text), segment.style, segment.control)
            else:
                yield segment
