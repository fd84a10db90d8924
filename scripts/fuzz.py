"""Fuzz the running API against its published OpenAPI document with schemathesis (every check).

    python -m scripts.fuzz --url http://127.0.0.1:3000 --max-examples 500

Every check runs, `ensure_resource_availability` included: `GET /orders/{id}` must find an order right after
`POST /orders` answered 202, which the API's PENDING record guarantees. `scripts/schemathesis.toml` limits
the methods expected to get 405 to those an HTTP API can route. Requests carry a new local shopper's access
token, so that they reach validation; `ignored_auth` sends some without it and expects 401.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.processes import BIN, REPO_ROOT
from scripts.run_record import machine

OPENAPI = REPO_ROOT / "docs" / "openapi.json"
CONFIG = REPO_ROOT / "scripts" / "schemathesis.toml"
SEED = "20261125"
RESULTS = REPO_ROOT / "bench" / "results" / "fuzz.json"  # docs/reliability.md's fuzzing figures (bench/docs.py)


def fuzz(
    url: str, access_token: str, max_examples: int, report: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run schemathesis against `url` as the shopper of `access_token`; with `report`, also its JSON run report.

    The token must outlive the run (15 minutes for the local pool's; a campaign of 500 examples takes about one).
    """
    command = [
        str(BIN / "st"),
        "--config-file",
        str(CONFIG),
        "run",
        str(OPENAPI),
        "--url",
        url,
        "--checks",
        "all",
        "--seed",
        SEED,
        "--max-examples",
        str(max_examples),
        "--no-color",
        "--header",
        f"Authorization: Bearer {access_token}",
        *(["--report", "json", "--report-json-path", str(report)] if report else []),
    ]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=1800)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running API; without it a local stack is started")
    parser.add_argument("--token", help="an access token for --url (a local stack's shoppers sign in here)")
    parser.add_argument("--max-examples", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as temp:
        report = Path(temp) / "report.json"
        if args.url:
            if not args.token:
                parser.error("--url needs --token: every route of the API needs a signed-in shopper")
            result = fuzz(args.url, args.token, args.max_examples, report)
        else:
            from scripts.dev_stack import dev_stack

            with dev_stack() as stack:
                result = fuzz(stack.api, stack.new_shopper("fuzz").access_token, args.max_examples, report)
        sys.stdout.write(result.stdout)
        if report.exists() and not args.url:  # the figures docs/reliability.md shows come from the local stack
            RESULTS.write_text(json.dumps(summary(json.loads(report.read_text()), args.max_examples), indent=2) + "\n")
    sys.exit(result.returncode)


def summary(report: dict[str, Any], max_examples: int) -> dict[str, Any]:
    """What docs/reliability.md shows of a schemathesis JSON run report, with the machine and commit."""
    return {
        "machine": machine(),
        "schemathesis": report["schemathesis_version"],
        "seed": report["seed"],
        "max_examples": max_examples,
        "operations_tested": report["operations"]["tested"],
        "test_cases": report["test_cases"],
        "phases": {name: phase["status"] for name, phase in report["phases"].items()},
        "running_seconds": round(report["running_time"], 1),
    }


if __name__ == "__main__":
    main()
