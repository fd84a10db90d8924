"""Keep CPython's garbage collector out of a Lambda's initialisation.

The cyclic collector runs ~160 times while Powertools, pydantic and botocore import, over an ever larger
heap, and finds next to nothing to free. A handler module calls `pause_collector()` before its imports and
`resume_collector()` after them: what the import built is frozen out of later collections (it lives as long
as the process) and the collector resumes. 25-40 ms less cold start (docs/performance.md).
"""

from __future__ import annotations

import gc

_was_enabled = gc.isenabled()


def pause_collector() -> None:
    global _was_enabled
    _was_enabled = gc.isenabled()
    gc.disable()


def resume_collector() -> None:
    gc.freeze()
    if _was_enabled:
        gc.enable()
