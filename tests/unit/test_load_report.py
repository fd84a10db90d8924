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


def test_a_run_with_nothing_decided_still_reports_what_was_answered():
    # The report is what tells why a run failed: it must not fail itself when no order was decided.
    report = LoadReport(
        sent=3,
        accepted_ids=["a"],
        statuses=Counter({202: 1, 503: 2}),
        post_latencies_ms=[5.0, 6.0, 7.0],
        seconds_to_accept=1,
    )
    report.posted_at = {"a": 100.0}
    report.seconds_to_store = 2.0

    summary = report.summary()

    assert summary["non_202_answers"] == 2
    assert summary["lost"] == 1
    assert summary["final_p50_ms"] is None
    assert summary["final_p99_ms"] is None
    assert summary["end_to_end_rate_per_s"] == 0.0


def test_cpu_is_reported_per_decided_order_by_process_largest_first():
    report = LoadReport(
        sent=4, accepted_ids=["a", "b"], statuses=Counter({202: 2}), post_latencies_ms=[5.0], seconds_to_accept=1
    )
    report.decided_at = {"a": 1.0, "b": 2.0}
    report.cpu_seconds = {"api: Python runners": 0.02, "moto server": 0.05}

    assert list(report.cpu_per_order().items()) == [
        ("moto server", 25.0),
        ("api: Python runners", 10.0),
        ("total", 35.0),
    ]
    report.decided_at = {}
    assert report.cpu_per_order() == {}
