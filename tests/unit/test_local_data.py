"""`make local-orders` prints plain JSON: DynamoDB items deserialised all the way down; without a running
`make dev`, every `make local-*` says so plainly (no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from scripts.local_aws import plain_item
from scripts.processes import BIN, REPO_ROOT, free_port

STORED_ORDER: dict[str, Any] = {
    "orderId": "11111111-2222-4333-8444-555555555555",
    "status": "CONFIRMED",
    "totalCents": 6380,
    "weightKg": Decimal("1.25"),
    "note": None,
    "gift": False,
    "items": [
        {"productId": "espresso-beans-1kg", "quantity": 2, "unitPriceCents": 2490, "lineTotalCents": 4980},
        {"productId": "ceramic-mug", "quantity": 1, "unitPriceCents": 1400, "lineTotalCents": 1400},
    ],
    "tags": {"gift", "fragile"},
    "audit": {"attempts": 1, "history": [{"at": "2026-11-25T10:00:00Z", "retries": 0}]},
}


def as_dynamodb_json(item: dict[str, Any]) -> dict[str, Any]:
    serializer = TypeSerializer()
    return {name: serializer.serialize(value) for name, value in item.items()}


def test_a_nested_item_comes_out_as_plain_values():
    plain = plain_item(as_dynamodb_json(STORED_ORDER))

    assert plain["totalCents"] == 6380
    assert type(plain["totalCents"]) is int
    assert plain["weightKg"] == 1.25
    assert type(plain["weightKg"]) is float
    assert plain["items"][0] == {
        "productId": "espresso-beans-1kg",
        "quantity": 2,
        "unitPriceCents": 2490,
        "lineTotalCents": 4980,
    }
    assert plain["audit"] == {"attempts": 1, "history": [{"at": "2026-11-25T10:00:00Z", "retries": 0}]}
    assert (plain["note"], plain["gift"]) == (None, False)
    assert plain["tags"] == ["fragile", "gift"]  # a set, as a sorted list: JSON has no sets


def test_the_printed_line_is_plain_json():
    line = json.dumps(plain_item(as_dynamodb_json(STORED_ORDER)))

    assert json.loads(line)["items"][1]["lineTotalCents"] == 1400
    assert '"S":' not in line
    assert '"N":' not in line


@pytest.mark.parametrize("what", ["orders", "queues", "token"])
def test_without_a_local_stack_it_says_so_and_prints_nothing_to_use(what):
    port = free_port()
    result = subprocess.run(
        [str(BIN / "python"), "-m", "scripts.local_data", what],
        cwd=REPO_ROOT,
        env={**os.environ, "MOTO_PORT": str(port), "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""  # `$(make -s local-token)` gets nothing, not half a traceback
    assert result.stderr.strip() == (
        f"no local AWS at http://127.0.0.1:{port}: is `make dev` running (MOTO_PORT as it was started with)?"
    )
