"""The customer an event names, on its own: the access token's `sub` where API Gateway puts it, or None.

Found unpinned by mutation testing (docs/testing.md): the handler's tests always send a well-formed context.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.api.handler import signed_in_customer
from tests.support.events import SHOPPER


def _event(claims: Any) -> dict[str, Any]:
    return {"requestContext": {"authorizer": {"jwt": {"claims": claims}}}}


def test_the_customer_is_the_access_tokens_sub():
    assert signed_in_customer(_event({"sub": SHOPPER, "token_use": "access", "username": "someone"})) == SHOPPER


@pytest.mark.parametrize(
    "event",
    [
        pytest.param({}, id="no-requestContext"),
        pytest.param({"requestContext": "x"}, id="requestContext-not-an-object"),
        pytest.param({"requestContext": {}}, id="no-authorizer"),
        pytest.param({"requestContext": {"authorizer": ["jwt"]}}, id="authorizer-not-an-object"),
        pytest.param({"requestContext": {"authorizer": {}}}, id="no-jwt"),
        pytest.param({"requestContext": {"authorizer": {"jwt": "token"}}}, id="jwt-not-an-object"),
        pytest.param({"requestContext": {"authorizer": {"jwt": {}}}}, id="no-claims"),
        pytest.param(_event("sub"), id="claims-not-an-object"),
        pytest.param(_event({"sub": SHOPPER}), id="no-token_use"),
        pytest.param(_event({"sub": SHOPPER, "token_use": "id"}), id="an-id-token"),
        pytest.param(_event({"sub": SHOPPER, "token_use": "ACCESS"}), id="token_use-in-another-case"),
        pytest.param(_event({"token_use": "access"}), id="no-sub"),
        pytest.param(_event({"sub": 42, "token_use": "access"}), id="sub-not-a-string"),
        pytest.param(_event({"sub": " x", "token_use": "access"}), id="sub-outside-the-rule"),
    ],
)
def test_an_event_without_a_verified_access_token_names_no_customer(event: dict[str, Any]):
    assert signed_in_customer(event) is None
