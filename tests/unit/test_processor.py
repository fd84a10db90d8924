"""The processor handler against moto: pricing, exactly-once storage and partial batch failures."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from services.processor.handler import lambda_handler
from tests.conftest import CATALOG_FILE
from tests.support.events import LambdaContext, sqs_event


def message(product_id: str = "espresso-beans-1kg", quantity: int = 2, **changes: Any) -> dict[str, Any]:
    return {
        "orderId": str(uuid.uuid4()),
        "customerId": "customer-42",
        "items": [{"productId": product_id, "quantity": quantity}],
        "createdAt": "2026-11-25T10:00:00Z",
        "correlationId": "req-1",
        **changes,
    }


def process(*bodies: dict[str, Any] | str, message_ids: list[str] | None = None) -> dict[str, Any]:
    texts = [body if isinstance(body, str) else json.dumps(body) for body in bodies]
    return lambda_handler(sqs_event(texts, message_ids), LambdaContext())


def stored(aws, order_id: str) -> dict[str, Any]:
    from orders.data.order_table import OrderTable

    order = OrderTable(aws.dynamodb, os.environ["ORDERS_TABLE_NAME"], os.environ["ORDERS_CUSTOMER_INDEX_NAME"]).get(
        order_id
    )
    assert order is not None, f"order {order_id} was not stored"
    return order.order.model_dump(mode="json", by_alias=True)


def stored_count(aws) -> int:
    return aws.dynamodb.scan(TableName=os.environ["ORDERS_TABLE_NAME"], Select="COUNT")["Count"]


def test_an_order_is_priced_from_the_catalog_and_confirmed(aws):
    order = message(
        "espresso-beans-1kg",
        2,
        items=[
            {"productId": "espresso-beans-1kg", "quantity": 2},
            {"productId": "ceramic-mug", "quantity": 3},
        ],
    )

    result = process(order)

    assert result == {"batchItemFailures": []}
    saved = stored(aws, order["orderId"])
    assert saved["status"] == "CONFIRMED"
    assert saved["currency"] == "EUR"
    assert [(line["unitPriceCents"], line["lineTotalCents"]) for line in saved["items"]] == [
        (2490, 4980),
        (1400, 4200),
    ]
    assert saved["totalCents"] == 9180
    assert saved["items"][0]["name"] == "Espresso beans, 1 kg"
    assert "rejectionReason" not in saved or saved["rejectionReason"] is None


def test_an_unknown_product_rejects_the_order_with_a_reason(aws):
    order = message("no-such-product")
    assert process(order) == {"batchItemFailures": []}
    saved = stored(aws, order["orderId"])
    assert saved["status"] == "REJECTED"
    assert saved["rejectionReason"] == "product 'no-such-product' is not in the catalog"
    assert saved["items"][0]["rejectionCode"] == "UNKNOWN_PRODUCT"
    assert saved["totalCents"] is None


def test_an_unavailable_product_rejects_the_order(aws):
    order = message("burr-grinder")
    process(order)
    saved = stored(aws, order["orderId"])
    assert saved["status"] == "REJECTED"
    assert saved["rejectionReason"] == "Hand burr grinder is unavailable"  # as the shopper knows it
    assert saved["items"][0]["rejectionCode"] == "PRODUCT_UNAVAILABLE"


def test_duplicate_delivery_stores_the_order_once_and_never_changes_it(aws):
    # Given an order processed once
    order = message("ceramic-mug", 1)
    process(order)
    first = stored(aws, order["orderId"])

    # When the same message arrives again, twice in one batch, after the price changed
    catalog = json.loads(
        aws.s3.get_object(Bucket=os.environ["CATALOG_BUCKET_NAME"], Key="catalog/products.json")["Body"].read()
    )
    catalog["products"][2]["priceCents"] = 9999
    aws.upload_catalog(json.dumps(catalog).encode())
    from services.processor import handler

    handler.dependencies.cache_clear()  # a new container that sees the new price
    result = process(order, order)

    # Then nothing fails and nothing changes
    assert result == {"batchItemFailures": []}
    assert stored(aws, order["orderId"]) == first
    assert stored_count(aws) == 1


def test_one_bad_record_fails_alone(aws):
    good_before, good_after = message(), message()
    ids = ["m-good-1", "m-poison", "m-good-2"]

    result = process(good_before, "{not json", good_after, message_ids=ids)

    assert result == {"batchItemFailures": [{"itemIdentifier": "m-poison"}]}
    assert stored(aws, good_before["orderId"])["status"] == "CONFIRMED"
    assert stored(aws, good_after["orderId"])["status"] == "CONFIRMED"


def test_a_message_that_breaks_the_schema_fails_its_record(aws):
    result = process(message(quantity=0), message_ids=["m-invalid"])
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-invalid"}]}
    assert stored_count(aws) == 0


def test_an_unreadable_catalog_fails_the_records_for_retry(aws, log_lines):
    # A missing catalog is an outage, not a reason to reject customers' orders.
    aws.s3.delete_object(Bucket=os.environ["CATALOG_BUCKET_NAME"], Key="catalog/products.json")
    result = process(message(), message(), message_ids=["m-1", "m-2"])
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-1"}, {"itemIdentifier": "m-2"}]}
    assert stored_count(aws) == 0
    failed = [line for line in log_lines() if line["message"].startswith("record failed")]
    assert failed
    assert all(
        "DependencyUnavailableError: reading the product catalog failed: NoSuchKey" in line["exception"]
        for line in failed
    )


def test_a_malformed_catalog_fails_the_records_for_retry(aws, log_lines):
    aws.upload_catalog(b'{"currency": "EUR", "products": [{"productId": "x"}]}')
    assert process(message(), message_ids=["m-1"]) == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    failed = [line for line in log_lines() if line["message"].startswith("record failed")]
    assert len(failed) == 1
    assert "CatalogError: the product catalog is malformed: 2 errors" in failed[0]["exception"]


def test_a_table_failure_fails_only_the_records_it_touched(aws, log_lines):
    aws.dynamodb.delete_table(TableName=os.environ["ORDERS_TABLE_NAME"])
    assert process(message(), message_ids=["m-1"]) == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    # The failure is logged naming the step and AWS's error code, not a botocore type.
    failed = [line for line in log_lines() if line["message"].startswith("record failed")]
    assert len(failed) == 1
    assert "DependencyUnavailableError: storing an order failed: ResourceNotFoundException" in failed[0]["exception"]


def test_the_catalog_is_read_once_per_container(aws):
    # Given a first order priced with the current catalog
    process(message("ceramic-mug", 1))

    # When the catalog object disappears within the cache period
    aws.s3.delete_object(Bucket=os.environ["CATALOG_BUCKET_NAME"], Key="catalog/products.json")
    order = message("ceramic-mug", 1)

    # Then the warm container still prices from its cached copy
    assert process(order) == {"batchItemFailures": []}
    assert stored(aws, order["orderId"])["totalCents"] == 1400


def test_outcomes_are_counted_in_metrics(aws, capsys):
    process(message(), message("no-such-product"))
    metrics_lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert metrics_lines[-1]["OrdersConfirmed"] == [1.0]
    assert metrics_lines[-1]["OrdersRejected"] == [1.0]


def test_log_lines_of_a_record_carry_its_correlation_id_and_no_other(aws, log_lines):
    # Given a record with a correlation id followed by one without
    first, second = message(correlationId="req-abc"), message(correlationId=None)

    process(first, second)

    # Then each record's lines carry its own ids, and nothing leaks from one record to the next
    processed = [line for line in log_lines() if line["message"] == "order processed"]
    assert processed[0]["correlation_id"] == "req-abc"
    assert processed[0]["order_id"] == first["orderId"]
    assert "correlation_id" not in processed[1] or processed[1]["correlation_id"] is None
    assert processed[1]["order_id"] == second["orderId"]


def test_a_malformed_record_after_one_with_a_correlation_id_does_not_log_that_id(aws, log_lines):
    process(message(correlationId="req-abc"), "{not an order")

    failed = [line for line in log_lines() if line["message"].startswith("record failed")]
    assert len(failed) == 1
    assert failed[0].get("correlation_id") is None


def test_the_catalog_is_read_again_once_its_cache_period_is_over(aws):
    from orders.data.catalog_store import CatalogStore

    now = [1000.0]
    store = CatalogStore(
        aws.s3, os.environ["CATALOG_BUCKET_NAME"], os.environ["CATALOG_OBJECT_KEY"], 300, lambda: now[0]
    )
    first = store.current()
    catalog = json.loads(CATALOG_FILE.read_text())
    catalog["products"][0]["priceCents"] += 100
    aws.upload_catalog(json.dumps(catalog).encode())

    now[0] += 299
    assert store.current() == first  # still cached
    now[0] += 1  # exactly the cache period
    assert store.current().products[0].price_cents == first.products[0].price_cents + 100


def test_a_failed_record_is_counted_and_logged_with_its_message_id_and_no_earlier_order_id(aws, capsys, log_lines):
    # Given a good record, then one that breaks the schema
    good = message()
    result = process(good, "{not an order", message_ids=["m-1", "m-2"])

    # Then the bad one fails alone, is counted once in RecordsFailed, and its failure log names its own
    # message and not the order the previous record was about
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert emitted[-1]["RecordsFailed"] == [1.0]
    definitions = emitted[-1]["_aws"]["CloudWatchMetrics"][0]["Metrics"]
    assert {"Name": "RecordsFailed", "Unit": "Count"} in definitions
    assert {"Name": "OrdersConfirmed", "Unit": "Count"} in definitions
    failed = [line for line in log_lines() if line["message"].startswith("record failed")]
    assert [line["message_id"] for line in failed] == ["m-2"]
    assert "order_id" not in failed[0]
    processed = [line for line in log_lines() if line["message"] == "order processed"]
    assert [(line["message_id"], line["order_id"]) for line in processed] == [("m-1", good["orderId"])]
