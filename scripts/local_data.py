"""Look at a running `make dev`: `orders` (the orders table), `queues` (message counts), or `token` (an access
token of the demo shopper, for calling the local API with curl)."""

from __future__ import annotations

import json
import os
import sys

from botocore.exceptions import EndpointConnectionError

from scripts.dev_stack import USER_POOL
from scripts.local_aws import moto_client, plain_item
from scripts.local_cognito import DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_PASSWORD, LocalShopper

STAGE = "local"


def main() -> None:
    endpoint = f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '4566')}"
    try:
        show(sys.argv[1] if len(sys.argv) > 1 else "orders", endpoint, os.environ.get("AWS_REGION", "eu-west-1"))
    except EndpointConnectionError:
        # Said plainly, and nothing on stdout: `$(make -s local-token)` must not turn a traceback into a token.
        raise SystemExit(
            f"no local AWS at {endpoint}: is `make dev` running (MOTO_PORT as it was started with)?"
        ) from None


def show(what: str, endpoint: str, region: str) -> None:
    """Print `what` (orders, queues or token) of the `make dev` stack whose moto server is at `endpoint`."""
    if what == "orders":
        dynamodb = moto_client("dynamodb", endpoint, region)
        for item in dynamodb.scan(TableName=f"orders-{STAGE}-orders")["Items"]:
            print(json.dumps(plain_item(item), default=str))
    elif what == "queues":
        sqs = moto_client("sqs", endpoint, region)
        for name in (f"orders-{STAGE}-orders", f"orders-{STAGE}-orders-dlq"):
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
            counts = sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            print(f"{name}: {counts}")
    elif what == "token":
        idp = moto_client("cognito-idp", endpoint, region)
        (pool_id,) = [
            pool["Id"] for pool in idp.list_user_pools(MaxResults=60)["UserPools"] if pool["Name"] == USER_POOL
        ]
        (client,) = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        shopper = LocalShopper(idp, pool_id, client["ClientId"], DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_PASSWORD)
        print(shopper.access_token)
    else:
        raise SystemExit(f"usage: python -m scripts.local_data orders|queues|token (not {what!r})")


if __name__ == "__main__":
    main()
