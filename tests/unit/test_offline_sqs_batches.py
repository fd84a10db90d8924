"""plugins/offline-sqs-batches.cjs deletes what Lambda's SQS event source mapping would after a batch: the
messages the handler did not report failed, nothing when its report is invalid (docs/aws-differences.md)."""

from __future__ import annotations

import json
import subprocess

import pytest

from scripts.processes import REPO_ROOT

MESSAGES = [{"MessageId": "a"}, {"MessageId": "b"}, {"MessageId": "c"}]


def deleted(result: object, response_type: str | None = "ReportBatchItemFailures") -> list[str]:
    script = (
        "const { succeeded } = require('./plugins/offline-sqs-batches.cjs');"
        f"const done = succeeded({json.dumps(MESSAGES)}, {json.dumps(result)}, {json.dumps(response_type)});"
        "console.log(JSON.stringify(done.map((message) => message.MessageId)));"
    )
    run = subprocess.run(["node", "-e", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return list(json.loads(run.stdout))


def test_only_the_records_not_reported_failed_are_deleted():
    assert deleted({"batchItemFailures": [{"itemIdentifier": "b"}]}) == ["a", "c"]


def test_a_batch_with_no_failures_is_deleted_whole():
    assert deleted({"batchItemFailures": []}) == ["a", "b", "c"]


@pytest.mark.parametrize("failure", [{"itemIdentifier": "not-in-batch"}, {"itemIdentifier": ""}, {}])
def test_an_invalid_report_fails_the_whole_batch(failure: dict[str, str]):
    assert deleted({"batchItemFailures": [{"itemIdentifier": "a"}, failure]}) == []


def test_without_report_batch_item_failures_a_returned_batch_succeeded():
    assert deleted({"batchItemFailures": [{"itemIdentifier": "a"}]}, response_type=None) == ["a", "b", "c"]
