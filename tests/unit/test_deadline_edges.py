"""CallDeadline at its edges: the per-attempt timeouts with no time left or no deadline at all, and the
attempt that fits the time left exactly. test_time_budget.py runs the handlers against hanging dependencies.
"""

from __future__ import annotations

import boto3
import pytest

from orders.data.deadline import (
    ANSWER_MARGIN_SECONDS,
    MAX_CONNECT_TIMEOUT_SECONDS,
    MAX_READ_TIMEOUT_SECONDS,
    AttemptTimeouts,
    CallDeadline,
    DeadlineExceededError,
)
from tests.unit.test_time_budget import FakeClock, FixedContext


def test_outside_an_invocation_an_attempt_gets_the_ceilings():
    # No deadline: a client made at import or by a script waits no longer than an AWS API may need.
    assert CallDeadline(FakeClock()).attempt_timeouts() == AttemptTimeouts(
        MAX_CONNECT_TIMEOUT_SECONDS, MAX_READ_TIMEOUT_SECONDS
    )


@pytest.mark.parametrize("remaining_ms", [int(ANSWER_MARGIN_SECONDS * 1000), 1_000], ids=["no-time", "past"])
def test_with_no_time_left_an_attempt_still_gets_a_positive_timeout(remaining_ms):
    # botocore refuses a zero or negative timeout; the guard refuses the attempt anyway.
    deadline = CallDeadline(FakeClock())
    with deadline.within(FixedContext(remaining_ms)):
        assert deadline.attempt_timeouts() == AttemptTimeouts(0.01, 0.01)


def test_an_attempt_that_fits_the_time_left_exactly_is_made_and_one_that_does_not_is_refused(aws):
    clock = FakeClock()
    deadline = CallDeadline(clock)
    client = boto3.client("sqs")
    deadline.guard(client, AttemptTimeouts(1.0, 2.0))  # an attempt may take 3 s
    with deadline.within(FixedContext(int((3 + ANSWER_MARGIN_SECONDS) * 1000))):
        assert deadline.seconds_left() == 3.0
        assert "QueueUrls" in client.list_queues()  # ends at the deadline at the latest: made

        clock.now += 0.25
        with pytest.raises(DeadlineExceededError) as refused:
            client.list_queues()
    assert str(refused.value) == "no time for an AWS call: 2.75 s left, an attempt may take 3.00 s"
