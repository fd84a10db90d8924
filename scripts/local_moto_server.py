"""moto server for `make dev`, tests and benchmarks: `python -m scripts.local_moto_server -H 127.0.0.1 -p PORT`.

One change to moto 5.2's behaviour, to be what AWS guarantees: one DynamoDB request at a time
(`serialize_dynamodb`). moto checks a write's condition and then writes, unlocked, on one of its request
threads: two conditional writes of one item could both pass their condition, which DynamoDB never allows.
Seen with the stack: the API's PENDING write (`attribute_not_exists`) overwrote the processor's CONFIRMED
decision that had landed a moment before, and the order stayed PENDING for good (docs/aws-differences.md).
DynamoDB requests never wait on anything in moto, so one lock cannot deadlock.

Three changes to moto 5.2's cost, none to its behaviour, measured with py-spy on moto during `make load`
(docs/performance.md, section 5):
- No access log: werkzeug logs one line per request from the one process that serves every AWS call of the
  stack (~9% of moto's CPU time under load). Warnings and errors are still logged.
- The service names are listed once: moto's dispatcher lists its own package folder (`os.listdir`, and an
  `isdir` per entry, some 170) on every request to check whether the Host header names a service, ~20% of
  moto's CPU time per request in a benchmark of the stack's own calls (docs/performance.md, section 5). The
  folder does not change while the server runs.
- SQS reads the clock with `time.time()`: moto's `unix_time()` builds two datetimes per call, and its SQS calls
  it for every message of the queue on every send, receive and attribute read (visibility and delay checks), so
  with hundreds of messages queued that was ~40% of moto's CPU time. The value is the same epoch time.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from moto import backends
from moto.core import utils
from moto.dynamodb.responses import DynamoHandler
from moto.sqs import models as sqs_models


def unix_time(dt: datetime | None = None) -> float:
    """Seconds since the epoch, as moto.core.utils.unix_time: now (from time.time()) without an argument."""
    return time.time() if dt is None else utils.unix_time(dt)


def unix_time_millis(dt: datetime | None = None) -> float:
    """Milliseconds since the epoch, as moto.core.utils.unix_time_millis."""
    return unix_time(dt) * 1000.0


def patch_sqs_clock() -> None:
    """Make moto's SQS models read the clock cheaply (their module-level names only; nothing else changes)."""
    sqs_models.unix_time = unix_time  # type: ignore[attr-defined]
    sqs_models.unix_time_millis = unix_time_millis  # type: ignore[attr-defined]


_ONE_DYNAMODB_REQUEST = threading.RLock()


def serialize_dynamodb() -> Callable[[], None]:
    """Make moto answer one DynamoDB request at a time, in this process; returns what undoes it.

    Every DynamoDB action goes through `DynamoHandler.call_action`, in moto server and in `mock_aws` alike.
    Applied while applied already, it changes nothing and its undo does nothing.
    """
    answer = DynamoHandler.call_action
    if getattr(answer, "serialized", False):
        return lambda: None

    @functools.wraps(answer)
    def one_at_a_time(self: DynamoHandler, *args: Any, **kwargs: Any) -> Any:
        with _ONE_DYNAMODB_REQUEST:
            return answer(self, *args, **kwargs)

    one_at_a_time.serialized = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = one_at_a_time  # type: ignore[method-assign]

    def undo() -> None:
        DynamoHandler.call_action = answer  # type: ignore[method-assign]

    return undo


def list_moto_modules_once() -> None:
    """Make moto's `list_of_moto_modules()` answer from one listing of its package, taken now."""
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: iter(modules)


if __name__ == "__main__":
    from moto.server import main  # Flask and werkzeug: only the server needs them, not the tests' mock_aws

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    serialize_dynamodb()
    patch_sqs_clock()
    list_moto_modules_once()
    main()
