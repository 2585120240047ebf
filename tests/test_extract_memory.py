"""Extraction and checking leave no reference cycles behind: each page's tree is freed as soon as its guide is built.

A cycle (reader ↔ assembler, or a dict of the reader's own bound methods) kept every page's lxml tree
alive until the cyclic garbage collector ran, which cost memory and about a tenth of a large check.
"""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

import pytest

from guidecheck.errors import InputError
from guidecheck.extract import extract_file

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    *sorted((ROOT / "fixtures" / "pages").iterdir()),
    ROOT / "fixtures" / "sample_portal" / "guide" / "gaj" / "11449900MB1A20305D3449900010001.html",
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_extraction_makes_no_reference_cycles(page: Path) -> None:
    gc.collect()
    gc.disable()
    try:
        with contextlib.suppress(InputError):  # the non-guide page: its cycles would count too
            extract_file(page)
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_checking_a_guide_makes_no_reference_cycles(page: Path) -> None:
    # audit_guide pauses the collector as extraction does (guidecheck/gcpause.py): that is only sound
    # while the rules leave nothing for it to collect.
    from guidecheck.api import audit_guide
    from guidecheck.engine import load_ruleset

    ruleset = load_ruleset()
    try:
        guide = extract_file(page)
    except InputError:
        pytest.skip("not a guide")
    if audit_guide(guide, ruleset).error:  # the first run also fills the ruleset's lazy caches
        pytest.skip("a page that cannot be audited: no rule runs")
    gc.collect()
    gc.disable()
    try:
        assert audit_guide(guide, ruleset, "en").findings is not None
        assert gc.collect() == 0
    finally:
        gc.enable()
