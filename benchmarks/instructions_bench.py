"""The check benchmark's ratio in CPU instructions: the same on a busy machine as on a quiet one.

    python benchmarks/instructions_bench.py [--pages 500]   # needs valgrind; 500 pages: every template once

`check_bench.py` times wall and CPU seconds, which on a shared machine swing by a quarter from one run
to the next: too much to see a 10 % change. This counts the instructions each part executes, with
valgrind's cachegrind (no cache simulation, PYTHONHASHSEED=0), in separate processes over the same
generated pages:

- startup: import, load the rules, list the files (subtracted from the others);
- bare parse: `lxml.html.fromstring` / `json.loads` of every page, as check_bench's baseline;
- extraction: read and extract every page (`extract_file`);
- check: what `guidecheck check DIR` runs (read, extract, rules, results), in one process.

Instructions are not seconds (a cache miss costs more than an add), so the ratios differ a little from
timed ones; what they give is a figure that moves only when the code does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MODES = ("startup", "bare parse", "extraction", "check")


def work(mode: str, folder: Path) -> None:
    """What one counted process does (startup is common to all)."""
    import lxml.html

    from guidecheck.api import check_paths, collect_files
    from guidecheck.engine import load_ruleset
    from guidecheck.errors import InputError
    from guidecheck.extract import extract_file

    ruleset = load_ruleset()
    files = collect_files([folder])
    if mode == "bare parse":
        for path in files:
            data = path.read_bytes()
            json.loads(data) if path.suffix == ".json" else lxml.html.fromstring(data)
    elif mode == "extraction":
        for path in files:
            with contextlib.suppress(InputError):
                extract_file(path)
    elif mode == "check":
        check_paths([folder], ruleset)


def count(mode: str, folder: Path) -> int:
    """Instructions executed by a process that does `mode` on the pages in `folder`."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, "--worker", mode, str(folder),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"valgrind run of {mode!r} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--worker", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker[0], Path(args.worker[1]))
        return
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    from check_bench import generate

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.pages)
        counts = {mode: count(mode, Path(tmp)) for mode in MODES}
    startup = counts["startup"]
    net = {mode: counts[mode] - startup for mode in MODES[1:]}
    print(f"pages: {args.pages}; instructions per page, startup ({startup:,}) subtracted:")
    for mode, n in net.items():
        print(f"  {mode:<11} {n / args.pages:>12,.0f}   {n / net['bare parse']:.2f}x bare parse")
    rules = net["check"] - net["extraction"]
    print(f"  {'rest':<11} {rules / args.pages:>12,.0f}   {rules / net['bare parse']:.2f}x bare parse (rules, results)")


if __name__ == "__main__":
    main()
