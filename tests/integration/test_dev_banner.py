"""`make dev`'s banner gives commands that work with the ports and region actually in use."""

from __future__ import annotations

from pathlib import Path

from scripts.dev import DevSettings, banner
from scripts.local_cognito import LocalUserPool

LOGS = Path(".dev/logs")
POOL_ID = "eu-west-1_0123456789abcdef0123456789abcdef"
CLIENT_ID = "abcdefghijklmnopqrstuvwxyz"


def banner_for(environment: dict[str, str]) -> str:
    settings = DevSettings.from_environment(environment)
    pool = LocalUserPool(settings.region, settings.endpoint, POOL_ID, CLIENT_ID, "shopper@example.com", "Pass-word-123")
    return banner(settings, "orders-local-frontend", pool, LOGS, 9.5)


def test_moved_ports_appear_in_every_command():
    text = banner_for({"MOTO_PORT": "4600", "API_PORT": "3100", "WEB_PORT": "8180", "OFFLINE_LAMBDA_PORT": "3102"})

    assert "MOTO_PORT=4600 make local-orders" in text
    assert "MOTO_PORT=4600 make local-queues" in text
    assert (
        "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=eu-west-1 "
        "aws --endpoint-url http://127.0.0.1:4600 dynamodb scan --table-name orders-local-orders"
    ) in text
    assert "curl -i http://127.0.0.1:3100/orders " in text
    assert "http://127.0.0.1:8180" in text
    for default in ("4566", "3000", "8080"):
        assert default not in text


def test_default_ports_need_no_variables():
    text = banner_for({})

    assert "  make local-orders   |   make local-queues" in text
    assert "MOTO_PORT" not in text
    assert "aws --endpoint-url http://127.0.0.1:4566 dynamodb scan" in text
    assert "curl -i http://127.0.0.1:3000/orders " in text


def test_another_region_is_passed_on():
    text = banner_for({"AWS_REGION": "us-east-1"})

    assert "AWS_REGION=us-east-1 make local-orders" in text
    assert "AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url" in text


def test_the_demo_shopper_and_the_user_pool_are_named():
    text = banner_for({})

    assert "shopper@example.com   password Pass-word-123" in text
    assert f"User pool    {POOL_ID}   app client {CLIENT_ID}" in text


def test_every_route_the_api_serves_is_named():
    from services.api.errors import ROUTES

    api_line = next(line for line in banner_for({}).splitlines() if line.startswith("  API "))
    named = api_line[api_line.index("(") + 1 : api_line.rindex(")")].split("; ")
    # The line's own URL is /orders: its method stands alone.
    assert sorted(named) == sorted(
        method if path == "/orders" else f"{method} {path}" for path, methods in ROUTES.items() for method in methods
    )
