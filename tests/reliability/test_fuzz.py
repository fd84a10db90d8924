"""Schemathesis against the running local API and its published OpenAPI document: no 5xx, every answer
matches the documented schema and status codes, signed in and (schemathesis's ignored_auth check) not
(bounded here; `make fuzz` runs a larger campaign)."""

from __future__ import annotations

import re

from scripts.dev_stack import DevStack
from scripts.fuzz import fuzz


def test_the_api_survives_schema_driven_fuzzing(local_stack: DevStack):
    result = fuzz(local_stack.api, local_stack.new_shopper("fuzz").access_token, max_examples=30)

    assert result.returncode == 0, result.stdout[-6000:]
    generated = re.search(r"(\d+) generated", result.stdout)
    assert generated is not None, result.stdout[-2000:]
    assert int(generated.group(1)) >= 100  # the run really exercised the API
