"""scripts/local_moto_server.py changes moto's cost, not its answers: the same clock, read more cheaply, and
the same service names, listed once; and one change to what it answers, so that DynamoDB's conditional writes
are atomic as they are on AWS."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from typing import Any

import boto3
import pytest
from moto import backends, mock_aws
from moto.core import utils
from moto.dynamodb.responses import DynamoHandler
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from scripts.local_moto_server import list_moto_modules_once, serialize_dynamodb, unix_time, unix_time_millis


def test_now_is_moto_s_now():
    before = utils.unix_time()
    now = unix_time()
    after = utils.unix_time()

    assert before <= now <= after


def test_a_given_time_is_converted_as_moto_does():
    moment = datetime(2026, 12, 1, 6, 30, 15, 250000)

    assert unix_time(moment) == utils.unix_time(moment)
    assert unix_time_millis(moment) == utils.unix_time_millis(moment)


def test_the_service_names_are_listed_once_and_the_dispatcher_uses_that_list(monkeypatch: pytest.MonkeyPatch):
    listed = list(backends.list_of_moto_modules())
    monkeypatch.setattr(backends, "list_of_moto_modules", backends.list_of_moto_modules)  # restored after the test
    list_moto_modules_once()

    def no_listing(_path: str) -> list[str]:
        raise AssertionError("moto listed its package folder again")

    monkeypatch.setattr(os, "listdir", no_listing)

    assert list(backends.list_of_moto_modules()) == listed
    assert list(backends.list_of_moto_modules()) == listed  # not an exhausted iterator the second time
    dispatcher = DomainDispatcherApplication(create_backend_app)
    assert dispatcher.get_backend_for_host("sqs") == "sqs"
    assert dispatcher.get_backend_for_host("dynamodb") == "dynamodb"


def test_a_dynamodb_request_waits_for_the_one_being_answered(monkeypatch: pytest.MonkeyPatch):
    # DynamoDB applies a conditional write atomically; moto checks and writes unlocked on one of its threads.
    # Hold a PutItem inside moto, before the backend checks its condition, and a read of the item must wait.
    from moto.dynamodb.models import DynamoDBBackend

    inside, release = threading.Event(), threading.Event()
    with mock_aws():
        undo = serialize_dynamodb()
        try:
            client = boto3.client("dynamodb", region_name="eu-west-1")
            client.create_table(
                TableName="t",
                KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
            put_item = DynamoDBBackend.put_item

            def held_put_item(self: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
                inside.set()
                assert release.wait(timeout=30)
                return put_item(self, *args, **kwargs)

            monkeypatch.setattr(DynamoDBBackend, "put_item", held_put_item)
            writer = threading.Thread(
                target=client.put_item,
                kwargs={"TableName": "t", "Item": {"k": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(k)"},
            )
            read: list[dict[str, Any]] = []
            reader = threading.Thread(
                target=lambda: read.append(client.get_item(TableName="t", Key={"k": {"S": "a"}}, ConsistentRead=True))
            )
            writer.start()
            assert inside.wait(timeout=30)
            reader.start()
            reader.join(timeout=1)
            waited = reader.is_alive()  # an unserialized moto answers the read at once, without the item
            release.set()
            writer.join()
            reader.join()
        finally:
            release.set()  # never leave the writer, and the lock it holds, waiting on a failed test
            undo()

    assert waited
    assert read[0]["Item"] == {"k": {"S": "a"}}


def test_serializing_twice_changes_nothing_and_undo_restores_moto():
    original = DynamoHandler.call_action
    undo = serialize_dynamodb()
    serialized = DynamoHandler.call_action
    undo_again = serialize_dynamodb()

    assert DynamoHandler.call_action is serialized  # not wrapped a second time
    undo_again()
    assert DynamoHandler.call_action is serialized
    undo()
    assert DynamoHandler.call_action is original
