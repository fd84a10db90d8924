"""What the storefront's browser tests share: Chromium, a page with a signed-in shopper, and helpers.

A test module uses them with `pytest_plugins = ["tests.support.storefront"]`. Each test that takes `page` gets a
shopper of its own (signed up and confirmed in the local pool through moto's cognito-idp API, then signed in in
the page), so no test sees another's orders. Signing in through the page's own forms is what
tests/integration/test_storefront_accounts.py tests; here the tokens are put where the page keeps them.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, Response, Route, expect, sync_playwright

from scripts.local_aws import moto_client
from scripts.local_cognito import LocalShopper
from scripts.processes import REPO_ROOT
from tests.support.local_stack import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO_ROOT / "test-output" / "screenshots"
FINAL_STATUS_TIMEOUT_MS = 30_000
ORDER_URL = re.compile(r"/orders/[0-9a-f-]{36}$")
# How long the local queue holds an order's message from the processor while a test looks at it PENDING.
HOLD_SECONDS = 5
# Meets the pool's policy (12+ characters, upper and lower case, a digit).
PASSWORD = "Browser-Shopper-2026"
# Where amazon-cognito-identity-js keeps a session (the page gives it sessionStorage), and the page's own note
# of the e-mail typed at sign-in (moto's id tokens carry the sub as "email").
LIBRARY_PREFIX = "CognitoIdentityServiceProvider"


Shopper = LocalShopper  # a confirmed shopper of the local pool, with a session of theirs (moto's tokens)


def create_shopper(stack: Stack) -> Shopper:
    """A new shopper whose password is `PASSWORD`, as the tests type it into the page's forms."""
    return stack.new_shopper("shopper", password=PASSWORD)


def sign_in(page: Page, stack: Stack, shopper: Shopper) -> None:
    """The page's tab holds `shopper`'s session, as after signing in there; reloaded, it shows them signed in."""
    _, client_id = stack.user_pool()
    prefix = f"{LIBRARY_PREFIX}.{client_id}"
    keys = {
        f"{prefix}.LastAuthUser": shopper.sub,
        f"{prefix}.{shopper.sub}.idToken": shopper.tokens["IdToken"],
        f"{prefix}.{shopper.sub}.accessToken": shopper.tokens["AccessToken"],
        f"{prefix}.{shopper.sub}.refreshToken": shopper.tokens["RefreshToken"],
        f"{prefix}.{shopper.sub}.clockDrift": "0",
        f"{LIBRARY_PREFIX}.storefront.typedEmail": json.dumps({"sub": shopper.sub, "email": shopper.email}),
    }
    page.evaluate("keys => Object.entries(keys).forEach(([k, v]) => sessionStorage.setItem(k, v))", keys)
    page.reload()
    expect(page.get_by_test_id("signed-in-email")).to_have_text(shopper.email)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shopper(local_stack: Stack) -> Shopper:
    return create_shopper(local_stack)


@contextmanager
def open_page(browser: Browser, stack: Stack, **context_options: Any) -> Iterator[Page]:
    """The storefront in a fresh browser context; fails the test if the page threw."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The local server sends the deployed policy (scripts/storefront_server.py): a breach is reported here.
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(stack.web)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def anonymous_page(browser: Browser, local_stack: Stack) -> Iterator[Page]:
    """The storefront, nobody signed in."""
    with open_page(browser, local_stack) as page:
        yield page


@pytest.fixture
def page(browser: Browser, local_stack: Stack, shopper: Shopper) -> Iterator[Page]:
    """The storefront with `shopper` signed in."""
    with open_page(browser, local_stack) as page:
        sign_in(page, local_stack, shopper)
        yield page


def shoot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def card(page: Page, product_id: str) -> Locator:
    return page.locator(f'[data-testid=product-card][data-product-id="{product_id}"]')


def cart_line(page: Page, product_id: str) -> Locator:
    return page.locator(f'[data-testid=cart-line][data-product-id="{product_id}"]')


def my_order(page: Page, order_id: str) -> Locator:
    return page.locator(f'[data-testid=my-order][data-order-id="{order_id}"]')


def post_requests(page: Page) -> list[str]:
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    return posts


def seed_cart(page: Page, lines: list[dict[str, Any]]) -> None:
    """A cart saved by an earlier visit, then the page loaded again."""
    cart = {"lines": lines, "note": ""}
    page.evaluate("cart => localStorage.setItem('storefront.cart.v1', JSON.stringify(cart))", cart)
    page.reload()


def serve_stale_catalog(page: Page, available: set[str]) -> None:
    """The catalog as a shopper's page loaded it before some products went out of stock."""

    def fulfil(route: Route) -> None:
        catalog = route.fetch().json()
        for product in catalog["products"]:
            if product["productId"] in available:
                product["available"] = True
        route.fulfill(json=catalog)

    page.route("**/catalog/products.json", fulfil)


def api_get(stack: Stack, path: str, shopper: Shopper) -> tuple[int, dict[str, Any]]:
    """The API's answer to `shopper`, status and JSON body, as any client sees it."""
    request = urllib.request.Request(  # noqa: S310 - loopback http
        f"{stack.api}{path}", headers={"Authorization": f"Bearer {shopper.access_token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback http
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def orders_held_in_the_queue(stack: Stack, seconds: int) -> Iterator[None]:
    """Orders placed meanwhile wait `seconds` in the local queue (SQS DelaySeconds) before the processor sees them.

    The delay is fixed per message when it is sent, so restoring the queue's setting releases nothing early.
    """
    sqs = moto_client("sqs", stack.aws_endpoint, stack.region)
    url = sqs.get_queue_url(QueueName="orders-local-orders")["QueueUrl"]
    before = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])["Attributes"]["DelaySeconds"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": str(seconds)})
    try:
        yield
    finally:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": before})


def pause_the_clock(page: Page) -> None:
    """Reload the page on Playwright's clock, paused: no timer fires (no poll, no timeout) until the test says."""
    page.clock.install()
    page.reload()
    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)


def is_order_get(response: Response) -> bool:
    return response.request.method == "GET" and bool(ORDER_URL.search(response.url))


def is_order_post(request: Request) -> bool:
    return request.method == "POST" and request.url.endswith("/orders")


def is_orders_list(request: Request) -> bool:
    return request.method == "GET" and "/orders?" in request.url


def cognito_target(request: Request) -> str | None:
    """The Cognito operation a request of the page calls (`InitiateAuth`, ...), or None for any other request."""
    target = request.headers.get("x-amz-target", "")
    return target.removeprefix("AWSCognitoIdentityProviderService.") if target else None


@dataclass
class SentPost:
    """One POST /orders as the page sent it, and what the real API answered (if it reached the API)."""

    key: str
    payload: dict[str, Any]
    token: str
    api_status: int | None = None
    api_body: dict[str, Any] = field(default_factory=dict)


# What the page is told about each POST /orders, in order (every later one goes to the API as it is):
#   "made, then 503" / "made, then no answer": the API makes the order, the page gets a 503 / a broken connection
#   "lost": the request never reaches the API (a broken connection)
#   "409": a 409 IDEMPOTENCY_KEY_REUSED without asking the API
UNAVAILABLE = {"error": {"code": "SERVICE_UNAVAILABLE", "message": "Service unavailable, try again."}}
KEY_REUSED = {"error": {"code": "IDEMPOTENCY_KEY_REUSED", "message": "This Idempotency-Key was already used."}}


def intercept_order_posts(page: Page, stack: Stack, plan: list[str]) -> list[SentPost]:
    """Every POST /orders the page sends, answered to the page as `plan` says; the list fills as they are sent."""
    sent: list[SentPost] = []

    def handle(route: Route) -> None:
        request = route.request
        if request.method != "POST":
            route.fallback()
            return
        how = plan[len(sent)] if len(sent) < len(plan) else "as it is"
        post = SentPost(
            key=request.headers["idempotency-key"],
            payload=json.loads(request.post_data or "{}"),
            token=request.headers.get("authorization", "").removeprefix("Bearer "),
        )
        sent.append(post)
        if how == "lost":
            route.abort("connectionrefused")
        elif how == "409":
            route.fulfill(status=409, headers={"Access-Control-Allow-Origin": stack.web}, json=KEY_REUSED)
        else:
            response = route.fetch()
            post.api_status, post.api_body = response.status, response.json()
            if how == "made, then 503":
                route.fulfill(response=response, status=503, json=UNAVAILABLE)
            elif how == "made, then no answer":
                route.abort("connectionreset")
            else:
                route.fulfill(response=response)

    page.route(f"{stack.api}/orders", handle)
    return sent
