"""The storefront in a real browser (Debian's Chromium driven by Playwright) against the local stack.

Screenshots of each main screen go to test-output/screenshots/.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from scripts.processes import REPO_ROOT
from tests.support.local_stack import Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO_ROOT / "test-output" / "screenshots"
FINAL_STATUS_TIMEOUT_MS = 30_000


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


def test_an_unavailable_product_ends_rejected_with_the_reason(page: Page):
    # The shop keeps a line for a product that became unavailable; the server decides.
    cart = {"lines": [{"productId": "burr-grinder", "quantity": 1}], "note": ""}
    page.evaluate("cart => localStorage.setItem('storefront.cart.v1', JSON.stringify(cart))", cart)
    page.reload()
    new_customer(page)
    page.get_by_test_id("place-order").click()

    expect(page.get_by_test_id("order-status")).to_have_text("REJECTED", timeout=FINAL_STATUS_TIMEOUT_MS)
    expect(page.get_by_test_id("rejection-reason")).to_contain_text("burr-grinder is unavailable")
    shoot(page, "04-order-rejected")


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
    config = json.loads((REPO_ROOT / "frontend" / "config.json").read_text())
    assert config == {"apiBaseUrl": local_stack.api}


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
