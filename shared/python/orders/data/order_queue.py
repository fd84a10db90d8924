"""The order queue: the API's only way to hand an order to the processor."""

from __future__ import annotations

from typing import Any

from orders.data.errors import aws_call
from orders.models import OrderMessage


class OrderQueue:
    def __init__(self, client: Any, queue_name: str) -> None:
        self._client = client
        self._queue_name = queue_name
        self._queue_url: str | None = None

    def _url(self) -> str:
        # serverless.yml passes the queue's name, not its URL (a Ref in `environment` cannot be resolved
        # offline); the URL is looked up once per container.
        if self._queue_url is None:
            with aws_call("looking up the order queue"):
                self._queue_url = self._client.get_queue_url(QueueName=self._queue_name)["QueueUrl"]
        return self._queue_url

    def send(self, message: OrderMessage) -> None:
        attributes = {}
        if message.correlation_id:
            attributes["correlationId"] = {"DataType": "String", "StringValue": message.correlation_id}
        url = self._url()
        with aws_call("sending an order to the queue"):
            self._client.send_message(
                QueueUrl=url,
                MessageBody=message.model_dump_json(by_alias=True),
                MessageAttributes=attributes,
            )
