"""Keep CPython's garbage collector out of a Lambda's initialisation and first event.

The cyclic collector runs ~160 times while Powertools, pydantic and botocore import, over an ever larger
heap, and finds next to nothing to free; the first event, which builds the AWS clients and pydantic's
validators, is the same. A handler module calls `pause_collector()` before its imports and decorates its
`lambda_handler` with `@paused_through_first_event`: once the first event is served, what initialisation
built is frozen out of later collections (it lives as long as the process) and the collector resumes.
25-40 ms less cold start for the import, a few ms to tens of ms more for the first event (docs/performance.md).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_was_enabled = gc.isenabled()


def pause_collector() -> None:
    global _was_enabled
    _was_enabled = gc.isenabled()
    gc.disable()


def resume_collector() -> None:
    gc.freeze()
    if _was_enabled:
        gc.enable()


def paused_through_first_event(handler: Callable[P, R]) -> Callable[P, R]:
    """`handler`, resuming the collector (`resume_collector()`) once its first call has returned or raised."""
    first = True

    @functools.wraps(handler)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        nonlocal first
        try:
            return handler(*args, **kwargs)
        finally:
            if first:
                first = False
                resume_collector()

    return wrapper
