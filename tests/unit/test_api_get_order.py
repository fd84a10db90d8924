"""GET /orders/{orderId} through the API handler, with DynamoDB answered by moto."""

from __future__ import annotations

import json
import os

from services.api.handler import lambda_handler
from tests.support.events import SHOPPER, LambdaContext, get_order_event

STORED_ORDER = {
    "orderId": {"S": "11111111-2222-4333-8444-555555555555"},
    "customerId": {"S": SHOPPER},
    "status": {"S": "CONFIRMED"},
    "items": {
        "L": [
            {
                "M": {
                    "productId": {"S": "ceramic-mug"},
                    "name": {"S": "Ceramic mug"},
                    "quantity": {"N": "2"},
                    "unitPriceCents": {"N": "1400"},
                    "lineTotalCents": {"N": "2800"},
                }
            }
        ]
    },
    "totalCents": {"N": "2800"},
    "currency": {"S": "EUR"},
    "createdAt": {"S": "2026-11-25T10:00:00Z"},
    "updatedAt": {"S": "2026-11-25T10:00:01Z"},
}


def get(order_id):
    response = lambda_handler(get_order_event(order_id), LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def test_a_stored_order_is_returned_with_its_prices(aws):
    aws.dynamodb.put_item(TableName=os.environ["ORDERS_TABLE_NAME"], Item=STORED_ORDER)

    status, body = get("11111111-2222-4333-8444-555555555555")

    assert status == 200
    assert body["status"] == "CONFIRMED"
    assert body["totalCents"] == 2800
    assert body["currency"] == "EUR"
    assert body["items"] == [
        {
            "productId": "ceramic-mug",
            "name": "Ceramic mug",
            "quantity": 2,
            "unitPriceCents": 1400,
            "lineTotalCents": 2800,
            "rejectionCode": None,
        }
    ]
    assert body["createdAt"].startswith("2026-11-25T10:00:00")


def test_an_unknown_order_is_a_json_404(aws, log_lines):
    status, body = get("00000000-0000-4000-8000-000000000000")
    assert status == 404
    assert body["error"] == {
        "code": "ORDER_NOT_FOUND",
        "message": "no order with id 00000000-0000-4000-8000-000000000000",
    }
    # Logged with the id asked for, so that a run of 404s can be traced to the ids clients used.
    logged = [line for line in log_lines() if line["message"] == "order not found"]
    assert [line["order_id"] for line in logged] == ["00000000-0000-4000-8000-000000000000"]


def test_a_malformed_order_id_is_a_422(aws):
    status, body = get("not%20an%20id")
    assert status == 422
    assert body["error"]["details"][0]["loc"][0] == "path"


def test_table_unavailable_is_a_503(aws, log_lines):
    aws.dynamodb.delete_table(TableName=os.environ["ORDERS_TABLE_NAME"])
    status, body = get("00000000-0000-4000-8000-000000000000")
    assert status == 503
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    logged = [line for line in log_lines() if line["message"] == "dependency unavailable"]
    assert [line["error"] for line in logged] == ["reading an order failed: ResourceNotFoundException"]
