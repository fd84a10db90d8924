"""Alarms, their SNS topic and the dashboard in the packaged template."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.template.cfn import render_sub, resources_of
from tests.template.stage_params import PACKAGINGS

TOPIC = {"Ref": "AlarmTopic"}
EMAIL_DEAD_LETTERS = "AlarmEmailDeadLetterQueue"
SERVICES = Path(__file__).resolve().parents[2] / "services"


@pytest.fixture(params=["dev", "prod"])
def template(request: pytest.FixtureRequest, templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return templates[request.param]


@pytest.fixture(params=list(PACKAGINGS))
def every_template(request: pytest.FixtureRequest, templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every packaging: dev, prod, and prod with a domain."""
    return templates[request.param]


def alarm(template: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(template["Resources"][name]["Properties"])


def metrics_of(properties: dict[str, Any]) -> dict[str, tuple[str, str, list[dict[str, Any]]]]:
    """metric id -> (namespace, metric name, dimensions) of a metric-math alarm"""
    return {
        query["Id"]: (
            query["MetricStat"]["Metric"]["Namespace"],
            query["MetricStat"]["Metric"]["MetricName"],
            query["MetricStat"]["Metric"]["Dimensions"],
        )
        for query in properties["Metrics"]
        if "MetricStat" in query
    }


def test_every_alarm_notifies_the_alarm_topic(template):
    alarms = resources_of(template, "AWS::CloudWatch::Alarm")
    assert set(alarms) == {
        "DeadLetterQueueAlarm",
        "ProcessorErrorsAlarm",
        "Api5xxRateAlarm",
        "ThrottlesAlarm",
        "QueueAgeAlarm",
        "AlarmEmailDeadLetterAlarm",
    }
    for properties in (resource["Properties"] for resource in alarms.values()):
        assert properties["AlarmActions"] == properties["OKActions"] == [TOPIC]
        assert properties["TreatMissingData"] == "notBreaching"


def test_a_single_dead_letter_raises_the_alarm(template):
    properties = alarm(template, "DeadLetterQueueAlarm")
    assert (properties["Namespace"], properties["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert properties["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["DeadLetterQueue", "QueueName"]}}
    ]
    assert (properties["Threshold"], properties["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_processor_errors_raise_the_alarm(template):
    properties = alarm(template, "ProcessorErrorsAlarm")
    assert (properties["Namespace"], properties["MetricName"]) == ("AWS/Lambda", "Errors")
    assert properties["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "ProcessorLambdaFunction"}}]
    assert properties["Threshold"] == 1


def test_api_5xx_alarm_is_on_the_rate_not_the_count(template):
    properties = alarm(template, "Api5xxRateAlarm")
    stage = [{"Name": "ApiId", "Value": {"Ref": "HttpApi"}}, {"Name": "Stage", "Value": "$default"}]
    assert metrics_of(properties) == {
        "errors": ("AWS/ApiGateway", "5xx", stage),
        "requests": ("AWS/ApiGateway", "Count", stage),
    }
    (expression,) = [query for query in properties["Metrics"] if query.get("ReturnData")]
    assert expression["Expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
    assert properties["Threshold"] == 1  # percent


def test_throttles_of_both_functions_raise_the_alarm(template):
    properties = alarm(template, "ThrottlesAlarm")
    function = lambda name: [{"Name": "FunctionName", "Value": {"Ref": name}}]  # noqa: E731
    assert metrics_of(properties) == {
        "api": ("AWS/Lambda", "Throttles", function("ApiLambdaFunction")),
        "processor": ("AWS/Lambda", "Throttles", function("ProcessorLambdaFunction")),
    }


def test_old_queued_orders_raise_the_alarm(template):
    properties = alarm(template, "QueueAgeAlarm")
    assert (properties["Namespace"], properties["MetricName"]) == ("AWS/SQS", "ApproximateAgeOfOldestMessage")
    assert properties["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["OrderQueue", "QueueName"]}}]
    assert properties["Threshold"] == 300


def test_alarm_email_is_a_stage_setting(templates):
    for stage, email in (("dev", ""), ("prod", "oncall@example.org")):
        template = templates[stage]
        assert template["Parameters"]["AlarmEmail"]["Default"] == email
        subscription = template["Resources"]["AlarmEmailSubscription"]
        assert subscription["Condition"] == "HasAlarmEmail"
        assert subscription["Properties"] == {
            "TopicArn": TOPIC,
            "Protocol": "email",
            "Endpoint": {"Ref": "AlarmEmail"},
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [EMAIL_DEAD_LETTERS, "Arn"]}},
        }
        assert template["Conditions"]["HasAlarmEmail"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}


def test_alarm_e_mails_that_cannot_be_delivered_are_kept_in_a_dead_letter_queue(every_template):
    subscription = every_template["Resources"]["AlarmEmailSubscription"]["Properties"]
    assert subscription["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": [EMAIL_DEAD_LETTERS, "Arn"]}}
    queue = every_template["Resources"][EMAIL_DEAD_LETTERS]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert "Condition" not in queue  # no condition to keep in step with the subscription's and the dashboard's
    assert queue["Properties"]["SqsManagedSseEnabled"] is True  # SSE that SNS can write to without a KMS key
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_only_the_alarm_topic_may_send_to_the_e_mail_dead_letter_queue(every_template):
    (policy,) = [
        resource["Properties"]
        for resource in resources_of(every_template, "AWS::SQS::QueuePolicy").values()
        if resource["Properties"]["Queues"] == [{"Ref": EMAIL_DEAD_LETTERS}]
    ]
    statements = policy["PolicyDocument"]["Statement"]
    assert [s for s in statements if s["Effect"] == "Allow"] == [
        {
            "Sid": "UndeliveredAlarmNotifications",
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": [EMAIL_DEAD_LETTERS, "Arn"]},
            "Condition": {"ArnEquals": {"aws:SourceArn": TOPIC}},
        }
    ]


def test_an_undelivered_alarm_e_mail_raises_an_alarm(every_template):
    properties = alarm(every_template, "AlarmEmailDeadLetterAlarm")
    assert (properties["Namespace"], properties["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert properties["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": [EMAIL_DEAD_LETTERS, "QueueName"]}}
    ]
    assert (properties["Threshold"], properties["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_only_cloudwatch_of_this_account_publishes_to_the_topic(template):
    (policy,) = resources_of(template, "AWS::SNS::TopicPolicy").values()
    allowed = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert allowed == [
        {
            "Sid": "CloudWatchAlarmsOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": TOPIC,
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        }
    ]


def published_metrics() -> set[str]:
    """Every metric the functions publish: each `add_metric(name="...")` and the processor's outcome metrics."""
    from services.processor.handler import _OUTCOME_METRICS

    names = set(_OUTCOME_METRICS.values())
    for source in SERVICES.rglob("*.py"):
        names |= set(re.findall(r'add_metric\(name="(\w+)"', source.read_text()))
    assert {"OrdersAccepted", "OrdersCancelled", "RecordsFailed", "OrdersConfirmed"} <= names  # the scan works
    return names


def test_dashboard_shows_the_order_metrics_and_the_service_metrics(templates):
    for name, template in templates.items():
        stage = PACKAGINGS[name].stage
        body = json.loads(render_sub(template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]))
        lines = [
            line for widget in body["widgets"] if widget["type"] == "metric" for line in widget["properties"]["metrics"]
        ]
        # Powertools metrics: namespace POWERTOOLS_METRICS_NAMESPACE, dimension service=POWERTOOLS_SERVICE_NAME.
        environment = template["Resources"]["ApiLambdaFunction"]["Properties"]["Environment"]["Variables"]
        assert environment["POWERTOOLS_METRICS_NAMESPACE"] == f"orders-{stage}"
        orders = next(widget for widget in body["widgets"] if widget["properties"].get("title") == "Orders")
        first = orders["properties"]["metrics"][0]
        assert first == [f"orders-{stage}", "OrdersAccepted", "service", environment["POWERTOOLS_SERVICE_NAME"]]
        names = {line[1] for line in lines}
        assert published_metrics() <= names
        namespaces = {line[0] for line in lines} - {"."}
        assert {"AWS/ApiGateway", "AWS/SQS", "AWS/Lambda", "AWS/DynamoDB"} <= namespaces
        alarms = next(widget for widget in body["widgets"] if widget["type"] == "alarm")
        assert len(alarms["properties"]["alarms"]) == len(resources_of(template, "AWS::CloudWatch::Alarm"))
        assert "<AlarmEmailDeadLetterAlarm.Arn>" in alarms["properties"]["alarms"]
