"""A bounded load through the local stack: concurrent clients, then exactly-once storage of every order.
`make load` runs the same check with thousands of orders."""

from __future__ import annotations

from scripts.dev_stack import DevStack
from scripts.load import run_load


def test_concurrent_orders_are_each_stored_exactly_once(local_stack: DevStack):
    report = run_load(local_stack, orders=200, clients=8, store_deadline_seconds=120)

    summary = report.summary()
    assert summary["orders_accepted"] == 200, report.statuses
    assert summary["lost"] == 0
    assert summary["duplicated"] == 0
    assert summary["unexpected"] == 0
    assert summary["orders_stored"] == 200
