"""Fewer garbage collections while a file is imported.

An import keeps thousands of container objects alive at a time (a chunk's rows and cells, its
columns, the rows handed to the driver). With Python's default thresholds (a collection of the
youngest generation each time 700 more containers are alive than at the last one) that makes
hundreds of collections per 100,000 rows, each scanning the chunk's objects again, and now and
then a collection of every object in the process: 0.1–0.2 s of CPU per 100,000 penalty rows,
measured with ``gc.callbacks`` (about a tenth of the import). The rows hold no reference cycles,
so during the import the first threshold is raised: collection still happens, once per
``THRESHOLD`` containers, so memory stays bounded. The previous thresholds come back afterwards,
also when imports overlap in threads (the first one in saves them, the last one out restores them).
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["THRESHOLD", "fewer_collections"]

THRESHOLD = 50_000

_lock = threading.Lock()
_inside = 0
_saved: tuple[int, ...] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _inside, _saved
    with _lock:
        if _inside == 0:
            before = gc.get_threshold()
            # (0: automatic collection switched off by someone else, left as it is)
            if 0 < before[0] < THRESHOLD:
                _saved = before
                gc.set_threshold(THRESHOLD, *before[1:])
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
