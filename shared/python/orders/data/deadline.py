"""A deadline for AWS calls, taken from the Lambda context, so that a function always answers in time.

Lambda stops an invocation at its timeout and what it would have answered is lost: API Gateway gives the
client a bare 5xx with no Retry-After, and SQS retries the processor's whole batch. botocore knows nothing
of that time: a dependency that accepts connections and never answers holds a call for connect + read
timeout per attempt, times the attempts (about 20 s with 2 s, 5 s and 4 attempts), longer than the API's
10 s timeout.

So each handler runs inside `call_deadline.within(context)`, and every client made by `aws_client`:
- has per-attempt timeouts sized from the time its first invocation had (`attempt_timeouts`);
- refuses to start an attempt, first or retry, that could not end before the deadline, raising
  `DeadlineExceededError` (a DependencyUnavailableError, which botocore does not retry): the function
  answers its documented 503 (API) or fails the record (processor) while it still can.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from orders.errors import DependencyUnavailableError

# Kept free at the end of every invocation: with 3 attempts in all (clients.py), botocore's standard
# retry mode sleeps at most 2 s before a throttled call's last attempt (rand x 1 s x 2^(attempt - 1),
# botocore/retries/standard.py), maybe after an attempt that ended at the deadline; and the function
# needs about 0.5 s more to answer and flush its logs and metrics.
ANSWER_MARGIN_SECONDS = 2.5
# Per-attempt ceilings: an AWS API answers in milliseconds, so a longer wait is a hang worth retrying.
MAX_CONNECT_TIMEOUT_SECONDS = 2.0
MAX_READ_TIMEOUT_SECONDS = 5.0


class LambdaContextLike(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


class DeadlineExceededError(DependencyUnavailableError):
    """No attempt of this call can end before the invocation's deadline."""

    def __init__(self, seconds_left: float, attempt_seconds: float) -> None:
        super().__init__(
            f"no time for an AWS call: {seconds_left:.2f} s left, an attempt may take {attempt_seconds:.2f} s"
        )


@dataclass(frozen=True)
class AttemptTimeouts:
    """botocore's connect_timeout and read_timeout (seconds) for one attempt of a call."""

    connect_seconds: float
    read_seconds: float

    @property
    def longest_attempt_seconds(self) -> float:
        return self.connect_seconds + self.read_seconds


class CallDeadline:
    """When the current invocation's AWS calls must have ended; no deadline outside an invocation."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._ends_at: float | None = None

    @contextmanager
    def within(self, context: LambdaContextLike) -> Iterator[None]:
        """Bound the AWS calls made inside to the context's remaining time less ANSWER_MARGIN_SECONDS."""
        remaining_seconds = context.get_remaining_time_in_millis() / 1000
        self._ends_at = self._clock() + remaining_seconds - ANSWER_MARGIN_SECONDS
        try:
            yield
        finally:
            self._ends_at = None

    def seconds_left(self) -> float:
        """Seconds until the deadline (negative once passed); infinite outside an invocation."""
        return math.inf if self._ends_at is None else self._ends_at - self._clock()

    def attempt_timeouts(self) -> AttemptTimeouts:
        """A quarter of the time left for one attempt (a third of it to connect), within the ceilings.

        Called when a client is made, during the container's first invocation, so the quarter is of about
        the function's timeout: a dependency that hangs still leaves room for retries and for the answer.
        """
        attempt_seconds = self.seconds_left() / 4
        connect_seconds = min(MAX_CONNECT_TIMEOUT_SECONDS, max(attempt_seconds / 3, 0.01))
        read_seconds = min(MAX_READ_TIMEOUT_SECONDS, max(attempt_seconds - connect_seconds, 0.01))
        return AttemptTimeouts(connect_seconds, read_seconds)

    def guard(self, client: Any, timeouts: AttemptTimeouts) -> None:
        """Make `client` refuse any attempt that could not end before the deadline."""
        attempt_seconds = timeouts.longest_attempt_seconds

        def refuse_attempt_without_time(**_: Any) -> None:
            seconds_left = self.seconds_left()
            if seconds_left < attempt_seconds:
                raise DeadlineExceededError(seconds_left=seconds_left, attempt_seconds=attempt_seconds)

        # First: a stub answering for AWS (moto in tests) must not see an attempt that was refused.
        client.meta.events.register_first("before-send", refuse_attempt_without_time)


call_deadline = CallDeadline()
