"""request_guard on its own: the event it hands to Powertools, and the rejection it raises, exactly.

The API tests (test_api_place_order.py) check the answers a client gets; these check the event the
resolver is given, which a client sees only when something downstream misreads it.
"""

from __future__ import annotations

import base64
import json
from http import HTTPStatus
from typing import Any

import pytest

from services.api.request_guard import MAX_BODY_BYTES, BodyRejectedError, normalise_body, normalise_path

ORDER_TEXT = '{"items": [{"productId": "ceramic-mug", "quantity": 1}]}'


def _event(body: Any, *, is_base64: bool = False, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """An event as API Gateway sends it; `headers` replace the JSON Content-Type."""
    headers = {"content-type": "application/json"} if headers is None else headers
    return {"body": body, "isBase64Encoded": is_base64, "headers": headers}


def _rejection(event: dict[str, Any]) -> tuple[HTTPStatus, str, str, list[dict[str, Any]] | None]:
    with pytest.raises(BodyRejectedError) as raised:
        normalise_body(event)
    return raised.value.status, raised.value.code, raised.value.message, raised.value.details


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        pytest.param("/orders/", "/orders", id="one-slash"),
        pytest.param("/orders/abcX//", "/orders/abcX", id="only-slashes-are-dropped"),
        pytest.param("//", "/", id="root-with-two-slashes"),
        pytest.param("/", "/", id="root"),
        pytest.param("/orders", "/orders", id="no-slash"),
    ],
)
def test_trailing_slashes_are_dropped_from_the_raw_path(raw_path, expected):
    event = {"rawPath": raw_path}
    normalise_path(event)
    assert event == {"rawPath": expected}


def test_an_event_without_a_raw_path_is_left_alone():
    event: dict[str, Any] = {"body": None}
    normalise_path(event)
    assert event == {"body": None}


@pytest.mark.parametrize("body", [None, ""], ids=["none", "empty"])
def test_no_body_is_left_for_validation_to_refuse(body):
    event = _event(body)
    normalise_body(event)
    assert event == _event(body)


def test_a_base64_body_is_handed_on_as_its_text():
    event = _event(base64.b64encode(ORDER_TEXT.encode()).decode(), is_base64=True)
    normalise_body(event)
    assert event["body"] == ORDER_TEXT
    assert event["isBase64Encoded"] is False  # else Powertools would base64-decode the text again


def test_a_text_body_is_handed_on_unchanged_and_marked_as_text():
    event = _event(ORDER_TEXT)
    normalise_body(event)
    assert event == _event(ORDER_TEXT)
    assert event["isBase64Encoded"] is False


def test_a_body_already_parsed_by_serverless_offline_is_handed_on_as_json_text():
    event = _event(json.loads(ORDER_TEXT))
    normalise_body(event)
    assert event["body"] == json.dumps(json.loads(ORDER_TEXT))


def test_the_media_type_is_handed_on_in_lower_case_with_its_parameters():
    event = _event(ORDER_TEXT, headers={"content-type": " Application/JSON ;charset=UTF-8"})
    normalise_body(event)
    assert event["headers"] == {"content-type": "application/json;charset=UTF-8"}


def test_other_headers_are_left_alone():
    event = _event(ORDER_TEXT, headers={"x-trace": "Abc", "content-type": "application/json"})
    normalise_body(event)
    assert event["headers"] == {"content-type": "application/json", "x-trace": "Abc"}


def test_a_body_that_is_not_an_object_is_a_validation_error_naming_the_body():
    assert _rejection(_event("[1]")) == (
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
        "Request validation failed",
        [{"loc": ["body"], "msg": "Input should be a JSON object", "type": "model_type"}],
    )


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        pytest.param(_event("{"), (HTTPStatus.BAD_REQUEST, "INVALID_JSON", "Body is not valid JSON", None), id="json"),
        pytest.param(
            _event("%%%", is_base64=True),
            (HTTPStatus.BAD_REQUEST, "INVALID_ENCODING", "Body is not valid base64", None),
            id="base64",
        ),
        pytest.param(
            _event(base64.b64encode(b"\xff").decode(), is_base64=True),
            (HTTPStatus.BAD_REQUEST, "INVALID_ENCODING", "Body is not valid UTF-8", None),
            id="utf-8",
        ),
        pytest.param(
            _event("x" * (MAX_BODY_BYTES + 1)),
            (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Body exceeds 65536 bytes", None),
            id="size",
        ),
        pytest.param(
            _event("{}", headers={"Content-Type": "text/plain"}),
            (
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Content-Type must be application/json",
                None,
            ),
            id="media-type",
        ),
    ],
)
def test_each_refusal_has_its_status_code_and_message(event, expected):
    assert _rejection(event) == expected


def test_a_body_of_exactly_the_limit_is_accepted():
    text = ORDER_TEXT[:-1] + " " * (MAX_BODY_BYTES - len(ORDER_TEXT)) + "}"
    event = _event(text)
    normalise_body(event)
    assert event["body"] == text


def test_a_body_over_twice_the_limit_is_refused_before_it_is_decoded():
    # The cheap bound: not valid base64 either, yet too large is the answer, as no decoding was tried.
    assert _rejection(_event("%" * (2 * MAX_BODY_BYTES + 1), is_base64=True))[1] == "PAYLOAD_TOO_LARGE"
    # Up to twice the limit, the body is decoded first: this one is refused for what it is.
    assert _rejection(_event("%" * (2 * MAX_BODY_BYTES), is_base64=True))[1] == "INVALID_ENCODING"


def test_a_rejection_reads_as_its_message():
    # What a log line or a traceback shows of it.
    assert str(BodyRejectedError(HTTPStatus.BAD_REQUEST, "INVALID_JSON", "Body is not valid JSON")) == (
        "Body is not valid JSON"
    )
