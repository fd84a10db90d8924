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


# Every operation takes the shopper's Cognito access token (API Gateway's JWT authorizer, serverless.yml).
SECURITY_SCHEME = "cognitoAccessToken"


def openapi_document() -> str:
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    from services.api.handler import app

    return app.get_openapi_json_schema(
        title=TITLE,
        version=VERSION,
        description=(
            "A signed-in shopper's orders: place them, list them, follow each from PENDING to CONFIRMED or"
            " REJECTED, and cancel them: PENDING and CONFIRMED orders may be cancelled (CANCELLED). A cancelled"
            " order is never priced afterwards. Every operation needs the shopper's Cognito access token; another"
            " shopper's order is answered 404, like a missing one."
        ),
        security_schemes={
            SECURITY_SCHEME: HTTPBearer(
                bearerFormat="JWT",
                description=(
                    "A Cognito access token of the stage's user pool, issued to the storefront's app client"
                    " (`token_use` access; id tokens are refused). The customer is its `sub`."
                ),
            )
        },
        security=[{SECURITY_SCHEME: []}],
    )


def main() -> None:
    document = openapi_document() + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(document)
    else:
        sys.stdout.write(document)


if __name__ == "__main__":
    main()
