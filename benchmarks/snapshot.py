"""Snapshot everything `check` produces, to prove a speed change changes nothing.

    python benchmarks/snapshot.py write /tmp/before.json     # before the change
    python benchmarks/snapshot.py compare /tmp/before.json   # after it: exit 1 and the first differences

The snapshot covers the benchmark's generated pages (the sample portal's HTML and JSON guides and the
extraction fixtures), every fixture page (real defects, guide repository, rule cases are run by the
tests), the whole extracted guide (every field, location and diagnostic) and every finding in Chinese
and English, with fingerprints.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_bench import generate  # noqa: E402

from guidecheck.api import check_paths  # noqa: E402
from guidecheck.engine import load_ruleset  # noqa: E402


def plain(value: object) -> object:
    """Dataclasses, enums and containers as JSON-able values (slotted dataclasses included)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return value


def snapshot(pages: int, workdir: Path) -> dict[str, object]:
    ruleset = load_ruleset()
    out: dict[str, object] = {}
    # A fixed folder, not a random one: guides without an item code take their id (and so their
    # fingerprints) from the path, and messages name it. Compare with the --workdir you wrote with.
    tmp = workdir
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        generate(tmp, pages)
        fixtures = ROOT / "fixtures"
        folders = [tmp, fixtures / "pages", fixtures / "real_defects", fixtures / "guide_repo"]
        for lang in ("zh", "en"):
            for folder in folders:
                result = check_paths([folder], ruleset, lang)
                for g in result.guides:
                    name = f"bench/{Path(g.source).name}" if folder == tmp else Path(g.source).relative_to(folder)
                    key = f"{lang}:{name}"
                    record = plain(g)
                    _strip_source(record, str(g.source), key)
                    out[key] = record
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _strip_source(node: object, source: str, key: str) -> None:
    """Temporary paths differ between runs: replace them wherever a location names the file."""
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if v == source:
                node[k] = key
            else:
                _strip_source(v, source, key)
    elif isinstance(node, list):
        for v in node:
            _strip_source(v, source, key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "guidecheck-snapshot-pages",
        help="where the pages are generated (emptied first; give each concurrent run its own, the same for write "
        "and compare)",
    )
    args = parser.parse_args()
    now = snapshot(args.pages, args.workdir)
    if args.action == "write":
        args.file.write_text(json.dumps(now, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
        print(f"wrote {len(now)} results to {args.file}")
        return 0
    before = json.loads(args.file.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(now, ensure_ascii=False))
    differ = [k for k in sorted(set(before) | set(now)) if before.get(k) != now.get(k)]
    for key in differ[:5]:
        a, b = before.get(key), now.get(key)
        print(f"--- {key}")
        _show_diff(a, b, "")
    print(f"{len(now)} results, {len(differ)} differ")
    return 1 if differ else 0


def _show_diff(a: object, b: object, path: str, budget: list[int] | None = None) -> None:
    budget = budget if budget is not None else [8]
    if budget[0] <= 0 or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            _show_diff(a.get(k), b.get(k), f"{path}.{k}", budget)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _show_diff(x, y, f"{path}[{i}]", budget)
    else:
        budget[0] -= 1
        print(f"  {path}: {json.dumps(a, ensure_ascii=False)[:300]} -> {json.dumps(b, ensure_ascii=False)[:300]}")


if __name__ == "__main__":
    raise SystemExit(main())
