"""The storefront in a real browser (Debian's Chromium driven by Playwright) against the local stack, with a
shopper signed in (tests/support/storefront.py); signing in, up and out are in test_storefront_accounts.py.

Screenshots of each main screen go to test-output/screenshots/.

To look at an order while it is PENDING, a test holds it in the local queue (SQS DelaySeconds, set on moto) so the
processor cannot see it yet; nothing of the API is faked. Where a test needs the page's poller to stand still or
two minutes to pass, it runs the page on Playwright's clock, paused.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid

from playwright.sync_api import Browser, Page, expect

from scripts.processes import REPO_ROOT
from tests.support.local_stack import Stack
from tests.support.storefront import (
    FINAL_STATUS_TIMEOUT_MS,
    HOLD_SECONDS,
    ORDER_URL,
    Shopper,
    api_get,
    card,
    cart_line,
    create_shopper,
    intercept_order_posts,
    is_order_get,
    is_order_post,
    my_order,
    open_page,
    orders_held_in_the_queue,
    pause_the_clock,
    post_requests,
    seed_cart,
    serve_stale_catalog,
    shoot,
    sign_in,
)

pytest_plugins = ["tests.support.storefront"]


def test_browse_fill_a_cart_and_see_the_order_confirmed(page: Page, local_stack: Stack, shopper: Shopper):
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
    shoot(page, "02-cart")
    page.get_by_test_id("place-order").click()

    # Then the order page follows it to CONFIRMED with the server's total
    expect(page).to_have_url(re.compile(r"#/orders/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    expect(page.get_by_test_id("order-total")).to_have_text(re.compile(r"88[.,]70"))
    shoot(page, "03-order-confirmed")
    (stored,) = local_stack.stored_orders(shopper.sub)
    assert stored["status"] == "CONFIRMED"
    assert int(stored["totalCents"]) == 3 * 2490 + 1400


def test_an_api_validation_error_is_shown_next_to_its_field(page: Page, local_stack: Stack, shopper: Shopper):
    # Given a note longer than the API allows (set programmatically: the textarea's maxlength stops typing)
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    too_long = "x" * 501
    page.get_by_test_id("order-note").evaluate("(note, value) => { note.value = value; }", too_long)

    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/orders")) as answer:
        page.get_by_test_id("place-order").click()

    # Then the real API's 422 is shown beside the field and in the summary, and nothing was ordered
    assert answer.value.status == 422
    field_error = page.locator('[data-testid=field-error][data-field="note"]')
    expect(field_error).to_be_visible()
    expect(field_error).to_contain_text("500")
    expect(page.get_by_test_id("form-error")).to_be_visible()
    shoot(page, "05-validation-error")
    assert local_stack.stored_orders(shopper.sub) == []


def test_my_orders_come_from_the_api_on_any_device(page: Page, browser: Browser, local_stack: Stack, shopper: Shopper):
    card(page, "paper-filters-100").get_by_test_id("add-to-cart").click()
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(ORDER_URL)
    order_id = page.url.rsplit("/", 1)[1]

    # Another browser (nothing of this one's storage), the same shopper signed in
    with open_page(browser, local_stack) as elsewhere:
        sign_in(elsewhere, local_stack, shopper)
        with elsewhere.expect_request(lambda r: r.method == "GET" and "/orders?limit=" in r.url):
            elsewhere.get_by_role("link", name="My orders").first.click()
        expect(my_order(elsewhere, order_id)).to_have_count(1, timeout=10_000)  # the index may lag a second
        expect(elsewhere.get_by_test_id("my-order")).to_have_count(1)
        shoot(elsewhere, "06-my-orders")


def test_a_double_click_makes_one_order(page: Page, local_stack: Stack, shopper: Shopper):
    posts = post_requests(page)
    card(page, "filter-beans-250g").get_by_test_id("add-to-cart").click()

    page.get_by_test_id("place-order").dblclick()

    expect(page.get_by_test_id("order-status")).to_have_text("CONFIRMED", timeout=FINAL_STATUS_TIMEOUT_MS)
    assert [url for url in posts if url.endswith("/orders")] == [f"{local_stack.api}/orders"]
    assert len(local_stack.stored_orders(shopper.sub)) == 1


def test_the_page_works_on_a_phone_sized_screen(browser: Browser, local_stack: Stack):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(local_stack.web)
    expect(page.get_by_test_id("product-card")).to_have_count(6)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, "07-phone")
    context.close()
    assert scroll_width <= 360, "nothing may scroll sideways on a phone"


def test_the_page_makes_no_request_outside_its_own_origin_the_api_and_the_user_pool(
    browser: Browser, local_stack: Stack
):
    context = browser.new_context()
    page = context.new_page()
    origins: set[str] = set()
    page.on("request", lambda request: origins.add("/".join(request.url.split("/")[:3])))
    page.goto(local_stack.web)
    expect(page.get_by_test_id("product-card")).to_have_count(6)
    sign_in(page, local_stack, create_shopper(local_stack))
    page.get_by_role("link", name="My orders").first.click()
    expect(page.get_by_test_id("my-orders-message")).to_have_text("You have no orders yet.")
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("sign-in-link")).to_be_visible()
    context.close()
    assert origins <= {local_stack.web, local_stack.api, local_stack.aws_endpoint}, origins
    assert local_stack.api in origins


def test_config_json_is_what_the_page_uses(local_stack: Stack):
    # Served by this stack from its own file: frontend/config.json is never written, so another stack of this
    # checkout (a test's own `make dev`) cannot point this one's pages at its API.
    assert not (REPO_ROOT / "frontend" / "config.json").exists()
    with urllib.request.urlopen(f"{local_stack.web}/config.json", timeout=10) as response:  # noqa: S310 - loopback
        config = json.loads(response.read())
    assert config["apiBaseUrl"] == local_stack.api
    assert (config["cognito"]["userPoolId"], config["cognito"]["clientId"]) == local_stack.user_pool()
    assert config["cognito"]["endpoint"] == local_stack.aws_endpoint  # moto's cognito-idp, locally


def test_an_unreachable_api_gets_a_clear_message_and_keeps_the_cart(page: Page, local_stack: Stack, shopper: Shopper):
    # Given the network to the API is down (the page itself still loads)
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
    page.route(f"{local_stack.api}/**", lambda route: route.abort("connectionrefused"))

    page.get_by_test_id("place-order").click()

    # Then the shopper is told, the cart is intact, and no order exists
    expect(page.get_by_test_id("api-error")).to_contain_text("unreachable")
    expect(cart_line(page, "ceramic-mug")).to_have_count(1)
    expect(page.get_by_test_id("place-order")).to_be_enabled()
    shoot(page, "08-api-unreachable")
    assert local_stack.stored_orders(shopper.sub) == []


def test_an_edited_cart_after_an_ambiguous_failure_shows_the_earlier_order_instead_of_making_a_second(
    page: Page, local_stack: Stack, shopper: Shopper
):
    # Given a checkout whose order the API made, while the page was told 503 (SQS took the order, say)
    sent = intercept_order_posts(page, local_stack, ["made, then 503"])
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
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
    assert [order["orderId"] for order in local_stack.stored_orders(shopper.sub)] == [earlier_id]

    # And the cart is kept, the shopper's latest orders list the earlier order, and the notice goes with its page
    page.get_by_test_id("checkout-notice-link").click()
    expect(page.get_by_test_id("cart-line")).to_have_count(2)
    expect(my_order(page, earlier_id)).to_have_count(1)
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


def test_a_reload_after_an_ambiguous_failure_finds_the_order_it_made(page: Page, local_stack: Stack, shopper: Shopper):
    # Given a checkout whose order the API made, while the page never heard the answer
    sent = intercept_order_posts(page, local_stack, ["made, then no answer"])
    card(page, "pour-over-dripper").get_by_test_id("add-to-cart").click()
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("api-error")).to_contain_text("may or may not have been placed")
    (first,) = sent
    earlier_id = first.api_body["orderId"]
    expect(my_order(page, earlier_id)).to_have_count(0)

    # When the shopper reloads the tab
    page.reload()

    # Then the page settles that checkout by itself (same key, same body): the order is in My orders, and said
    expect(my_order(page, earlier_id)).to_have_count(1)
    notice = page.get_by_test_id("checkout-notice")
    expect(notice).to_contain_text(f"Your earlier checkout went through: order {earlier_id}")
    expect(page.get_by_test_id("checkout-notice-link")).to_have_attribute("href", f"#/orders/{earlier_id}")
    # the cart was exactly that order, so it is emptied as after any order: "Place order" can't repeat it
    expect(page.get_by_test_id("cart-line")).to_have_count(0)
    expect(page.get_by_test_id("place-order")).to_be_enabled()
    shoot(page, "20-earlier-checkout-settled-on-load")
    assert [(p.key, p.payload) for p in sent] == [(first.key, first.payload)] * 2
    assert [order["orderId"] for order in local_stack.stored_orders(shopper.sub)] == [earlier_id]
    pending = page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('storefront.pendingCheckout'))")
    assert pending == [], "settled: nothing left to replay"


def test_a_definitive_refusal_of_the_earlier_checkout_lets_the_new_cart_go_with_a_new_key(
    page: Page, local_stack: Stack, shopper: Shopper
):
    # Given a checkout that never reached the API, and a replay of it that does not either
    sent = intercept_order_posts(page, local_stack, ["lost", "lost", "409"])
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()
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
    assert [order["orderId"] for order in local_stack.stored_orders(shopper.sub)] == [new.api_body["orderId"]]


def test_the_order_page_shows_pending_from_the_api_then_confirmed(page: Page, local_stack: Stack):
    card(page, "ceramic-mug").get_by_test_id("add-to-cart").click()

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


def test_cancelling_an_order_asks_first_then_shows_it_cancelled(page: Page, local_stack: Stack, shopper: Shopper):
    cancels: list[str] = []
    page.on("request", lambda r: cancels.append(r.url) if r.method == "POST" and r.url.endswith("/cancel") else None)
    card(page, "pour-over-dripper").get_by_test_id("add-to-cart").click()
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
    status, stored = api_get(local_stack, f"/orders/{order_id}", shopper)
    assert (status, stored["status"]) == (200, "CANCELLED")
    expect(page.get_by_test_id("order-cancelled-at")).to_have_attribute("datetime", stored["cancelledAt"])
    expect(page.get_by_test_id("order-cancelled-at")).not_to_be_empty()
    shoot(page, "11-order-cancelled")
    assert len(cancels) == 1

    # My orders say so too
    page.get_by_role("link", name="My orders").first.click()
    expect(my_order(page, order_id).get_by_test_id("my-order-status")).to_have_text("CANCELLED")


def test_an_unavailable_cart_line_is_flagged_and_never_sent(page: Page):
    # Given a cart saved when the grinder could still be ordered
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if is_order_post(r) else None)
    seed_cart(page, [{"productId": "burr-grinder", "quantity": 1}, {"productId": "ceramic-mug", "quantity": 2}])

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
    order_id = str(uuid.uuid4())

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
    expect(page.get_by_test_id("my-orders-message")).to_have_text("You have no orders yet.")


def test_when_polling_stops_while_pending_the_page_says_so_and_can_check_again(page: Page, local_stack: Stack):
    # The page's clock is Playwright's, paused: a poll happens only when the test moves time on, so two minutes
    # of polling pass in a moment; the queue holds the order PENDING meanwhile (far longer than this test takes).
    pause_the_clock(page)
    card(page, "paper-filters-100").get_by_test_id("add-to-cart").click()
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


def test_a_refused_cancel_shows_the_servers_message(page: Page, browser: Browser, local_stack: Stack, shopper: Shopper):
    # Given an order page showing PENDING whose order the processor has since rejected: the page's clock is
    # paused, so it does not poll again, and another tab sees the order REJECTED.
    serve_stale_catalog(page, available={"burr-grinder"})
    pause_the_clock(page)
    card(page, "burr-grinder").get_by_test_id("add-to-cart").click()
    with orders_held_in_the_queue(local_stack, HOLD_SECONDS):
        page.get_by_test_id("place-order").click()
        expect(page.get_by_test_id("order-status")).to_have_text("PENDING")
        expect(page.get_by_test_id("cancel-order")).to_be_visible()  # offered once the API has answered PENDING
    order_id = page.url.rsplit("/", 1)[1]
    with open_page(browser, local_stack) as other_tab:
        sign_in(other_tab, local_stack, shopper)
        other_tab.goto(f"{local_stack.web}/#/orders/{order_id}")
        expect(other_tab.get_by_test_id("order-status")).to_have_text("REJECTED", timeout=FINAL_STATUS_TIMEOUT_MS)
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


def test_the_new_controls_fit_a_phone_sized_screen(browser: Browser, local_stack: Stack, shopper: Shopper):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(local_stack.web)
    sign_in(page, local_stack, shopper)
    widths: dict[str, int] = {}

    # The cart with an unavailable line, and Undo after removing another
    seed_cart(page, [{"productId": "burr-grinder", "quantity": 1}, {"productId": "ceramic-mug", "quantity": 1}])
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
