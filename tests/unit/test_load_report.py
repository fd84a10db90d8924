"""`make load`'s duplicate check reads the processor's decisions from the stack's output."""

from __future__ import annotations

import json
from collections import Counter

from scripts.load import LoadReport, decisions


def processed(order_id: str, outcome: str) -> str:
    record = {"level": "INFO", "message": "order processed", "order_id": order_id, "outcome": outcome}
    return "[sls] " + json.dumps(record, separators=(",", ":")) + "\n"


def test_an_order_decided_twice_is_a_duplicate_and_a_redelivery_found_decided_is_not():
    output = [
        processed("a", "CONFIRMED"),
        processed("a", "DUPLICATE"),  # a redelivery that changed nothing
        processed("b", "REJECTED"),
        processed("b", "CONFIRMED"),  # decided a second time: what exactly-once forbids
        processed("other-run", "CONFIRMED"),
        "[sls] order processed, but not a JSON line\n",
    ]

    found = decisions(output, {"a", "b"})

    assert found == {"a": 1, "b": 2}
    report = LoadReport(
        sent=2, accepted_ids=["a", "b"], statuses=Counter(), post_latencies_ms=[1.0], seconds_to_accept=1
    )
    report.decisions = found
    assert report.duplicated == 1
