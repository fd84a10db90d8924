"""`make dev`'s banner gives commands that work with the ports and region actually in use."""

from __future__ import annotations

from pathlib import Path

from scripts.dev import DevSettings, banner

LOGS = Path(".dev/logs")


def banner_for(environment: dict[str, str]) -> str:
    return banner(DevSettings.from_environment(environment), "orders-local-frontend", LOGS, 9.5)


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
