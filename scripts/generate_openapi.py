"""Write the API's OpenAPI document, generated from the handler's routes and models.

Usage: python scripts/generate_openapi.py [OUTPUT]   (prints to stdout without OUTPUT)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "shared" / "python")]

TITLE = "Order system API"
VERSION = "1.0.0"


def openapi_document() -> str:
    from services.api.handler import app

    return app.get_openapi_json_schema(
        title=TITLE,
        version=VERSION,
        description=(
            "Place orders, follow them from PENDING to CONFIRMED or REJECTED, and cancel them: PENDING and"
            " CONFIRMED orders may be cancelled (CANCELLED). A cancelled order is never priced afterwards."
        ),
    )


def main() -> None:
    document = openapi_document() + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(document)
    else:
        sys.stdout.write(document)


if __name__ == "__main__":
    main()
