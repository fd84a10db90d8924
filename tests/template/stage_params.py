"""The stages the template tests package, and the params a deployer would give each."""

from __future__ import annotations

STAGES = ("dev", "prod")
# What a deployer passes (or sets under the stage in `params`): every deployed stage needs its own domain
# and certificate. Only prod gets an alarm e-mail here, to show that the subscription follows the param.
STAGE_PARAMS: dict[str, dict[str, str]] = {
    "dev": {
        "siteDomain": "shop-dev.example.org",
        "siteCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111",
    },
    "prod": {
        "siteDomain": "shop.example.org",
        "siteCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222",
        "alarmEmail": "oncall@example.org",
    },
}
TEMPLATE_FILE = "cloudformation-template-update-stack.json"


def param_flags(stage: str) -> list[str]:
    return [f"--param={name}={value}" for name, value in STAGE_PARAMS[stage].items()]
