"""Fuzz the running API against its published OpenAPI document with schemathesis (every check).

    python -m scripts.fuzz --url http://127.0.0.1:3000 --max-examples 500

Every check runs, `ensure_resource_availability` included: `GET /orders/{id}` must find an order right after
`POST /orders` answered 202, which the API's PENDING record guarantees. `scripts/schemathesis.toml` limits
the methods expected to get 405 to those an HTTP API can route.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from scripts.processes import BIN, REPO_ROOT

OPENAPI = REPO_ROOT / "docs" / "openapi.json"
CONFIG = REPO_ROOT / "scripts" / "schemathesis.toml"
SEED = "20261125"


def fuzz(url: str, max_examples: int) -> subprocess.CompletedProcess[str]:
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
    ]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=1800)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running API; without it a local stack is started")
    parser.add_argument("--max-examples", type=int, default=500)
    args = parser.parse_args()
    if args.url:
        result = fuzz(args.url, args.max_examples)
    else:
        from scripts.dev_stack import dev_stack

        with dev_stack() as stack:
            result = fuzz(stack.api, args.max_examples)
    sys.stdout.write(result.stdout)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
