"""plugins/publish-site.js, the step of `sls deploy` that publishes the storefront, run as
`sls publish-site` against moto server: a stack with the outputs it reads, a bucket and a distribution."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from scripts.local_aws import moto_client
from scripts.processes import REPO_ROOT, aws_environment, moto_server, sls
from tests.template.stage_params import param_flags

REGION = "eu-west-1"
STAGE = "dev"
BUCKET = "orders-publish-test"
API_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com"
SITE_URL = "https://d111111abcdef8.cloudfront.net"  # a stage without a site domain
USER_POOL_ID = "eu-west-1_AbCdEf123"
USER_POOL_CLIENT_ID = "1example23456789abcdefghij"
FRONTEND = REPO_ROOT / "frontend"


@dataclass
class Published:
    s3: Any
    cloudfront: Any
    distribution_id: str
    output: str


def create_distribution(cloudfront: Any) -> str:
    origin = {"Id": "site", "DomainName": f"{BUCKET}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
    config = {
        "CallerReference": "publish-test",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    return str(cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"])


def create_stack(endpoint: str, stage: str, bucket: str, outputs: dict[str, Any]) -> None:
    stack = {
        "Resources": {"FrontendBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bucket}}},
        "Outputs": {name: {"Value": value} for name, value in outputs.items()},
    }
    client = moto_client("cloudformation", endpoint, REGION)
    client.create_stack(StackName=f"orders-{stage}", TemplateBody=json.dumps(stack))


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture(scope="module")
def published(endpoint: str) -> Published:
    s3, cloudfront = moto_client("s3", endpoint, REGION), moto_client("cloudfront", endpoint, REGION)
    distribution_id = create_distribution(cloudfront)
    outputs = {"FrontendBucketName": {"Ref": "FrontendBucket"}, "FrontendDistributionId": distribution_id}
    accounts = {"UserPoolId": USER_POOL_ID, "UserPoolClientId": USER_POOL_CLIENT_ID}
    create_stack(endpoint, STAGE, BUCKET, {**outputs, **accounts, "HttpApiUrl": API_URL, "SiteUrl": SITE_URL})
    s3.put_object(Bucket=BUCKET, Key="js/removed-since.js", Body=b"//")
    result = sls(["publish-site", "--stage", STAGE, *param_flags(STAGE)], aws_environment(endpoint, REGION))
    return Published(s3, cloudfront, distribution_id, result.stdout + result.stderr)


def site_files() -> set[str]:
    files = {path.relative_to(FRONTEND).as_posix() for path in FRONTEND.rglob("*") if path.is_file()}
    return {name for name in files if not name.startswith(".") and name != "config.json"}


def test_every_site_file_is_uploaded_and_stale_files_removed(published):
    keys = {item["Key"] for item in published.s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {"index.html", "catalog/products.json", "js/main.js"} <= site_files()
    assert keys == site_files() | {"config.json"}


def test_config_points_the_storefront_at_the_stage_api_and_user_pool(published):
    config = published.s3.get_object(Bucket=BUCKET, Key="config.json")
    assert json.loads(config["Body"].read()) == {
        "apiBaseUrl": API_URL,
        "cognito": {
            "region": REGION,
            "userPoolId": USER_POOL_ID,
            "clientId": USER_POOL_CLIENT_ID,
            "endpoint": "https://cognito-idp.eu-west-1.amazonaws.com/",
        },
    }
    assert config["CacheControl"] == "no-cache"


def test_the_catalog_is_the_one_in_the_repository(published):
    catalog = published.s3.get_object(Bucket=BUCKET, Key="catalog/products.json")
    assert catalog["Body"].read() == (FRONTEND / "catalog" / "products.json").read_bytes()


@pytest.mark.parametrize(
    ("key", "content_type", "cache_control"),
    [
        ("index.html", "text/html; charset=utf-8", "no-cache"),
        ("js/main.js", "text/javascript; charset=utf-8", "public, max-age=300"),
        ("styles.css", "text/css; charset=utf-8", "public, max-age=300"),
        ("favicon.svg", "image/svg+xml", "public, max-age=300"),
        ("catalog/products.json", "application/json", "no-cache"),
    ],
)
def test_files_have_their_content_type_and_caching(published, key, content_type, cache_control):
    head = published.s3.head_object(Bucket=BUCKET, Key=key)
    assert (head["ContentType"], head["CacheControl"]) == (content_type, cache_control)


def test_cloudfront_is_invalidated(published):
    invalidations = published.cloudfront.list_invalidations(DistributionId=published.distribution_id)
    (summary,) = invalidations["InvalidationList"]["Items"]
    invalidation = published.cloudfront.get_invalidation(DistributionId=published.distribution_id, Id=summary["Id"])
    assert invalidation["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/*"]


def test_the_deployer_is_told_where_the_storefront_is(published):
    assert f"Storefront published at {SITE_URL}:" in published.output


def test_sls_deploy_runs_the_publication_after_the_stack_update():
    script = (
        "const Plugin = require('./plugins/publish-site.js');"
        "const serverless = { getProvider: () => ({}) };"
        "const plugin = new Plugin(serverless, {}, { log: {} });"
        "console.log(JSON.stringify({hooks: Object.keys(plugin.hooks), commands: Object.keys(plugin.commands)}));"
    )
    result = subprocess.run(["node", "-e", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    wiring = json.loads(result.stdout)
    assert wiring == {"hooks": ["after:deploy:deploy", "publish-site:publish"], "commands": ["publish-site"]}


def test_a_stack_without_the_outputs_is_an_error_not_a_guess(endpoint, published):
    create_stack(endpoint, "prod", "orders-prod-publish-test", {"FrontendBucketName": {"Ref": "FrontendBucket"}})
    with pytest.raises(RuntimeError, match="stack orders-prod has no output FrontendDistributionId"):
        sls(["publish-site", "--stage", "prod", *param_flags("prod")], aws_environment(endpoint, REGION))
