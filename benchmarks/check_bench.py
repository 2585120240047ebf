"""Benchmark `check`: extraction + rules over ≥ 2,000 generated guide pages, against bare lxml parsing.

    python benchmarks/check_bench.py [--pages 2000] [--repeat 3] [--jobs 2]

The baseline is measured in the same run on the same files: read each file and parse it with lxml
(HTML) or json (JSON records), nothing else. The figure that matters is the ratio
guidecheck / baseline; guides per second depend on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import io
import json
import platform
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from guidecheck.api import check_paths  # noqa: E402
from guidecheck.engine import load_ruleset  # noqa: E402


def templates() -> list[Path]:
    """Real-looking pages to vary: the sample portal's guides (HTML and JSON) and the extraction fixtures."""
    portal = ROOT / "fixtures" / "sample_portal"
    found = sorted((portal / "guide").rglob("*.html")) + sorted((portal / "api" / "guide").glob("*.json"))
    found += sorted((ROOT / "fixtures" / "pages").glob("*.html"))
    if not found:
        raise SystemExit("no template pages found: generate the sample portal first")
    return found


def generate(out: Path, count: int) -> list[Path]:
    """Write `count` pages, each a template with its item name made unique (so no two guides are equal)."""
    pages = templates()
    written = []
    for i in range(count):
        src = pages[i % len(pages)]
        data = src.read_bytes()
        # The marker keeps the page valid in any encoding the template uses (ASCII is common to all).
        data = data.replace(b"</title>", f" #{i}</title>".encode(), 1)
        dest = out / f"{i:05d}{src.suffix}"
        dest.write_bytes(data)
        written.append(dest)
    return written


def bare_parse(files: list[Path]) -> None:
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".json":
            json.loads(data)
        else:
            lxml.html.fromstring(data)


def time_stages(files: list[Path], ruleset: object, repeat: int) -> dict[str, float]:
    """Extraction (read, decode, parse, walk, assemble) and rules (on the extracted guides), timed apart."""
    from guidecheck.api import audit_guide
    from guidecheck.errors import InputError
    from guidecheck.extract import extract_file

    guides = []

    def extract_all() -> None:
        guides.clear()
        for path in files:
            with contextlib.suppress(InputError):  # the few non-guide pages, as check records them
                guides.append(extract_file(path))

    def rules_all() -> None:
        for guide in guides:
            audit_guide(guide, ruleset)

    return {"extraction": timed(extract_all, repeat), "rules": timed(rules_all, repeat)}


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


@dataclasses.dataclass
class Rounds:
    """Baseline and check timed turn about, `repeat` rounds: on a shared machine a burst of other work
    then slows both sides of a round alike, so the per-round ratio is steadier than a ratio of medians.
    CPU time (this process only) is kept beside wall time for the one-process runs: it ignores time the
    process spent waiting for the CPU."""

    wall: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    cpu: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    def run(self, name: str, fn) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        self.wall.setdefault(name, []).append(time.perf_counter() - wall)
        self.cpu.setdefault(name, []).append(time.process_time() - cpu)

    def median(self, name: str) -> float:
        return statistics.median(self.wall[name])

    def ratio(self, name: str, clock: str = "wall") -> tuple[float, float]:
        """(median of the per-round ratios, ratio of the fastest runs) against the bare parse."""
        runs = self.wall if clock == "wall" else self.cpu
        per_round = [a / b for a, b in zip(runs[name], runs["bare"], strict=True)]
        return statistics.median(per_round), min(runs[name]) / min(runs["bare"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print where guidecheck spends its time")
    parser.add_argument("--jobs", type=int, default=0, help="also time check in this many worker processes")
    parser.add_argument("--stages", action="store_true", help="also time extraction and rules apart")
    args = parser.parse_args()

    ruleset = load_ruleset()
    rounds = Rounds()
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(Path(tmp), args.pages)
        bare_parse(files)  # warm the page cache for both sides
        result = check_paths([tmp], ruleset)  # and the ruleset's lazy parts
        for _ in range(args.repeat):
            rounds.run("bare", lambda: bare_parse(files))
            rounds.run("check", lambda: check_paths([tmp], ruleset))
            if args.jobs > 1:
                rounds.run("jobs", lambda: check_paths([tmp], ruleset, jobs=args.jobs))
        stages = time_stages(files, ruleset, args.repeat) if args.stages else None
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(check_paths, [tmp], ruleset)
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
            print(buf.getvalue())
    n = len(files)
    baseline, checked = rounds.median("bare"), rounds.median("check")
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(
        f"pages: {n} ({sum(1 for f in files if f.suffix == '.json')} JSON), "
        f"audited {sum(1 for g in result.guides if not g.error)}, findings {len(result.findings)}, "
        f"{args.repeat} rounds"
    )
    print(f"bare lxml/json parse: {baseline:.3f} s  ({n / baseline:,.0f} pages/s)")
    print(f"guidecheck check:     {checked:.3f} s  ({n / checked:,.0f} guides/s)")
    wall, fastest = rounds.ratio("check")
    cpu, _ = rounds.ratio("check", "cpu")
    print(f"ratio check / bare parse: {wall:.2f}  (fastest runs {fastest:.2f}, CPU time {cpu:.2f})")
    if stages is not None:
        for name, seconds in stages.items():
            print(
                f"  {name:<19} {seconds:.3f} s  ({seconds / n * 1000:.3f} ms per page, "
                f"{seconds / baseline:.2f}x bare parse)"
            )
    if args.jobs > 1:
        in_jobs = rounds.median("jobs")
        wall, fastest = rounds.ratio("jobs")
        print(f"guidecheck check --jobs {args.jobs}: {in_jobs:.3f} s  ({n / in_jobs:,.0f} guides/s)")
        print(f"ratio check --jobs {args.jobs} / bare parse (one process): {wall:.2f}  (fastest runs {fastest:.2f})")


if __name__ == "__main__":
    main()
