"""How fast can any pure-Python extractor be? Floors for the check benchmark's ratio.

    python benchmarks/floor_bench.py [--pages 2000] [--repeat 3]

On the same generated pages as `check_bench.py`, times what every extractor built on lxml must do at
least, against the same bare parse: visiting each element once from Python (reading its tag, text and
tail, nothing else), reading the text of every cell-like element, and pulling every text node with one
XPath call (the C-side alternative, which loses where each text stood). CPU time of this process,
rounds turn about, median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_bench import generate  # noqa: E402

CELLS = ("td", "th", "dd", "dt", "p", "li", "h1", "h2", "h3", "h4")


def floors(pages: list[tuple[bool, bytes]]) -> dict[str, Callable[[], None]]:
    def each(visit: Callable[[lxml.html.HtmlElement], None]) -> Callable[[], None]:
        def run() -> None:
            for is_json, data in pages:
                if is_json:
                    json.loads(data)
                else:
                    visit(lxml.html.fromstring(data))

        return run

    def walk(root: lxml.html.HtmlElement) -> None:
        for el in root.iter():
            el.tag, el.text, el.tail  # noqa: B018 - the visit is the point

    def cells(root: lxml.html.HtmlElement) -> None:
        for el in root.iter(*CELLS):
            el.text_content()

    return {
        "bare parse": each(lambda root: None),
        "parse + visit every element": each(walk),
        "parse + text of every cell": each(cells),
        "parse + one XPath for all text": each(lambda root: root.xpath("//text()")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = [(f.suffix == ".json", f.read_bytes()) for f in generate(Path(tmp), args.pages)]
    runs = floors(pages)
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat + 1):  # the first round warms up and is dropped
        for name, fn in runs.items():
            start = time.process_time()
            fn()
            cpu[name].append(time.process_time() - start)
    bare = cpu["bare parse"][1:]
    elements = sum(1 for is_json, data in pages if not is_json for _ in lxml.html.fromstring(data).iter())
    print(f"pages: {len(pages)}, elements: {elements:,} ({elements / len(pages):.0f} per page), {args.repeat} rounds")
    for name, times in cpu.items():
        ratio = statistics.median(a / b for a, b in zip(times[1:], bare, strict=True))
        print(f"{name:<32} {statistics.median(times[1:]):.3f} s CPU  {ratio:.2f}x bare parse")


if __name__ == "__main__":
    main()
