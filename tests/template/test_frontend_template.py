"""The storefront's hosting in the packaged template: private buckets, CloudFront, headers, logs."""

from __future__ import annotations

import re
from graphlib import TopologicalSorter
from typing import Any

import pytest

from tests.template.cfn import bucket_policy_of, dependencies, deployed, parameter_values, render_sub, resources_of
from tests.template.stage_params import DOMAIN, PACKAGINGS, SITE_CERTIFICATE_ARN, SITE_DOMAIN, STAGES

TLS_ONLY_CONDITION = {"Bool": {"aws:SecureTransport": False}}


@pytest.fixture(params=list(PACKAGINGS))
def packaging(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def template(packaging: str, templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return templates[packaging]


def deployed_distribution(template: dict[str, Any]) -> dict[str, Any]:
    """The distribution's configuration as CloudFormation creates it from this template's parameters."""
    return dict(deployed(template, template["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"]))


@pytest.fixture
def distribution(template: dict[str, Any]) -> dict[str, Any]:
    return dict(template["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"])


def test_every_bucket_is_private_encrypted_and_tls_only(template):
    buckets = resources_of(template, "AWS::S3::Bucket")
    assert {"FrontendBucket", "AccessLogBucket", "ServerlessDeploymentBucket"} <= set(buckets)
    for name, bucket in buckets.items():
        properties = bucket["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        assert "AccessControl" not in properties, name
        (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}, name
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}, name
        (tls_only,) = [
            statement
            for statement in bucket_policy_of(template, name)
            if statement["Effect"] == "Deny" and statement["Condition"] == TLS_ONLY_CONDITION
        ]
        assert (tls_only["Principal"], tls_only["Action"]) == ("*", "s3:*"), name


def test_buckets_log_access_to_the_log_bucket(template):
    resources = template["Resources"]
    for bucket, prefix in (("FrontendBucket", "s3/frontend/"), ("ServerlessDeploymentBucket", "s3/deployment/")):
        logging = resources[bucket]["Properties"]["LoggingConfiguration"]
        assert logging == {"DestinationBucketName": {"Ref": "AccessLogBucket"}, "LogFilePrefix": prefix}
    log_bucket = resources["AccessLogBucket"]
    assert log_bucket["DeletionPolicy"] == log_bucket["UpdateReplacePolicy"] == "Retain"
    (expiry,) = log_bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert expiry["ExpirationInDays"] == resources["ApiLogGroup"]["Properties"]["RetentionInDays"]


def test_only_this_distribution_reads_the_frontend_bucket(template):
    allowed = [s for s in bucket_policy_of(template, "FrontendBucket") if s["Effect"] == "Allow"]
    assert allowed == [
        {
            "Sid": "CloudFrontReadsThroughOriginAccessControl",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": {"Fn::Sub": "${FrontendBucket.Arn}/*"},
            "Condition": {
                "StringEquals": {
                    "AWS:SourceArn": {
                        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/"
                        "${FrontendDistribution}"
                    }
                }
            },
        }
    ]


def test_cloudfront_reaches_the_bucket_through_origin_access_control(template, distribution):
    (origin,) = distribution["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["FrontendBucket", "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["FrontendOriginAccessControl", "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # no legacy identity
    config = template["Resources"]["FrontendOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (config["OriginAccessControlOriginType"], config["SigningBehavior"]) == ("s3", "always")
    assert config["SigningProtocol"] == "sigv4"
    assert not resources_of(template, "AWS::CloudFront::CloudFrontOriginAccessIdentity")


def test_viewers_are_redirected_to_https(distribution):
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"


def test_with_a_domain_viewers_get_tls_1_2_on_it(templates):
    distribution = deployed_distribution(templates[DOMAIN])
    assert distribution["Aliases"] == [SITE_DOMAIN]
    assert distribution["ViewerCertificate"] == {
        "AcmCertificateArn": SITE_CERTIFICATE_ARN,
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }


def test_without_a_domain_cloudfront_serves_its_own_name_with_its_default_certificate(templates):
    # What a fresh clone deploys. CloudFront then fixes the security policy at TLSv1 (docs/security.md).
    for stage in STAGES:
        distribution = deployed_distribution(templates[stage])
        assert "Aliases" not in distribution
        assert distribution["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}


def test_the_domain_and_its_certificate_are_parameters_of_one_template(templates):
    for name, template in templates.items():
        params = PACKAGINGS[name].params
        assert parameter_values(template)["SiteDomain"] == params.get("siteDomain", "")
        assert parameter_values(template)["SiteCertificateArn"] == params.get("siteCertificateArn", "")
        distribution = template["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"]
        # An alias follows the domain and the certificate its ARN, so that a domain given without a
        # certificate fails at CloudFront rather than quietly serving the default certificate.
        assert distribution["Aliases"]["Fn::If"][0] == "HasSiteDomain"
        assert distribution["ViewerCertificate"]["Fn::If"][0] == "HasSiteCertificate"
        assert template["Conditions"]["HasSiteDomain"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "SiteDomain"}, ""]}]}
        assert template["Conditions"]["HasSiteCertificate"] == {
            "Fn::Not": [{"Fn::Equals": [{"Ref": "SiteCertificateArn"}, ""]}]
        }


@pytest.mark.parametrize(
    ("parameter", "value", "accepted"),
    [
        ("SiteDomain", "", True),
        ("SiteDomain", SITE_DOMAIN, True),
        ("SiteDomain", "shop-dev.example.co.uk", True),
        ("SiteDomain", "https://shop.example.org", False),
        ("SiteDomain", "Shop.Example.org", False),
        ("SiteCertificateArn", "", True),
        ("SiteCertificateArn", SITE_CERTIFICATE_ARN, True),
        ("SiteCertificateArn", SITE_CERTIFICATE_ARN.replace("us-east-1", "eu-west-1"), False),  # CloudFront: us-east-1
        ("SiteCertificateArn", "shop.example.org", False),
    ],
)
def test_cloudformation_rejects_a_malformed_domain_or_certificate_before_creating_anything(
    templates, parameter, value, accepted
):
    pattern = templates["dev"]["Parameters"][parameter]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is accepted


def test_no_circular_dependency_in_any_branch(template):
    # Without a domain the API's CORS origin names the distribution, which names the headers policy: so the
    # policy must not name the API. Checked over every Fn::If branch, whatever CloudFormation prunes.
    graph = dependencies(template)
    assert graph["HttpApi"] == {"FrontendDistribution"}
    assert "FrontendSecurityHeaders" in graph["FrontendDistribution"]
    assert "HttpApi" not in graph["FrontendSecurityHeaders"]
    TopologicalSorter(graph).prepare()  # raises CycleError on a cycle


def test_the_app_shell_answers_the_root_and_unknown_paths(distribution):
    assert distribution["DefaultRootObject"] == "index.html"
    fallbacks = {error["ErrorCode"]: error for error in distribution["CustomErrorResponses"]}
    assert set(fallbacks) == {403, 404}  # a missing key is a 403 from a bucket CloudFront cannot list
    for error in fallbacks.values():
        assert (error["ResponseCode"], error["ResponsePagePath"]) == (200, "/index.html")
    assert distribution["DefaultCacheBehavior"]["AllowedMethods"] == ["GET", "HEAD"]


def test_responses_carry_security_headers(template, distribution):
    assert distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": "FrontendSecurityHeaders"}
    policy = template["Resources"]["FrontendSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    headers = policy["SecurityHeadersConfig"]
    assert all(header["Override"] for header in headers.values())
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 365 * 24 * 3600
    assert headers["ContentTypeOptions"] == {"Override": True}  # X-Content-Type-Options: nosniff
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    csp = render_sub(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"], {"HttpApi": "abc123"})
    directives = dict(directive.strip().split(" ", 1) for directive in csp.split(";") if " " in directive.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no third-party code
    assert directives["frame-ancestors"] == "'none'"
    # The page may call HTTP APIs of the stage's region and the region's Cognito user pools API, nothing else:
    # not this API's own host, which would make the policy depend on the API, itself depending on the
    # distribution (see the test above).
    assert directives["connect-src"].split() == [
        "'self'",
        "https://*.execute-api.<AWS::Region>.<AWS::URLSuffix>",
        "https://cognito-idp.<AWS::Region>.amazonaws.com",
    ]
    assert "'unsafe-eval'" not in csp  # the vendored Cognito library needs no eval


def test_cloudfront_logs_to_the_log_bucket(distribution):
    assert distribution["Logging"] == {
        "Bucket": {"Fn::GetAtt": ["AccessLogBucket", "DomainName"]},
        "Prefix": "cloudfront/",
        "IncludeCookies": False,
    }


def test_outputs_tell_the_publisher_where_to_publish(template):
    # plugins/publish-site.js reads these three after `sls deploy`, whether or not the stage has a domain.
    outputs = template["Outputs"]
    assert outputs["FrontendBucketName"]["Value"] == {"Ref": "FrontendBucket"}
    assert outputs["FrontendDistributionId"]["Value"] == {"Ref": "FrontendDistribution"}
    assert "HttpApiUrl" in outputs
    assert outputs["FrontendDistributionDomainName"]["Value"] == {"Fn::GetAtt": ["FrontendDistribution", "DomainName"]}


def test_site_url_is_the_domain_or_else_the_distribution(templates):
    for name, template in templates.items():
        site_url = render_sub(deployed(template, template["Outputs"]["SiteUrl"]["Value"]), parameter_values(template))
        domain = PACKAGINGS[name].site_domain
        assert site_url == (f"https://{domain}" if domain else "https://<FrontendDistribution.DomainName>")


def test_the_catalog_is_served_from_the_bucket_the_processor_prices_from(template):
    variables = template["Resources"]["ProcessorLambdaFunction"]["Properties"]["Environment"]["Variables"]
    bucket = template["Resources"]["FrontendBucket"]["Properties"]["BucketName"]
    assert variables["CATALOG_BUCKET_NAME"] == bucket
    assert variables["CATALOG_OBJECT_KEY"] == "catalog/products.json"
