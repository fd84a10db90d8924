"""Look at the data of a running `make dev`: `orders` (the orders table) or `queues` (message counts)."""

from __future__ import annotations

import json
import os
import sys

from scripts.local_aws import moto_client, plain_item

STAGE = "local"


def main() -> None:
    endpoint = f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '4566')}"
    region = os.environ.get("AWS_REGION", "eu-west-1")
    what = sys.argv[1] if len(sys.argv) > 1 else "orders"
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
    else:
        raise SystemExit(f"usage: python -m scripts.local_data orders|queues (not {what!r})")


if __name__ == "__main__":
    main()
