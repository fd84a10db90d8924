"""`make load`'s timeline: decisions read once from the log, throughput by queue depth, percentiles."""

from __future__ import annotations

import json

from scripts.load_timeline import DecisionLog, Sample, decision_times, percentile, throughput_by_depth


def processed(order_id: str, outcome: str, stamp: str) -> str:
    record = {"message": "order processed", "order_id": order_id, "outcome": outcome, "timestamp": stamp}
    return "[sls] " + json.dumps(record, separators=(",", ":")) + "\n"


def test_decision_times_are_the_log_timestamps_in_epoch_seconds():
    output = [processed("a", "CONFIRMED", "2026-12-01 00:00:01,250+0000"), processed("a", "DUPLICATE", "x")]

    assert decision_times(output, {"a"}) == {"a": [1796083201.25]}


def test_the_log_is_read_incrementally_and_counts_only_the_given_orders():
    output = [processed("a", "CONFIRMED", "2026-12-01 00:00:01,000+0000")]
    log = DecisionLog().update(output)
    output.append(processed("b", "REJECTED", "2026-12-01 00:00:02,000+0000"))

    assert log.count({"a", "b"}) == 1
    assert log.update(output).count({"a", "b", "c"}) == 2
    assert log.update(output).times["b"] == [1796083202.0]  # read once, not again


def test_throughput_is_bucketed_by_the_depth_at_the_start_of_each_interval():
    samples = [Sample(0, 0, 0), Sample(1, 300, 20), Sample(3, 5, 120), Sample(4, 0, 130)]

    rows = throughput_by_depth(samples)

    assert rows == [
        {"queue_depth": "0-9", "seconds": 2.0, "decided_per_s": 15.0},
        {"queue_depth": "200-999", "seconds": 2.0, "decided_per_s": 50.0},
    ]


def test_percentiles_are_nearest_rank():
    values = [float(value) for value in range(1, 101)]

    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7
