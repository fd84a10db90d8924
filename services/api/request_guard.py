"""The raw request as API Gateway sends it, made fit for Powertools' router and validation.

- The path: API Gateway routes `/orders/` to the `/orders` route and keeps the slash in `rawPath`;
  Powertools' router does not match it. A trailing slash is served like none.
- The body: Powertools' validation parses it before any middleware runs, and lets some failures escape as
  exceptions (integers over 4300 digits, deep nesting). These checks answer a clear 4xx instead.
"""

from __future__ import annotations

import base64
import binascii
import json
from http import HTTPStatus
from typing import Any

MAX_BODY_BYTES = 64 * 1024  # a full order (50 lines and a 500-character note) is under 8 KiB
_JSON_MEDIA_TYPE = "application/json"


class BodyRejectedError(Exception):
    def __init__(
        self, status: HTTPStatus, code: str, message: str, details: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def normalise_path(event: dict[str, Any]) -> None:
    """Drop trailing slashes from `event["rawPath"]` (the path Powertools routes HTTP API events by)."""
    path = event.get("rawPath")
    if isinstance(path, str) and len(path) > 1 and path.endswith("/"):
        event["rawPath"] = path.rstrip("/") or "/"


def normalise_body(event: dict[str, Any]) -> None:
    """Make `event["body"]` the UTF-8 text of a parseable JSON document, or raise BodyRejectedError.

    Mutates the event so that the resolver sees exactly the text that was checked.
    """
    body = event.get("body")
    if body is None or body == "":
        return
    if not isinstance(body, str):
        # serverless-offline hands over already-parsed bodies (numbers, objects); API Gateway never does.
        body = json.dumps(body)
    if len(body) > 2 * MAX_BODY_BYTES:  # cheap bound before decoding: base64 grows data by a third
        raise _too_large()
    raw = _body_bytes(body, bool(event.get("isBase64Encoded")))
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    _check_media_type(event.get("headers") or {})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyRejectedError(HTTPStatus.BAD_REQUEST, "INVALID_ENCODING", "Body is not valid UTF-8") from error
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise BodyRejectedError(HTTPStatus.BAD_REQUEST, "INVALID_JSON", "Body is not valid JSON") from error
    if not isinstance(document, dict):
        # Every request body of this API is an object; Powertools would read a list as its first element.
        raise BodyRejectedError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            "Request validation failed",
            [{"loc": ["body"], "msg": "Input should be a JSON object", "type": "model_type"}],
        )
    event["body"] = text
    event["isBase64Encoded"] = False


def _too_large() -> BodyRejectedError:
    return BodyRejectedError(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE", f"Body exceeds {MAX_BODY_BYTES} bytes"
    )


def _body_bytes(body: str, is_base64: bool) -> bytes:
    if not is_base64:
        return body.encode("utf-8", errors="surrogatepass")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BodyRejectedError(HTTPStatus.BAD_REQUEST, "INVALID_ENCODING", "Body is not valid base64") from error


def _check_media_type(headers: dict[str, str]) -> None:
    """Refuse a body that is not JSON; write a JSON media type in lower case, as Powertools compares it.

    Media types are case-insensitive (RFC 9110 section 8.3.1): `Application/JSON` is JSON, and Powertools,
    comparing case-sensitively, would otherwise fail it with an uncaught error (a 500).
    """
    name = next((name for name in headers if name.lower() == "content-type"), None)
    media_type, separator, parameters = (headers[name] if name else "").partition(";")
    media_type = media_type.strip().lower()
    # No Content-Type is read as JSON (API Gateway adds none); any other type is refused outright.
    if media_type and media_type != _JSON_MEDIA_TYPE:
        raise BodyRejectedError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            f"Content-Type must be {_JSON_MEDIA_TYPE}",
        )
    if name:
        headers[name] = media_type + separator + parameters
