"""moto server for `make dev`: `python -m scripts.local_moto_server -H 127.0.0.1 -p PORT`.

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

import logging
import time
from datetime import datetime

from moto import backends
from moto.core import utils
from moto.server import main
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


def list_moto_modules_once() -> None:
    """Make moto's `list_of_moto_modules()` answer from one listing of its package, taken now."""
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: iter(modules)


if __name__ == "__main__":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    patch_sqs_clock()
    list_moto_modules_once()
    main()
