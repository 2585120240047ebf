"""Pause Python's cyclic garbage collector while one guide is read or checked.

Reading a page and checking a guide each make tens of thousands of short-lived objects and no reference
cycles (tests/test_extract_memory.py keeps extraction so). Reference counting frees them; the cyclic
collector, triggered by their number, would only rescan them and every result kept so far, several
times per guide (about a tenth of a large check). It runs again as soon as the guide is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Switch the collector off for the block; left alone if it was already off (a caller paused it)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
