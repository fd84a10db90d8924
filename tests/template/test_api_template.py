"""The HTTP API in the packaged template: CORS for the storefront only, throttling, JSON access logs."""

from __future__ import annotations

import json

from tests.template.stage_params import STAGE_PARAMS


def test_cors_allows_only_the_stage_storefront(templates):
    for stage, template in templates.items():
        cors = template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
        assert cors["AllowOrigins"] == [f"https://{STAGE_PARAMS[stage]['siteDomain']}"]
        assert sorted(cors["AllowMethods"]) == ["GET", "POST"]
        assert "AllowCredentials" not in cors or cors["AllowCredentials"] is False


def test_default_stage_is_throttled_per_stage(templates):
    for stage, rate, burst in (("dev", 50, 100), ("prod", 500, 1000)):
        settings = templates[stage]["Resources"]["HttpApiStage"]["Properties"]["DefaultRouteSettings"]
        assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == (rate, burst)


def test_throttling_answers_before_lambda_would_throttle(templates):
    # Each request takes ~50 ms warm, so the reserved concurrency serves ~20 requests per second per slot.
    for template in templates.values():
        settings = template["Resources"]["HttpApiStage"]["Properties"]["DefaultRouteSettings"]
        reserved = template["Resources"]["ApiLambdaFunction"]["Properties"]["ReservedConcurrentExecutions"]
        assert settings["ThrottlingRateLimit"] <= reserved * 20


def test_access_logs_are_json_in_cloudwatch(templates):
    for template in templates.values():
        stage = template["Resources"]["HttpApiStage"]["Properties"]
        access_logs = stage["AccessLogSettings"]
        assert access_logs["DestinationArn"] == {"Fn::GetAtt": ["HttpApiLogGroup", "Arn"]}
        fields = json.loads(access_logs["Format"])
        assert {"requestId", "ip", "routeKey", "status", "responseLatency", "integrationError"} <= set(fields)
        assert fields["status"] == "$context.status"
        assert template["Resources"]["HttpApiLogGroup"]["Type"] == "AWS::Logs::LogGroup"
