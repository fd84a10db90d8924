"""The storefront in a real browser (Debian's Chromium driven by Playwright) against the local stack.

Screenshots of each main screen go to test-output/screenshots/.

To look at an order while it is PENDING, a test holds it in the local queue (SQS DelaySeconds, set on moto) so the
processor cannot see it yet; nothing of the API is faked. Where a test needs the page's poller to stand still or
two minutes to pass, it runs the page on Playwright's clock, paused.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, Response, Route, expect, sync_playwright

from scripts.local_aws import moto_client
from scripts.processes import REPO_ROOT
from tests.support.local_stack import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO_ROOT / "test-output" / "screenshots"
FINAL_STATUS_TIMEOUT_MS = 30_000
ORDER_URL = re.compile(r"/orders/[0-9a-f-]{36}$")
# How long the local queue holds an order's message from the processor while a test looks at it PENDING.
HOLD_SECONDS = 5


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, local_stack: Stack) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(local_stack.web)
    yield page
    context.close()
    assert errors == [], errors


def shoot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def card(page: Page, product_id: str) -> Locator:
    return page.locator(f'[data-testid=product-card][data-product-id="{product_id}"]')


def cart_line(page: Page, product_id: str) -> Locator:
    return page.locator(f'[data-testid=cart-line][data-product-id="{product_id}"]')


def new_customer(page: Page) -> str:
    customer_id = f"browser-{uuid.uuid4().hex[:8]}"
    page.get_by_test_id("customer-id").fill(customer_id)
    return customer_id


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


def api_get(stack: Stack, path: str) -> tuple[int, dict[str, Any]]:
    """The API's answer, status and JSON body, as any client sees it."""
    try:
        with urllib.request.urlopen(f"{stack.api}{path}", timeout=10) as response:  # noqa: S310 - loopback http
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


@dataclass
class SentPost:
    """One POST /orders as the page sent it, and what the real API answered (if it reached the API)."""

    key: str
    payload: dict[str, Any]
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
        post = SentPost(key=request.headers["idempotency-key"], payload=json.loads(request.post_data or "{}"))
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


def test_browse_fill_a_cart_and_see_the_order_confirmed(page: Page, local_stack: Stack):
    # Given the catalog as the processor prices it
    expect(page.get_by_test_id("product-card")).to_have_count(6)
    grinder = card(page, "burr-grinder").get_by_test_id("add-to-cart")
    expect(grinder).to_be_disabled()
    shoot(page, "01-catalog")

    # When a shopper adds two bags and a mug, then makes it three bags
    card(page, "espresso-beans-1kg").get_by_test_id("add-to-cart").click()
    card(page, "espresso-beans-1kg").get_by_test_id("add-to-cart").click()
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    expect(cart_line(page, "espresso-beans-1kg").get_by_test_id("cart-qty")).to_have_value("2")
    cart_line(page, "espresso-beans-1kg").get_by_test_id("cart-qty").fill("3")
    expect(page.get_by_test_id("cart-total")).to_have_text(re.compile(r"88[.,]70"))
    customer_id = new_customer(page)
    shoot(page, "02-cart")
    page.get_by_test_id("place-order").click()

    # Then the order page follows it to CONFIRMED with the server's total
    expect(page).to_have_url(re.compile(r"#/orders/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    expect(page.get_by_test_id("order-total")).to_have_text(re.compile(r"88[.,]70"))
    shoot(page, "03-order-confirmed")
    (stored,) = local_stack.stored_orders(customer_id)
    assert stored["status"] == "CONFIRMED"
    assert int(stored["totalCents"]) == 3 * 2490 + 1400


def test_an_api_validation_error_is_shown_next_to_its_field(page: Page, local_stack: Stack):
    # Given a customer id longer than the API allows (set programmatically: the input's maxlength stops typing)
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    too_long = "x" * 129
    page.get_by_test_id("customer-id").evaluate("(input, value) => { input.value = value; }", too_long)

    page.get_by_test_id("place-order").click()

    # Then the real API's 422 is shown beside the field and in the summary, and nothing was ordered
    field_error = page.locator('[data-testid=field-error][data-field="customerId"]')
    expect(field_error).to_be_visible()
    expect(field_error).to_contain_text("128")
    expect(page.get_by_test_id("form-error")).to_be_visible()
    shoot(page, "05-validation-error")
    assert local_stack.stored_orders(too_long) == []


def test_recent_orders_survive_a_reload(page: Page):
    card(page, "paper-filters-100").get_by_test_id("add-to-cart").click()
    new_customer(page)
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"#/orders/[0-9a-f-]{36}$"))
    order_id = page.url.rsplit("/", 1)[1]

    page.goto(page.url.split("#")[0] + "#/orders")
    page.reload()

    expect(page.locator(f'[data-testid=recent-order][data-order-id="{order_id}"]')).to_have_count(1)
    shoot(page, "06-recent-orders")


def test_a_double_click_makes_one_order(page: Page, local_stack: Stack):
    posts = post_requests(page)
    card(page, "filter-beans-250g").get_by_test_id("add-to-cart").click()
    customer_id = new_customer(page)

    page.get_by_test_id("place-order").dblclick()

    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    assert [url for url in posts if url.endswith("/orders")] == [f"{local_stack.api}/orders"]
    assert len(local_stack.stored_orders(customer_id)) == 1


def test_the_page_works_on_a_phone_sized_screen(browser: Browser, local_stack: Stack):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(local_stack.web)
    expect(page.get_by_test_id("product-card")).to_have_count(6)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, "07-phone")
    context.close()
    assert scroll_width <= 360, "nothing may scroll sideways on a phone"


def test_the_page_makes_no_request_outside_its_own_origin_and_the_api(browser: Browser, local_stack: Stack):
    context = browser.new_context()
    page = context.new_page()
    origins: set[str] = set()
    page.on("request", lambda request: origins.add("/".join(request.url.split("/")[:3])))
    page.goto(local_stack.web)
    expect(page.get_by_test_id("product-card")).to_have_count(6)
    context.close()
    assert origins <= {local_stack.web, local_stack.api}, origins


def test_config_json_is_what_the_page_uses(local_stack: Stack):
    # Served by this stack from its own file: frontend/config.json is never written, so another stack of this
    # checkout (a test's own `make dev`) cannot point this one's pages at its API.
    assert not (REPO_ROOT / "frontend" / "config.json").exists()
    with urllib.request.urlopen(f"{local_stack.web}/config.json", timeout=10) as response:  # noqa: S310 - loopback
        config = json.loads(response.read())
    assert config["apiBaseUrl"] == local_stack.api
    assert config["cognito"]["userPoolId"] == local_stack.user_pool()[0]  # not used by the page yet


def test_an_unreachable_api_gets_a_clear_message_and_keeps_the_cart(page: Page, local_stack: Stack):
    # Given the network to the API is down (the page itself still loads)
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    customer_id = new_customer(page)
    page.route(f"{local_stack.api}/**", lambda route: route.abort("connectionrefused"))

    page.get_by_test_id("place-order").click()

    # Then the shopper is told, the cart is intact, and no order exists
    expect(page.get_by_test_id("api-error")).to_contain_text("unreachable")
    expect(cart_line(page, "ceramic-mug")).to_have_count(1)
    expect(page.get_by_test_id("place-order")).to_be_enabled()
    shoot(page, "08-api-unreachable")
    assert local_stack.stored_orders(customer_id) == []


def test_an_edited_cart_after_an_ambiguous_failure_shows_the_earlier_order_instead_of_making_a_second(
    page: Page, local_stack: Stack
):
    # Given a checkout whose order the API made, while the page was told 503 (SQS took the order, say)
    sent = intercept_order_posts(page, local_stack, ["made, then 503"])
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    customer_id = new_customer(page)
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("api-error")).to_contain_text("may or may not have been placed")
    expect(page.get_by_test_id("api-error")).to_contain_text("will not make a second order")
    (first,) = sent
    assert first.api_status == 202
    earlier_id = first.api_body["orderId"]

    # When the shopper edits the cart and places the order again
    card(page, "paper-filters-100").get_by_test_id("add-to-cart").click()
    page.get_by_test_id("place-order").click()

    # Then the earlier attempt was replayed (same key, same body), not the new cart: the page shows that order
    expect(page).to_have_url(re.compile(f"#/orders/{earlier_id}$"))
    expect(page.get_by_test_id("checkout-notice")).to_contain_text(
        "Your earlier checkout went through; this is that order. Your cart is kept"
    )
    expect(page.get_by_test_id("api-error")).to_be_hidden()
    shoot(page, "19-earlier-checkout-shown")
    assert [(p.key, p.payload, p.api_status) for p in sent] == [(first.key, first.payload, 202)] * 2
    assert sent[1].api_body["orderId"] == earlier_id
    assert [order["orderId"] for order in local_stack.stored_orders(customer_id)] == [earlier_id]

    # And the cart is kept, Recent orders lists the earlier order, and the notice goes with its page
    page.get_by_test_id("checkout-notice-link").click()
    expect(page.get_by_test_id("cart-line")).to_have_count(2)
    expect(page.locator(f'[data-testid=recent-order][data-order-id="{earlier_id}"]')).to_have_count(1)
    expect(page.get_by_test_id("checkout-notice")).to_be_hidden()
    assert len(sent) == 2, "the new cart is sent only when the shopper asks"

    # And placing the new cart now is a new order with a new key
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(ORDER_URL)
    expect(page).not_to_have_url(re.compile(earlier_id))
    assert len(sent) == 3
    assert sent[2].key != first.key
    assert sent[2].payload["items"] == [
        {"productId": "ceramic-mug", "quantity": 1},
        {"productId": "paper-filters-100", "quantity": 1},
    ]


def test_a_reload_after_an_ambiguous_failure_finds_the_order_it_made(page: Page, local_stack: Stack):
    # Given a checkout whose order the API made, while the page never heard the answer
    sent = intercept_order_posts(page, local_stack, ["made, then no answer"])
    card(page, "pour-over-dripper").get_by_test_id("add-to-cart").click()
    customer_id = new_customer(page)
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("api-error")).to_contain_text("may or may not have been placed")
    (first,) = sent
    earlier_id = first.api_body["orderId"]
    expect(page.get_by_test_id("recent-orders").locator(f'[data-order-id="{earlier_id}"]')).to_have_count(0)

    # When the shopper reloads the tab
    page.reload()

    # Then the page settles that checkout by itself (same key, same body): the order is in Recent orders, and said
    recent = page.locator(f'[data-testid=recent-order][data-order-id="{earlier_id}"]')
    expect(recent).to_have_count(1)
    notice = page.get_by_test_id("checkout-notice")
    expect(notice).to_contain_text(f"Your earlier checkout went through: order {earlier_id}")
    expect(page.get_by_test_id("checkout-notice-link")).to_have_attribute("href", f"#/orders/{earlier_id}")
    # the cart was exactly that order, so it is emptied as after any order: "Place order" can't repeat it
    expect(page.get_by_test_id("cart-line")).to_have_count(0)
    expect(page.get_by_test_id("place-order")).to_be_enabled()
    shoot(page, "20-earlier-checkout-settled-on-load")
    assert [(p.key, p.payload) for p in sent] == [(first.key, first.payload)] * 2
    assert [order["orderId"] for order in local_stack.stored_orders(customer_id)] == [earlier_id]
    assert page.evaluate("sessionStorage.length") == 0, "settled: nothing left to replay"


def test_a_definitive_refusal_of_the_earlier_checkout_lets_the_new_cart_go_with_a_new_key(
    page: Page, local_stack: Stack
):
    # Given a checkout that never reached the API, and a replay of it that does not either
    sent = intercept_order_posts(page, local_stack, ["lost", "lost", "409"])
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    customer_id = new_customer(page)
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("api-error")).to_contain_text("may or may not have been placed")
    first = sent[0]
    card(page, "filter-beans-250g").get_by_test_id("add-to-cart").click()
    page.get_by_test_id("place-order").click()

    # Then the changed cart is not sent while the earlier checkout is undecided, and the shopper is told
    expect(page.get_by_test_id("api-error")).to_contain_text("earlier checkout couldn't be confirmed yet")
    expect(page.get_by_test_id("checkout-status")).to_contain_text("changed cart was not sent")
    expect(page.get_by_test_id("place-order")).to_be_enabled()
    assert [(p.key, p.payload) for p in sent] == [(first.key, first.payload)] * 2

    # When the API refuses the earlier attempt for good (a 4xx) on the next try
    page.get_by_test_id("place-order").click()

    # Then that attempt is dropped and the new cart goes through, with a new key
    expect(page).to_have_url(ORDER_URL)
    expect(page.get_by_test_id("api-error")).to_be_hidden()
    assert len(sent) == 4
    assert [(p.key, p.payload) for p in sent[:3]] == [(first.key, first.payload)] * 3
    new = sent[3]
    assert new.key != first.key
    assert new.api_status == 202
    assert new.payload["items"] == [
        {"productId": "ceramic-mug", "quantity": 1},
        {"productId": "filter-beans-250g", "quantity": 1},
    ]
    assert page.url.endswith(new.api_body["orderId"])
    assert [order["orderId"] for order in local_stack.stored_orders(customer_id)] == [new.api_body["orderId"]]


def test_the_order_page_shows_pending_from_the_api_then_confirmed(page: Page, local_stack: Stack):
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    new_customer(page)

    # The queue holds the order from the processor for a few seconds: the API has it, the processor not yet.
    # The page asks at once after the 202, well within the hold.
    with orders_held_in_the_queue(local_stack, HOLD_SECONDS), page.expect_response(is_order_get) as first_get:
        page.get_by_test_id("place-order").click()

    # Then the first GET, straight after the 202, already answers the order PENDING, and the page says so
    assert first_get.value.status == 200
    assert first_get.value.json()["status"] == "PENDING"
    expect(page.get_by_test_id("order-status")).to_have_text("PENDING")
    expect(page.get_by_test_id("order-message")).to_contain_text("updates by itself")
    expect(page.get_by_test_id("order-item")).to_have_count(1)
    shoot(page, "09-order-pending")

    # And the page follows it to CONFIRMED by itself
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    expect(page.get_by_test_id("order-total")).to_have_text(re.compile(r"14[.,]00"))


def test_cancelling_an_order_asks_first_then_shows_it_cancelled(page: Page, local_stack: Stack):
    cancels: list[str] = []
    page.on("request", lambda r: cancels.append(r.url) if r.method == "POST" and r.url.endswith("/cancel") else None)
    card(page, "pour-over-dripper").get_by_test_id("add-to-cart").click()
    new_customer(page)
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    order_id = page.url.rsplit("/", 1)[1]

    # The first click only asks; "No, keep it" sends nothing
    page.get_by_test_id("cancel-order").click()
    expect(page.get_by_test_id("cancel-confirm-box")).to_be_visible()
    expect(page.get_by_test_id("cancel-keep")).to_be_focused()
    page.get_by_test_id("cancel-keep").click()
    expect(page.get_by_test_id("cancel-confirm-box")).to_be_hidden()
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED")
    assert cancels == []

    # Confirming cancels it
    page.get_by_test_id("cancel-order").click()
    shoot(page, "10-cancel-confirm")
    with page.expect_response(lambda r: r.url.endswith(f"/orders/{order_id}/cancel")) as answer:
        page.get_by_test_id("cancel-confirm").click()
    assert answer.value.status == 200

    expect(page.get_by_test_id("order-status")).to_have_text("CANCELLED")
    expect(page.get_by_test_id("cancel-order")).to_be_hidden()
    status, stored = api_get(local_stack, f"/orders/{order_id}")
    assert (status, stored["status"]) == (200, "CANCELLED")
    expect(page.get_by_test_id("order-cancelled-at")).to_have_attribute("datetime", stored["cancelledAt"])
    expect(page.get_by_test_id("order-cancelled-at")).not_to_be_empty()
    shoot(page, "11-order-cancelled")
    assert len(cancels) == 1

    # Recent orders say so too
    page.get_by_role("link", name="Recent orders").first.click()
    recent = page.locator(f'[data-testid=recent-order][data-order-id="{order_id}"]')
    expect(recent.get_by_test_id("recent-order-status")).to_have_text("CANCELLED")


def test_an_unavailable_cart_line_is_flagged_and_never_sent(page: Page):
    # Given a cart saved when the grinder could still be ordered
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if is_order_post(r) else None)
    seed_cart(page, [{"productId": "burr-grinder", "quantity": 1}, {"productId": "ceramic-mug", "quantity": 2}])
    new_customer(page)

    # Then the cart flags the line, and checkout is blocked with a clear message, sending nothing
    expect(cart_line(page, "burr-grinder")).to_have_attribute("data-unavailable", "true")
    expect(cart_line(page, "burr-grinder").get_by_test_id("cart-line-warning")).to_contain_text("Unavailable")
    expect(page.get_by_test_id("cart-unavailable")).to_contain_text("Hand burr grinder")
    expect(page.get_by_test_id("cart-total")).to_have_text(re.compile(r"28[.,]00"))
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Hand burr grinder can't be ordered now")
    shoot(page, "12-cart-unavailable")
    assert posts == []

    # When the shopper removes the unavailable lines and checks out
    page.get_by_test_id("remove-unavailable").click()
    expect(cart_line(page, "burr-grinder")).to_have_count(0)
    expect(page.get_by_test_id("cart-unavailable")).to_be_hidden()
    with page.expect_request(is_order_post) as sent:
        page.get_by_test_id("place-order").click()

    # Then only the orderable line was sent, and the order is confirmed
    assert json.loads(sent.value.post_data or "{}")["items"] == [{"productId": "ceramic-mug", "quantity": 2}]
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)


def test_a_rejected_order_names_the_product_and_can_be_ordered_again_without_it(page: Page):
    # Given a page that loaded the catalog while the grinder was still in stock (the server knows better)
    serve_stale_catalog(page, available={"burr-grinder"})
    page.reload()
    card(page, "burr-grinder").get_by_test_id("add-to-cart").click()
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    new_customer(page)
    page.get_by_test_id("place-order").click()

    # Then the order is REJECTED, with the reason by product name, line by line
    expect(page.get_by_test_id("order-status")).to_have_text("REJECTED", timeout=FINAL_STATUS_TIMEOUT_MS)
    expect(page.get_by_test_id("rejection-reason")).to_contain_text("Hand burr grinder is unavailable")
    refused = page.get_by_test_id("refused-line")
    expect(refused).to_have_count(1)
    expect(refused).to_have_attribute("data-code", "PRODUCT_UNAVAILABLE")
    expect(refused).to_have_text("Hand burr grinder is unavailable.")
    order_again = page.get_by_test_id("order-again")
    expect(order_again).to_have_text("Order again without Hand burr grinder")
    shoot(page, "04-order-rejected")

    # When the shopper orders again without it
    order_again.click()

    # Then the cart holds the other line, as it was, and that order goes through
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(page.get_by_test_id("cart-line")).to_have_count(1)
    expect(cart_line(page, "ceramic-mug").get_by_test_id("cart-qty")).to_have_value("2")
    expect(page.locator("#cart-heading")).to_be_focused()
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)


def test_a_quantity_of_zero_removes_the_line_with_undo(page: Page):
    beans = cart_line(page, "espresso-beans-1kg")
    card(page, "espresso-beans-1kg").get_by_test_id("add-to-cart").click()
    card(page, "espresso-beans-1kg").get_by_test_id("add-to-cart").click()
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()

    # When the shopper types 0 and leaves the box
    beans.get_by_test_id("cart-qty").fill("0")
    beans.get_by_test_id("cart-qty").press("Tab")

    # Then the line is gone (not set to 1), and Undo is offered, with focus on it
    expect(beans).to_have_count(0)
    expect(page.get_by_test_id("cart-undo-text")).to_have_text("Removed Espresso beans, 1 kg from your cart.")
    expect(page.get_by_test_id("cart-undo")).to_be_focused()
    expect(page.get_by_test_id("cart-total")).to_have_text(re.compile(r"14[.,]00"))
    shoot(page, "13-cart-undo")

    # And Undo puts it back where it was, with its quantity
    page.get_by_test_id("cart-undo").click()
    expect(page.get_by_test_id("cart-line").first).to_have_attribute("data-product-id", "espresso-beans-1kg")
    expect(beans.get_by_test_id("cart-qty")).to_have_value("2")
    expect(page.get_by_test_id("cart-undo")).to_be_hidden()
    expect(page.get_by_test_id("cart-total")).to_have_text(re.compile(r"63[.,]80"))
    stored = page.evaluate("JSON.parse(localStorage.getItem('storefront.cart.v1')).lines")
    assert stored == [{"productId": "espresso-beans-1kg", "quantity": 2}, {"productId": "ceramic-mug", "quantity": 1}]


def test_an_unknown_order_id_shows_no_such_order(page: Page, local_stack: Stack):
    # Even one this browser remembers (e.g. placed before the local stack restarted): a 404 is definitive
    order_id = str(uuid.uuid4())
    remembered = [{"orderId": order_id, "createdAt": "2026-01-01T10:00:00Z", "status": "PENDING", "items": []}]
    page.evaluate("list => localStorage.setItem('storefront.recentOrders.v1', JSON.stringify(list))", remembered)

    with page.expect_response(is_order_get) as answer:
        page.goto(f"{local_stack.web}/#/orders/{order_id}")

    assert answer.value.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("No such order")
    expect(page.get_by_test_id("order-status")).to_have_text("No such order")
    expect(page.get_by_test_id("order-message")).not_to_contain_text("pending")
    expect(page.get_by_test_id("cancel-order")).to_be_hidden()
    shoot(page, "14-no-such-order")
    page.get_by_test_id("order-back-to-shop").click()
    expect(page.get_by_test_id("product-card")).to_have_count(6)
    recent = page.locator(f'[data-testid=recent-order][data-order-id="{order_id}"]')
    expect(recent.get_by_test_id("recent-order-status")).to_have_text("No such order")


def test_when_polling_stops_while_pending_the_page_says_so_and_can_check_again(page: Page, local_stack: Stack):
    # The page's clock is Playwright's, paused: a poll happens only when the test moves time on, so two minutes
    # of polling pass in a moment; the queue holds the order PENDING meanwhile (far longer than this test takes).
    pause_the_clock(page)
    card(page, "paper-filters-100").get_by_test_id("add-to-cart").click()
    new_customer(page)
    message = page.get_by_test_id("order-message")
    with orders_held_in_the_queue(local_stack, 30):
        page.get_by_test_id("place-order").click()
        expect(page.get_by_test_id("cancel-order")).to_be_visible()  # offered once the API has answered PENDING

    # When the poller's time runs out (each step: jump a minute, then see the poll that fell due answered)
    item = page.get_by_test_id("order-item")
    for _ in range(6):
        item.evaluate("row => { row.dataset.seen = 'yes'; }")
        page.clock.fast_forward("01:00")
        expect(page.locator("[data-testid=order-item]:not([data-seen])")).to_have_count(1)
        if "stopped checking" in (message.text_content() or ""):
            break

    # Then the page no longer claims to update by itself, and offers to check again
    expect(page.get_by_test_id("order-status")).to_have_text("PENDING")
    expect(message).to_contain_text("stopped checking")
    expect(message).not_to_contain_text("updates by itself")
    shoot(page, "15-polling-stopped")
    with page.expect_response(is_order_get):
        page.get_by_test_id("order-refresh").click()
    expect(page.get_by_test_id("order-refresh")).to_be_hidden()
    expect(message).to_contain_text("updates by itself")


def test_a_refused_cancel_shows_the_servers_message(page: Page, browser: Browser, local_stack: Stack):
    # Given an order page showing PENDING whose order the processor has since rejected: the page's clock is
    # paused, so it does not poll again, and another tab sees the order REJECTED.
    serve_stale_catalog(page, available={"burr-grinder"})
    pause_the_clock(page)
    card(page, "burr-grinder").get_by_test_id("add-to-cart").click()
    new_customer(page)
    with orders_held_in_the_queue(local_stack, HOLD_SECONDS):
        page.get_by_test_id("place-order").click()
        expect(page.get_by_test_id("order-status")).to_have_text("PENDING")
        expect(page.get_by_test_id("cancel-order")).to_be_visible()  # offered once the API has answered PENDING
    order_id = page.url.rsplit("/", 1)[1]
    other_tab = browser.new_context().new_page()
    other_tab.goto(f"{local_stack.web}/#/orders/{order_id}")
    expect(other_tab.get_by_test_id("order-status")).to_have_text("REJECTED", timeout=FINAL_STATUS_TIMEOUT_MS)
    other_tab.context.close()
    expect(page.get_by_test_id("order-status")).to_have_text("PENDING")

    # When the shopper cancels it there
    page.get_by_test_id("cancel-order").click()
    with page.expect_response(lambda r: r.url.endswith(f"/orders/{order_id}/cancel")) as answer:
        page.get_by_test_id("cancel-confirm").click()

    # Then the server's 409 message is shown, and the page shows the order as it is now
    assert answer.value.status == 409
    refusal = answer.value.json()["error"]
    assert refusal["code"] == "ORDER_NOT_CANCELLABLE"
    expect(page.get_by_test_id("cancel-error")).to_have_text(refusal["message"])
    expect(page.get_by_test_id("order-status")).to_have_text("REJECTED")
    expect(page.get_by_test_id("cancel-order")).to_be_hidden()
    shoot(page, "16-cancel-refused")


def test_the_new_controls_fit_a_phone_sized_screen(browser: Browser, local_stack: Stack):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(local_stack.web)
    widths: dict[str, int] = {}

    # The cart with an unavailable line, and Undo after removing another
    seed_cart(page, [{"productId": "burr-grinder", "quantity": 1}, {"productId": "ceramic-mug", "quantity": 1}])
    new_customer(page)
    expect(page.get_by_test_id("cart-unavailable")).to_be_visible()
    cart_line(page, "ceramic-mug").get_by_test_id("cart-remove").click()
    expect(page.get_by_test_id("cart-undo")).to_be_visible()
    widths["cart"] = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, "17-phone-cart")

    # The order page with the cancel confirmation open
    page.get_by_test_id("cart-undo").click()
    page.get_by_test_id("remove-unavailable").click()
    page.get_by_test_id("place-order").click()
    page.get_by_test_id("cancel-order").click()
    expect(page.get_by_test_id("cancel-confirm")).to_be_visible()
    widths["order"] = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, "18-phone-cancel")
    context.close()
    assert max(widths.values()) <= 360, f"nothing may scroll sideways on a phone: {widths}"
