"""The HTTP API in the packaged template: CORS for the storefront only, throttling, JSON access logs."""

from __future__ import annotations

import json
from collections import defaultdict

import yaml

from scripts.processes import REPO_ROOT
from services.api.errors import ROUTES
from tests.template.cfn import deployed, parameter_values, render_sub, resources_of
from tests.template.stage_params import DOMAIN, PACKAGINGS, SITE_DOMAIN, STAGES

DISTRIBUTION_ORIGIN = "https://<FrontendDistribution.DomainName>"  # the distribution's generated *.cloudfront.net


def cors_origins(template):
    cors = deployed(template, template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"])
    return [render_sub(origin, parameter_values(template)) for origin in cors["AllowOrigins"]]


def test_cors_allows_only_the_storefront_on_its_domain(templates):
    assert cors_origins(templates[DOMAIN]) == [f"https://{SITE_DOMAIN}"]


def test_cors_allows_only_the_distribution_without_a_domain(templates):
    # What a fresh clone deploys: the storefront is served on the distribution's own name.
    for stage in STAGES:
        assert cors_origins(templates[stage]) == [DISTRIBUTION_ORIGIN]


def test_cors_origin_is_where_the_storefront_is(templates):
    for template in templates.values():
        site_url = deployed(template, template["Outputs"]["SiteUrl"]["Value"])
        assert cors_origins(template) == [render_sub(site_url, parameter_values(template))]


def test_cors_settings_other_than_the_origin_come_from_provider_http_api(templates):
    # resources/generated.yml replaces osls's CorsConfiguration whole to give it a CloudFormation origin.
    provider_cors = yaml.safe_load((REPO_ROOT / "serverless.yml").read_text())["provider"]["httpApi"]["cors"]
    for name, template in templates.items():
        cors = template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
        assert set(cors) == {"AllowOrigins", "AllowHeaders", "AllowMethods", "ExposeHeaders", "MaxAge"}, name
        assert cors["AllowHeaders"] == provider_cors["allowedHeaders"]
        assert sorted(cors["AllowMethods"]) == ["GET", "POST"] == sorted(provider_cors["allowedMethods"])
        assert cors["ExposeHeaders"] == provider_cors["exposedResponseHeaders"]
        assert cors["MaxAge"] == provider_cors["maxAge"]
        assert "AllowCredentials" not in cors
        # One template for both cases: the origin is chosen at deploy time from the SiteDomain parameter.
        assert cors["AllowOrigins"] == [
            {
                "Fn::If": [
                    "HasSiteDomain",
                    {"Fn::Sub": "https://${SiteDomain}"},
                    {"Fn::Sub": "https://${FrontendDistribution.DomainName}"},
                ]
            }
        ]
        assert template["Parameters"]["SiteDomain"]["Default"] == PACKAGINGS[name].site_domain


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


# HTTP API route methods other than ANY and OPTIONS (AWS::ApiGatewayV2::Route RouteKey).
ROUTABLE_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}


def route_keys(template):
    return [route["Properties"]["RouteKey"] for route in resources_of(template, "AWS::ApiGatewayV2::Route").values()]


def test_no_route_can_take_a_cors_preflight(templates):
    # On AWS an HTTP API answers a preflight from its CorsConfiguration only when no route matches OPTIONS:
    # an ANY route (osls's method '*'), an OPTIONS route or $default hands it to the function instead
    # (aws/serverless-application-model#1603), and the browser blocks the POST that was to follow.
    for name, template in templates.items():
        assert template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"], name
        for key in route_keys(template):
            method, _, path = key.partition(" ")
            assert method in ROUTABLE_METHODS, f"{name}: route {key!r} would take CORS preflights"
            assert path.startswith("/"), f"{name}: route {key!r} would take CORS preflights"


def test_every_method_of_each_path_reaches_the_function_that_answers_it(templates):
    # The methods the handler does not serve still get a route, so that it answers 405 with Allow (not
    # API Gateway's 404); its route table and the template's routes name the same paths.
    for name, template in templates.items():
        methods_by_path = defaultdict(set)
        for key in route_keys(template):
            method, _, path = key.partition(" ")
            methods_by_path[path].add(method)
        assert set(methods_by_path) == set(ROUTES), name
        for path, methods in methods_by_path.items():
            assert methods == ROUTABLE_METHODS, (name, path)


def test_every_route_takes_the_shoppers_cognito_access_token(templates):
    # API Gateway answers 401 itself, before the function runs, for a missing or invalid token on any route.
    for name, template in templates.items():
        (authorizer_id, authorizer), *others = resources_of(template, "AWS::ApiGatewayV2::Authorizer").items()
        assert others == [], name
        properties = authorizer["Properties"]
        assert properties["AuthorizerType"] == "JWT"
        assert properties["IdentitySource"] == ["$request.header.Authorization"]
        assert properties["JwtConfiguration"] == {
            "Issuer": {"Fn::Join": ["", ["https://", {"Fn::GetAtt": ["UserPool", "ProviderURL"]}]]},
            "Audience": [{"Ref": "UserPoolClient"}],
        }
        routes = resources_of(template, "AWS::ApiGatewayV2::Route").values()
        assert routes
        for route in routes:
            key = route["Properties"]["RouteKey"]
            assert route["Properties"]["AuthorizationType"] == "JWT", (name, key)
            assert route["Properties"]["AuthorizerId"] == {"Ref": authorizer_id}, (name, key)


def test_cors_lets_the_storefront_send_its_token(templates):
    for name, template in templates.items():
        cors = template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
        assert "Authorization" in cors["AllowHeaders"], name
