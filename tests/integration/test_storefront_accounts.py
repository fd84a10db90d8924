"""Shoppers' accounts in the storefront, in Chromium against the local stack: signing up (moto takes any code),
in (SRP) and out, the session's refresh, and each shopper seeing only their own orders.

moto never checks an SRP proof, so a wrong password signs in locally: what is asserted here is what the page
sends (never the password when signing in) and does with Cognito's answers, not Cognito's checks.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
import uuid
from typing import Any

from playwright.sync_api import Page, Request, Route, expect

from scripts.local_aws import moto_client
from tests.support.local_stack import Stack
from tests.support.storefront import (
    FINAL_STATUS_TIMEOUT_MS,
    HOLD_SECONDS,
    LIBRARY_PREFIX,
    ORDER_URL,
    PASSWORD,
    Shopper,
    api_get,
    card,
    cart_line,
    cognito_target,
    create_shopper,
    intercept_order_posts,
    is_order_get,
    is_order_post,
    my_order,
    orders_held_in_the_queue,
    shoot,
    sign_in,
)

pytest_plugins = ["tests.support.storefront"]


def cognito_calls(page: Page) -> list[Request]:
    """Every request the page sends to the user pool, in order."""
    calls: list[Request] = []
    page.on("request", lambda request: calls.append(request) if cognito_target(request) else None)
    return calls


def fill_account_form(page: Page, email: str, password: str) -> None:
    page.get_by_test_id("account-email").fill(email)
    page.get_by_test_id("account-password").fill(password)
    page.get_by_test_id("account-submit").click()


def sign_in_with_the_form(page: Page, shopper: Shopper) -> None:
    page.get_by_test_id("sign-in-link").click()
    fill_account_form(page, shopper.email, shopper.password)
    expect(page.get_by_test_id("signed-in-email")).to_have_text(shopper.email)


def session_keys(page: Page) -> list[str]:
    return page.evaluate(f"Object.keys(sessionStorage).filter(k => k.startsWith('{LIBRARY_PREFIX}'))")


def place_order_through_the_api(stack: Stack, shopper: Shopper) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - loopback http
        f"{stack.api}/orders",
        method="POST",
        data=json.dumps({"items": [{"productId": "ceramic-mug", "quantity": 1}]}).encode(),
        headers={
            "Authorization": f"Bearer {shopper.access_token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback http
        assert response.status == 202
        return dict(json.loads(response.read()))


def answer_the_orders_list(page: Page, stack: Stack, statuses: list[int]) -> list[Request]:
    """GET /orders?... answered by the test, one status per call (then 200), with an empty list; the calls."""
    calls: list[Request] = []
    cors = {
        "Access-Control-Allow-Origin": stack.web,
        "Access-Control-Allow-Headers": "authorization, content-type, idempotency-key",
        "Access-Control-Allow-Methods": "GET, POST",
    }

    def handle(route: Route) -> None:
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors)
            return
        calls.append(route.request)
        status = statuses[len(calls) - 1] if len(calls) <= len(statuses) else 200
        body: dict[str, Any] = {"orders": [], "nextCursor": None} if status == 200 else {"message": "Unauthorized"}
        route.fulfill(status=status, headers=cors, json=body)

    page.route(re.compile(re.escape(f"{stack.api}/orders?")), handle)
    return calls


def test_signing_up_with_any_code_signs_in_and_keeps_the_cart(anonymous_page: Page, local_stack: Stack):
    page = anonymous_page
    calls = cognito_calls(page)
    email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    card(page, "espresso-beans-1kg").get_by_test_id("add-to-cart").click()
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()

    # When a shopper creates an account from the cart, and confirms it with a code (moto takes any)
    page.get_by_test_id("checkout-sign-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    fill_account_form(page, email, PASSWORD)
    expect(page.get_by_test_id("account-message")).to_contain_text(f"We e-mailed a code to {email}")
    shoot(page, "21-sign-up-code")
    page.get_by_test_id("account-code").fill("000000")
    page.get_by_test_id("account-submit").click()

    # Then they are signed in, back at their cart, which is as it was
    expect(page.get_by_test_id("signed-in-email")).to_have_text(email)
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(page.get_by_test_id("ordering-as")).to_have_text(email)
    expect(page.get_by_test_id("cart-line")).to_have_count(2)
    shoot(page, "22-signed-in-cart")
    assert [cognito_target(c) for c in calls] == ["SignUp", "ConfirmSignUp", "InitiateAuth", "RespondToAuthChallenge"]
    sign_in_calls = calls[2:]
    assert json.loads(sign_in_calls[0].post_data or "{}")["AuthFlow"] == "USER_SRP_AUTH"
    assert all(PASSWORD not in (call.post_data or "") for call in sign_in_calls), "SRP: the password stays here"
    idp = moto_client("cognito-idp", local_stack.aws_endpoint, local_stack.region)
    user = idp.admin_get_user(UserPoolId=local_stack.user_pool()[0], Username=email)
    assert user["UserStatus"] == "CONFIRMED"


def test_checkout_signed_out_asks_to_sign_in_and_the_cart_survives_signing_in(anonymous_page: Page, shopper: Shopper):
    page = anonymous_page
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if is_order_post(r) else None)
    card(page, "pour-over-dripper").get_by_test_id("add-to-cart").click()
    card(page, "pour-over-dripper").get_by_test_id("add-to-cart").click()

    page.get_by_test_id("place-order").click()

    # Then nothing is sent, and the shopper is asked to sign in
    expect(page.get_by_test_id("form-error")).to_contain_text("Sign in or create an account to place your order")
    expect(page.get_by_test_id("checkout-account")).to_contain_text("to place your order")
    shoot(page, "23-checkout-signed-out")
    assert posts == []

    # When they sign in from the cart
    page.get_by_test_id("checkout-sign-in").click()
    fill_account_form(page, shopper.email, shopper.password)

    # Then they are back at the cart, as it was, ordering as themselves
    expect(page.get_by_test_id("ordering-as")).to_have_text(shopper.email)
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(cart_line(page, "pour-over-dripper").get_by_test_id("cart-qty")).to_have_value("2")
    assert posts == []


def test_an_unknown_e_mail_cannot_sign_in(anonymous_page: Page):
    page = anonymous_page
    page.get_by_test_id("sign-in-link").click()

    fill_account_form(page, f"nobody-{uuid.uuid4().hex[:8]}@example.com", PASSWORD)

    expect(page.get_by_test_id("account-error")).to_have_text("Incorrect e-mail or password.")
    expect(page.get_by_test_id("sign-in-link")).to_be_visible()
    assert session_keys(page) == []


def test_signing_in_before_confirming_asks_for_the_code_then_signs_in(anonymous_page: Page, local_stack: Stack):
    page = anonymous_page
    email = f"unconfirmed-{uuid.uuid4().hex[:8]}@example.com"
    idp = moto_client("cognito-idp", local_stack.aws_endpoint, local_stack.region)
    idp.sign_up(
        ClientId=local_stack.user_pool()[1],
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    page.get_by_test_id("sign-in-link").click()

    fill_account_form(page, email, PASSWORD)

    expect(page.get_by_test_id("account-message")).to_contain_text(f"Enter the code we e-mailed to {email}")
    page.get_by_test_id("account-code").fill("123456")
    page.get_by_test_id("account-submit").click()
    expect(page.get_by_test_id("signed-in-email")).to_have_text(email)


def test_signing_out_forgets_the_session_and_asks_cognito_to_revoke_it(page: Page, local_stack: Stack):
    calls = cognito_calls(page)
    assert session_keys(page) != []

    page.get_by_test_id("sign-out").click()

    expect(page.get_by_test_id("sign-in-link")).to_be_visible()
    assert session_keys(page) == []
    assert [cognito_target(c) for c in calls] == ["RevokeToken"]  # moto has no RevokeToken: Cognito does
    page.reload()
    expect(page.get_by_test_id("sign-in-link")).to_be_visible()
    expect(page.get_by_test_id("my-orders-sign-in")).to_be_visible()
    expect(page.get_by_test_id("checkout-sign-in")).to_be_visible()


def test_a_reload_keeps_the_shopper_signed_in_without_asking_cognito(page: Page, shopper: Shopper):
    calls = cognito_calls(page)
    page.reload()
    expect(page.get_by_test_id("signed-in-email")).to_have_text(shopper.email)
    assert calls == []


def test_the_access_token_is_refreshed_before_it_expires(page: Page, local_stack: Stack, shopper: Shopper):
    # moto's tokens last an hour (Cognito's, 15 minutes): the page's clock moves to 30 s before expiry.
    listed = answer_the_orders_list(page, local_stack, [])
    calls = cognito_calls(page)
    page.clock.install()
    page.reload()
    expect(page.get_by_test_id("signed-in-email")).to_have_text(shopper.email)
    expires_at = json.loads(_claims(shopper.access_token))["exp"]
    page.clock.set_system_time((expires_at - 30) * 1000)

    page.get_by_role("link", name="My orders").first.click()

    expect(page.get_by_test_id("my-orders-message")).to_have_text("You have no orders yet.")
    assert [cognito_target(c) for c in calls] == ["InitiateAuth"]
    assert json.loads(calls[0].post_data or "{}")["AuthFlow"] == "REFRESH_TOKEN_AUTH"
    (call,) = [c for c in listed if "limit=10" in c.url]  # My orders' (the shop's latest orders ask for 5)
    sent = call.headers["authorization"].removeprefix("Bearer ")
    assert sent != shopper.access_token
    assert json.loads(_claims(sent))["sub"] == shopper.sub


def test_a_401_gets_one_refresh_and_one_retry(page: Page, local_stack: Stack, shopper: Shopper):
    listed = answer_the_orders_list(page, local_stack, [401])
    calls = cognito_calls(page)

    page.get_by_role("link", name="My orders").first.click()

    expect(page.get_by_test_id("my-orders-message")).to_have_text("You have no orders yet.")
    assert [json.loads(c.post_data or "{}")["AuthFlow"] for c in calls] == ["REFRESH_TOKEN_AUTH"]
    tokens = [c.headers["authorization"] for c in listed if "limit=10" in c.url]
    assert len(tokens) == 2
    assert tokens[0] == f"Bearer {shopper.access_token}"
    assert tokens[1] != tokens[0]


def _claims(token: str) -> str:
    payload = token.split(".")[1]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()


# ---- against the protected API ----


def test_a_new_shopper_orders_and_follows_it_in_my_orders(anonymous_page: Page, local_stack: Stack):
    page = anonymous_page
    email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    page.get_by_test_id("checkout-sign-up").click()
    fill_account_form(page, email, PASSWORD)
    page.get_by_test_id("account-code").fill("000000")
    page.get_by_test_id("account-submit").click()
    expect(page.get_by_test_id("ordering-as")).to_have_text(email)

    # When they place the order, held PENDING for a few seconds in the queue
    with orders_held_in_the_queue(local_stack, HOLD_SECONDS), page.expect_request(is_order_post) as sent:
        page.get_by_test_id("place-order").click()
        expect(page).to_have_url(ORDER_URL)
        order_id = page.url.rsplit("/", 1)[1]
        page.get_by_role("link", name="My orders").first.click()
        expect(my_order(page, order_id).get_by_test_id("my-order-status")).to_have_text("PENDING")
    assert "customerId" not in json.loads(sent.value.post_data or "{}")
    assert sent.value.headers["authorization"].startswith("Bearer ")

    # Then My orders shows it PENDING, then CONFIRMED once the processor has it
    shoot(page, "24-my-orders-pending")
    my_order(page, order_id).click()
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    page.get_by_role("link", name="My orders").first.click()
    expect(my_order(page, order_id).get_by_test_id("my-order-status")).to_have_text("CONFIRMED")
    expect(page.get_by_test_id("my-order")).to_have_count(1)

    # And signing out hides them
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("my-orders-sign-in")).to_be_visible()
    expect(page.get_by_test_id("my-order")).to_have_count(0)


def test_another_shopper_sees_none_of_the_first_ones_orders(page: Page, local_stack: Stack, shopper: Shopper):
    first = create_shopper(local_stack)
    theirs = place_order_through_the_api(local_stack, first)["orderId"]

    page.get_by_role("link", name="My orders").first.click()
    expect(page.get_by_test_id("my-orders-message")).to_have_text("You have no orders yet.")

    with page.expect_response(is_order_get) as answer:
        page.goto(f"{local_stack.web}/#/orders/{theirs}")
    assert answer.value.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("No such order")
    expect(page.get_by_test_id("cancel-order")).to_be_hidden()
    assert api_get(local_stack, f"/orders/{theirs}", shopper)[0] == 404
    assert api_get(local_stack, f"/orders/{theirs}", first)[0] == 200


def test_a_signed_out_order_page_asks_to_sign_in_and_comes_back(anonymous_page: Page, local_stack: Stack):
    page = anonymous_page
    owner = create_shopper(local_stack)
    order_id = place_order_through_the_api(local_stack, owner)["orderId"]
    gets: list[str] = []
    page.on("request", lambda r: gets.append(r.url) if r.method == "GET" and "/orders/" in r.url else None)

    page.goto(f"{local_stack.web}/#/orders/{order_id}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to see this order")
    assert gets == []
    page.get_by_test_id("order-sign-in").click()
    fill_account_form(page, owner.email, owner.password)
    expect(page).to_have_url(re.compile(f"#/orders/{order_id}$"))
    expect(page.get_by_test_id("order-status")).to_have_text(re.compile("PENDING|CONFIRMED"))


def test_an_undecided_checkout_is_replayed_only_for_the_shopper_who_made_it(
    page: Page, local_stack: Stack, shopper: Shopper
):
    # Given a checkout the API made while the page never heard the answer
    sent = intercept_order_posts(page, local_stack, ["made, then no answer"])
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("api-error")).to_contain_text("may or may not have been placed")
    (first,) = sent
    earlier_id = first.api_body["orderId"]

    # When the shopper signs out and another signs in, in this tab, and reloads it
    page.get_by_test_id("sign-out").click()
    other = create_shopper(local_stack)
    sign_in(page, local_stack, other)

    # Then nothing is replayed for the other shopper, who sees none of it
    expect(page.get_by_test_id("my-orders-message")).to_have_text("You have no orders yet.")
    expect(page.get_by_test_id("place-order")).to_be_enabled()
    assert len(sent) == 1
    assert local_stack.stored_orders(other.sub) == []

    # And when the first shopper signs in again, their checkout is settled: same key, same body, their token
    page.get_by_test_id("sign-out").click()
    sign_in_with_the_form(page, shopper)
    expect(page.get_by_test_id("checkout-notice")).to_contain_text(
        f"Your earlier checkout went through: order {earlier_id}"
    )
    assert [(p.key, p.payload) for p in sent] == [(first.key, first.payload)] * 2
    assert json.loads(_claims(sent[1].token))["sub"] == shopper.sub
    assert [order["orderId"] for order in local_stack.stored_orders(shopper.sub)] == [earlier_id]
