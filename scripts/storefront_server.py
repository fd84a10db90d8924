"""The storefront for `make dev`: the files of frontend/, and this stack's own config.json.

    python -m scripts.storefront_server --port 8080 --config .dev/storefront-8080/config.json

config.json is served from the file `--config` names instead of being written into frontend/, so that two
stacks of one checkout (a test's `make dev` beside the session's) never point each other's pages at the
wrong API.

Every answer carries the deployed site's Content-Security-Policy (resources/frontend.yml), with `connect-src`
naming this stack's API and user pool endpoint (moto) instead of the region's, so a page that would break under
the deployed policy (an inline script, eval in a library) breaks locally too.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scripts.processes import LOOPBACK, REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"


class StorefrontHandler(SimpleHTTPRequestHandler):
    """frontend/ as static files; `/config.json` from the stack's own file."""

    config: Path

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy(self.config))
        super().end_headers()

    def translate_path(self, path: str) -> str:
        if path.split("?", 1)[0] == "/config.json":
            return str(self.config)
        return super().translate_path(path)


def origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(config_file: Path) -> str:
    """resources/frontend.yml's policy, connecting to this stack's API and user pool (upgrade-insecure-requests
    left out: everything local is plain http on loopback)."""
    config = json.loads(config_file.read_text())
    connect = " ".join(["'self'", origin(config["apiBaseUrl"]), origin(config["cognito"]["endpoint"])])
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", type=Path, required=True)
    args = parser.parse_args()
    handler_class = type("Handler", (StorefrontHandler,), {"config": args.config})
    handler = functools.partial(handler_class, directory=str(FRONTEND))
    # Ctrl-C or `make dev`'s SIGINT is a normal stop.
    with ThreadingHTTPServer((LOOPBACK, args.port), handler) as server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
