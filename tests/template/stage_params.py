"""What the template tests package: each stage as a fresh clone packages it, and prod once more with a domain."""

from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATE_FILE = "cloudformation-template-update-stack.json"

SITE_DOMAIN = "shop.example.org"
SITE_CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-4222-8222-222222222222"


@dataclass(frozen=True)
class Packaging:
    stage: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def site_domain(self) -> str:
        return self.params.get("siteDomain", "")


# dev gets no params at all, as on a fresh clone. Only prod gets an alarm e-mail, to show that the subscription
# follows the param; "prod-domain" is prod as production should run it, with its domain and certificate.
PACKAGINGS: dict[str, Packaging] = {
    "dev": Packaging("dev"),
    "prod": Packaging("prod", {"alarmEmail": "oncall@example.org"}),
    "prod-domain": Packaging(
        "prod",
        {"siteDomain": SITE_DOMAIN, "siteCertificateArn": SITE_CERTIFICATE_ARN, "alarmEmail": "oncall@example.org"},
    ),
}
STAGES = ("dev", "prod")  # the packagings without a domain, named after their stage
DOMAIN = "prod-domain"


def param_flags(name: str) -> list[str]:
    return [f"--param={param}={value}" for param, value in PACKAGINGS[name].params.items()]
