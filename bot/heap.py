"""The serving process's heap: keep the garbage collector off what start-up built."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Move every object alive now (register, search index, app) out of the collector's scans.

    They live as long as the process. Without this, each full collection walks all of them
    again; under a webhook burst those pauses landed in the acknowledgement tail.
    ``gc.freeze`` is CPython's tool for this: frozen objects are still freed by reference
    counting, only never scanned for cycles.
    """
    gc.collect()
    gc.freeze()
