"""Building a large index without the cycle collector.

An index build allocates hundreds of thousands of small containers (labels, lists, sets)
and frees almost none of them; each allocation burst makes Python's cycle collector walk
the whole heap again, the glossary and the index already in service included. At 10,000
terms that walk was two thirds of the resolver's build (bench/resolver.py, docs/benchmarks.md).
Reference counting still frees everything that is not in a cycle while the collector
waits, and it runs as usual once the last build ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_builds = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector for the block; builds may overlap (a reload while the
    first build runs): it resumes when the last one ends, and only if it was running."""
    global _builds, _was_enabled
    with _lock:
        if _builds == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _builds += 1
    try:
        yield
    finally:
        with _lock:
            _builds -= 1
            if _builds == 0 and _was_enabled:
                gc.enable()
