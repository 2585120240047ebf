"""The same page gives the same guide in every process: nothing may depend on set or hash order.

A frozenset of flow sections once decided the order of steps and flowcharts, so two runs of
`check` on the same page could disagree (and a baseline could see "new" findings that were not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "fixtures" / "sample_portal" / "guide" / "gaj" / "11449900MB1A20305D3449900010001.html"

_DUMP = """
import json, sys
from guidecheck.extract import extract_file
g = extract_file(sys.argv[1])
print(json.dumps({
    "flowcharts": [(c.channel, c.title, c.loc.path if c.loc else "") for c in g.flowcharts],
    "steps": [(s.channel, s.name) for s in g.steps],
}, ensure_ascii=False))
"""


def _extract_with_seed(seed: int) -> dict[str, list[list[str]]]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run(
        [sys.executable, "-c", _DUMP, str(PAGE)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_flowcharts_keep_page_order_whatever_the_hash_seed() -> None:
    runs = [_extract_with_seed(seed) for seed in range(6)]
    assert all(run == runs[0] for run in runs[1:])
    channels = [c[0] for c in runs[0]["flowcharts"]]
    # The page puts the online flow first, then the window flow.
    assert channels.index("online") < channels.index("window")
