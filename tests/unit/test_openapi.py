"""The committed OpenAPI document is the one the code generates, and it documents what the API answers."""

from __future__ import annotations

import json

from scripts.generate_openapi import ROOT, SECURITY_SCHEME, openapi_document


def test_committed_document_is_up_to_date():
    committed = (ROOT / "docs" / "openapi.json").read_text()
    assert committed == openapi_document() + "\n", "docs/openapi.json is stale: run `make openapi`"


def test_document_describes_the_routes_with_our_error_shape():
    document = json.loads(openapi_document())
    post = document["paths"]["/orders"]["post"]
    get = document["paths"]["/orders/{orderId}"]["get"]
    listing = document["paths"]["/orders"]["get"]

    assert set(post["responses"]) == {"202", "400", "401", "409", "413", "415", "422", "500", "503"}
    assert set(get["responses"]) == {"200", "401", "404", "422", "500", "503"}
    assert set(listing["responses"]) == {"200", "401", "422", "500", "503"}
    assert [parameter["name"] for parameter in listing["parameters"]] == ["limit", "cursor"]
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    assert post["responses"]["422"]["content"]["application/json"]["schema"] == error_ref
    assert get["responses"]["404"]["content"]["application/json"]["schema"] == error_ref
    assert [parameter["name"] for parameter in post["parameters"]] == ["idempotency-key"]
    assert [parameter["name"] for parameter in get["parameters"]] == ["orderId"]


def test_request_schema_matches_the_contract():
    schema = json.loads(openapi_document())["components"]["schemas"]
    request = schema["CreateOrderRequest"]
    line = schema["OrderLine"]
    assert request["required"] == ["items"]
    assert "customerId" not in request["properties"]  # the customer is the token's
    assert request["additionalProperties"] is False
    assert request["properties"]["items"]["maxItems"] == 50
    assert line["properties"]["quantity"] == {"type": "integer", "minimum": 1, "maximum": 100, "title": "Quantity"}


def test_every_operation_needs_the_bearer_token():
    document = json.loads(openapi_document())
    assert document["components"]["securitySchemes"][SECURITY_SCHEME] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": document["components"]["securitySchemes"][SECURITY_SCHEME]["description"],
    }
    assert document["security"] == [{SECURITY_SCHEME: []}]
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    assert len(operations) == 4
    assert all("security" not in operation for operation in operations)  # none opts out of the global rule
