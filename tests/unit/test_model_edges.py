"""The shared models on their own: what a client reads in a refusal, and times written the same on any machine.

Found unpinned by mutation testing (docs/testing.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from orders.models import CreateOrderRequest, Order, OrderStatus


@pytest.mark.parametrize("quantity", ["2", True, None, [2]])
def test_a_quantity_that_is_not_a_number_is_refused_as_not_an_integer(quantity: Any):
    # The error's type and message are the 422's `details` a client reads, as for any other integer field.
    with pytest.raises(ValidationError) as raised:
        CreateOrderRequest.model_validate({"items": [{"productId": "ceramic-mug", "quantity": quantity}]})

    assert [(error["loc"], error["type"], error["msg"]) for error in raised.value.errors()] == [
        (("items", 0, "quantity"), "int_type", "Input should be a valid integer")
    ]


@pytest.mark.parametrize("quantity", [1.5, 2.000001])
def test_a_fractional_quantity_is_refused_as_having_a_fraction(quantity: float):
    with pytest.raises(ValidationError) as raised:
        CreateOrderRequest.model_validate({"items": [{"productId": "ceramic-mug", "quantity": quantity}]})

    assert [(error["loc"], error["type"], error["msg"]) for error in raised.value.errors()] == [
        (
            ("items", 0, "quantity"),
            "int_from_float",
            "Input should be a valid integer, got a number with a fractional part",
        )
    ]


@contextmanager
def _local_time_zone(zone: str) -> Iterator[None]:
    """The process's local time zone (TZ, as a machine running `make dev` may have one), restored after."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def test_times_are_written_in_utc_whatever_the_local_time_zone():
    # Lambda runs in UTC; a developer's machine may not. The `Z` must be true everywhere, or the list's index,
    # which sorts createdAt as text, would mix orders written by machines in different zones.
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    order = Order(
        order_id="a", customer_id="c", status=OrderStatus.PENDING, items=[], created_at=moment, updated_at=moment
    )

    with _local_time_zone("EST+5"):  # POSIX form: five hours west of UTC, no time zone database needed
        assert time.localtime(0).tm_hour == 19  # the zone took effect
        written = order.model_dump(mode="json", by_alias=True)

    assert (written["createdAt"], written["updatedAt"]) == ("2026-12-01T11:00:00.000000Z",) * 2
