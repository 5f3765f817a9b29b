"""Pausing the cycle collector around work that makes many objects in no cycle."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cycle collector off for the block, then as it was.

    Parsing a policy and building what is made from it (the model, a page, a diff)
    makes millions of small objects that reference counting frees; none form
    cycles, so the collector would only rescan the growing heap, again and again,
    making the cost of a large file grow faster than its size. Objects made while
    it is off are still collected once it is back on, so a long-lived result (a
    document that is kept) is best used within the block too.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
