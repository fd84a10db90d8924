"""The shoppers' Cognito user pool and app client in moto server, from the packaged template, and a demo shopper.

moto's CloudFormation reports Cognito resources CREATE_COMPLETE but creates nothing, so the pool and the client
are created through the cognito-idp API from the template's own properties: a property the API does not take
is an error here, not silently dropped, so local and deployed settings cannot drift unnoticed.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from scripts.local_aws import moto_client

USER_POOL = "AWS::Cognito::UserPool"
USER_POOL_CLIENT = "AWS::Cognito::UserPoolClient"
# CloudFormation property -> API argument, where they differ.
POOL_RENAMES = {"UserPoolName": "PoolName"}

DEMO_SHOPPER_EMAIL = "shopper@example.com"
# Meets the template's policy (12+ characters, lower and upper case, a digit). Local only: moto's pool.
DEMO_SHOPPER_PASSWORD = "Local-Shopper-2026"  # noqa: S105 - a public demo account in moto server


@dataclass(frozen=True)
class LocalUserPool:
    region: str
    endpoint: str  # moto server
    pool_id: str
    client_id: str
    shopper_email: str
    shopper_password: str

    @property
    def issuer(self) -> str:
        """What moto, like Cognito, puts in the tokens' iss."""
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"

    def offline_environment(self) -> dict[str, str]:
        """The settings of plugins/offline-cognito-authorizer.cjs: this pool, this client, access tokens."""
        return {
            "OFFLINE_JWT_ISSUER": self.issuer,
            "OFFLINE_JWT_AUDIENCE": self.client_id,
            "OFFLINE_JWT_JWKS_URL": self.jwks_url,
            "OFFLINE_JWT_TOKEN_USE": "access",
        }

    def storefront_config(self) -> dict[str, str]:
        """The `cognito` block of the storefront's config.json (the endpoint is moto's, locally)."""
        return {
            "region": self.region,
            "userPoolId": self.pool_id,
            "clientId": self.client_id,
            "endpoint": self.endpoint,
        }


# Re-sign-in well before the pool's 15-minute access tokens expire (resources/auth.yml), so a long run never
# sends an expired one.
TOKEN_REUSE_SECONDS = 300


@dataclass
class LocalShopper:
    """A shopper of the local pool, signed in as a script or test signs in: `tokens` holds a fresh session.

    Signs in with AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH), which moto answers whatever the client's flows;
    the storefront signs in with SRP. Never for a deployed pool: its tokens are moto's.
    """

    idp: Any
    pool_id: str
    client_id: str
    email: str
    password: str
    _sub: str = field(default="", repr=False)
    _tokens: dict[str, str] = field(default_factory=dict, repr=False)
    _signed_in_at: float = field(default=0.0, repr=False)

    @property
    def tokens(self) -> dict[str, str]:
        """Cognito's AuthenticationResult for the shopper (AccessToken, IdToken, RefreshToken, ExpiresIn,
        TokenType), signed in again once it is `TOKEN_REUSE_SECONDS` old."""
        if not self._tokens or time.monotonic() - self._signed_in_at > TOKEN_REUSE_SECONDS:
            result = self.idp.admin_initiate_auth(
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": self.email, "PASSWORD": self.password},
            )
            self._tokens = dict(result["AuthenticationResult"])
            self._signed_in_at = time.monotonic()
        return self._tokens

    @property
    def access_token(self) -> str:
        return self.tokens["AccessToken"]

    @property
    def sub(self) -> str:
        """The shopper's customer id: their user's `sub`, which the API takes from the token (read once)."""
        if not self._sub:
            user = self.idp.admin_get_user(UserPoolId=self.pool_id, Username=self.email)
            self._sub = str(next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub"))
        return self._sub

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def new_shopper(
    idp: Any, pool_id: str, client_id: str, name: str = "shopper", *, email: str = "", password: str = ""
) -> LocalShopper:
    """Sign up and confirm a new shopper, as a shopper signs up through the storefront's client.

    Without `email`, a unique one from `name`; without `password`, a random one that meets the pool's policy.
    """
    email = email or f"{name}-{secrets.token_hex(6)}@example.com"
    password = password or f"Local-{secrets.token_urlsafe(12)}-9a"
    signed_up = idp.sign_up(
        ClientId=client_id, Username=email, Password=password, UserAttributes=[{"Name": "email", "Value": email}]
    )
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=email)
    return LocalShopper(idp, pool_id, client_id, email, password, _sub=str(signed_up["UserSub"]))


def only_resource(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    found = [(name, resource) for name, resource in template["Resources"].items() if resource["Type"] == resource_type]
    if len(found) != 1:
        raise ValueError(f"expected one {resource_type} in the template, found {len(found)}")
    return found[0]


def api_arguments(idp: Any, operation: str, properties: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    accepted = set(idp.meta.service_model.operation_model(operation).input_shape.members)
    arguments = {renames.get(name, name): value for name, value in properties.items()}
    unknown = sorted(set(arguments) - accepted)
    if unknown:
        raise ValueError(f"{operation} takes no argument for the template's properties {unknown}")
    return arguments


def create_user_pool(endpoint: str, region: str, template: dict[str, Any]) -> LocalUserPool:
    """Create the template's pool and client in moto, and sign up and confirm the demo shopper."""
    idp = moto_client("cognito-idp", endpoint, region)
    pool_name, pool = only_resource(template, USER_POOL)
    _, client = only_resource(template, USER_POOL_CLIENT)
    pool_arguments = api_arguments(idp, "CreateUserPool", pool["Properties"], POOL_RENAMES)
    pool_id = idp.create_user_pool(**pool_arguments)["UserPool"]["Id"]
    client_properties = dict(client["Properties"])
    if client_properties.pop("UserPoolId") != {"Ref": pool_name}:
        raise ValueError(f"the app client does not belong to {pool_name}")
    client_arguments = api_arguments(idp, "CreateUserPoolClient", client_properties, {})
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, **client_arguments)["UserPoolClient"]["ClientId"]
    # As a shopper would: sign up through the client (the pool checks the password policy), then confirmed.
    idp.sign_up(
        ClientId=client_id,
        Username=DEMO_SHOPPER_EMAIL,
        Password=DEMO_SHOPPER_PASSWORD,
        UserAttributes=[{"Name": "email", "Value": DEMO_SHOPPER_EMAIL}],
    )
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=DEMO_SHOPPER_EMAIL)
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=DEMO_SHOPPER_EMAIL, UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    return LocalUserPool(region, endpoint, pool_id, client_id, DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_PASSWORD)
