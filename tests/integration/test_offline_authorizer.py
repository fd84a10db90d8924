"""plugins/offline-cognito-authorizer.cjs, the local stand-in for API Gateway's JWT authorizer, against the user
pool `make dev` created in moto, with the settings `make dev` gave `sls offline`.

Most tests serve two routes of a real hapi server, wired as serverless-offline wires the provider
(tests/support/offline_authorizer_server.cjs), so that each check is seen alone with the claims it passed; the
last ones send the same tokens to the local API itself, where every route has the authorizer. Tokens are moto's
own (from the local pool, another client, another pool) or minted here: with moto's published key (right
signature, one claim wrong) or with another RSA key (forged). Every refusal has an accepted control: a provider
refusing everything fails test_a_token_of_the_local_pool_is_accepted.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import os
import subprocess
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwk, jwt

from scripts.local_aws import moto_client
from scripts.local_cognito import DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_PASSWORD, LocalShopper, new_shopper
from scripts.processes import REPO_ROOT, stop
from tests.support.local_stack import Stack

HARNESS = REPO_ROOT / "tests" / "support" / "offline_authorizer_server.cjs"
PROVIDER = REPO_ROOT / "plugins" / "offline-cognito-authorizer.cjs"


def offline_environment(stack: Stack) -> dict[str, str]:
    """The OFFLINE_JWT_* variables of the running `sls offline` process, as `make dev` set them."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            status = (proc / "status").read_text()
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # exited meanwhile
        parent = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent) == stack.process.pid and b"offline" in cmdline:
            pairs = (entry.decode().partition("=") for entry in environ if entry.startswith(b"OFFLINE_JWT_"))
            return {name: value for name, _, value in pairs}
    raise AssertionError("no `sls offline` process under make dev")


class Harness:
    def __init__(self, environment: dict[str, str]) -> None:
        env = {**os.environ, **environment}
        self.process = subprocess.Popen(  # its own process group, stopped by scripts.processes.stop
            ["node", str(HARNESS)], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, start_new_session=True
        )
        assert self.process.stdout is not None
        self.port = int(json.loads(self.process.stdout.readline())["port"])

    def get(self, path: str, headers: list[tuple[str, str]]) -> tuple[int, Any]:
        """GET with these headers, in this order, repeated names included."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path)
            for name, value in headers:
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    def protected(self, *headers: tuple[str, str]) -> tuple[int, Any]:
        return self.get("/protected", list(headers))


@pytest.fixture(scope="module")
def settings(local_stack: Stack) -> dict[str, str]:
    return offline_environment(local_stack)


@pytest.fixture(scope="module")
def harness(settings: dict[str, str]) -> Iterator[Harness]:
    running = Harness(settings)
    yield running
    stop(running.process)


@pytest.fixture(scope="module")
def idp(local_stack: Stack) -> Any:
    return moto_client("cognito-idp", local_stack.aws_endpoint, local_stack.region)


@pytest.fixture(scope="module")
def shopper_tokens(local_stack: Stack, idp: Any) -> dict[str, str]:
    pool_id, client_id = local_stack.user_pool()
    return LocalShopper(idp, pool_id, client_id, DEMO_SHOPPER_EMAIL, DEMO_SHOPPER_PASSWORD).tokens


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def moto_signed(claims: dict[str, Any]) -> str:
    """Signed with moto's key, published in moto's source, as moto signs every pool's tokens."""
    published = resources.files("moto") / "cognitoidp" / "resources" / "jwks-private.json.gz"
    key = jwk.RSAKey.import_key(json.loads(gzip.decompress(published.read_bytes())))
    return jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, key)


def bearer(token: str) -> tuple[str, str]:
    return ("Authorization", f"Bearer {token}")


def test_make_dev_gives_sls_offline_the_local_pool(local_stack, settings):
    pool_id, client_id = local_stack.user_pool()

    assert settings == {
        "OFFLINE_JWT_ISSUER": f"https://cognito-idp.{local_stack.region}.amazonaws.com/{pool_id}",
        "OFFLINE_JWT_AUDIENCE": client_id,
        "OFFLINE_JWT_JWKS_URL": f"{local_stack.aws_endpoint}/{pool_id}/.well-known/jwks.json",
        "OFFLINE_JWT_TOKEN_USE": "access",
    }


def test_a_token_of_the_local_pool_is_accepted(harness, idp, local_stack, shopper_tokens):
    pool_id, _ = local_stack.user_pool()
    shopper = idp.admin_get_user(UserPoolId=pool_id, Username=DEMO_SHOPPER_EMAIL)
    sub = next(attribute["Value"] for attribute in shopper["UserAttributes"] if attribute["Name"] == "sub")

    for authorization in (f"Bearer {shopper_tokens['AccessToken']}", shopper_tokens["AccessToken"]):
        status, body = harness.protected(("Authorization", authorization))

        assert status == 200, body
        assert body["claims"]["sub"] == sub
        assert body["claims"]["token_use"] == "access"


def test_a_forged_token_is_refused(harness, shopper_tokens):
    other_key = jwk.RSAKey.generate_key(2048)
    forged = jwt.encode({"alg": "RS256", "kid": "dummy"}, claims_of(shopper_tokens["AccessToken"]), other_key)

    assert harness.protected(bearer(forged)) == (401, {"message": "Unauthorized"})


def test_a_tampered_token_is_refused(harness, shopper_tokens):
    header, _, signature = shopper_tokens["AccessToken"].split(".")
    claims = {**claims_of(shopper_tokens["AccessToken"]), "sub": "someone-else"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    assert harness.protected(bearer(f"{header}.{payload}.{signature}"))[0] == 401


def test_an_expired_token_is_refused(harness, shopper_tokens):
    now = int(time.time())
    claims = claims_of(shopper_tokens["AccessToken"])
    assert harness.protected(bearer(moto_signed({**claims, "iat": now - 600, "exp": now + 600})))[0] == 200

    expired = moto_signed({**claims, "iat": now - 3660, "auth_time": now - 3660, "exp": now - 60})

    assert harness.protected(bearer(expired))[0] == 401


def test_a_token_of_another_client_is_refused(harness, idp, local_stack):
    pool_id, _ = local_stack.user_pool()
    other_client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="not-the-storefront")
    tokens = new_shopper(idp, pool_id, other_client["UserPoolClient"]["ClientId"], "other").tokens

    assert harness.protected(bearer(tokens["AccessToken"]))[0] == 401


def test_a_token_of_another_pool_is_refused(harness, idp):
    pool_id = idp.create_user_pool(PoolName="not-the-shoppers")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="storefront")["UserPoolClient"]["ClientId"]
    tokens = new_shopper(idp, pool_id, client_id, "other").tokens
    assert claims_of(tokens["AccessToken"])["iss"].endswith(pool_id)  # same signing key, another issuer

    assert harness.protected(bearer(tokens["AccessToken"]))[0] == 401


def test_another_issuer_is_refused_even_with_the_storefront_client(harness, local_stack, shopper_tokens):
    claims = claims_of(shopper_tokens["AccessToken"])
    other_issuer = f"https://cognito-idp.{local_stack.region}.amazonaws.com/{local_stack.region}_another"
    # What anyone can mint with moto's published key: only the issuer tells it from the local pool's tokens.
    assert harness.protected(bearer(moto_signed(claims)))[0] == 200

    assert harness.protected(bearer(moto_signed({**claims, "iss": other_issuer})))[0] == 401


def test_an_id_token_is_refused_where_access_tokens_are_required(harness, shopper_tokens):
    assert claims_of(shopper_tokens["IdToken"])["token_use"] == "id"

    assert harness.protected(bearer(shopper_tokens["IdToken"]))[0] == 401


def test_an_unsigned_token_is_refused(harness, shopper_tokens):
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims_of(shopper_tokens['AccessToken']))}."

    assert harness.protected(bearer(unsigned))[0] == 401


def test_two_authorization_headers_are_refused(harness, shopper_tokens):
    good = shopper_tokens["AccessToken"]
    forged_claims = {**claims_of(good), "sub": "someone-else"}
    # serverless-offline would put the last header's (unverified) claims in the event.
    unverified = jwt.encode({"alg": "RS256"}, forged_claims, jwk.RSAKey.generate_key(2048))

    assert harness.protected(bearer(good), bearer(unverified))[0] == 401
    assert harness.protected(bearer(good), bearer(good))[0] == 401


def test_the_authorizer_override_header_is_refused(harness, shopper_tokens):
    override = json.dumps({"jwt": {"claims": {"sub": "someone-else"}}})

    status, _ = harness.protected(bearer(shopper_tokens["AccessToken"]), ("sls-offline-authorizer-override", override))

    assert status == 401


def test_the_authorizer_variable_is_refused(settings, shopper_tokens):
    with_override = Harness({**settings, "AUTHORIZER": json.dumps({"jwt": {"claims": {"sub": "someone-else"}}})})
    try:
        assert with_override.protected(bearer(shopper_tokens["AccessToken"]))[0] == 401
    finally:
        stop(with_override.process)


def test_no_token_and_garbage_are_refused(harness):
    assert harness.protected()[0] == 401
    assert harness.protected(("Authorization", "Bearer not-a-jwt"))[0] == 401


def test_a_route_without_the_authorizer_stays_public(harness, shopper_tokens):
    assert harness.get("/public", []) == (200, {"claims": None})
    assert harness.get("/public", [("Authorization", "Bearer not-a-jwt")])[0] == 200


def test_a_jwks_off_this_machine_is_refused_at_start():
    script = (
        f"require({json.dumps(str(PROVIDER))}).settingsFromEnv({{OFFLINE_JWT_ISSUER: 'https://issuer',"
        " OFFLINE_JWT_AUDIENCE: 'client', OFFLINE_JWT_JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/x'})"
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=False)

    assert result.returncode != 0
    assert "the JWKS must be moto's, on loopback" in result.stderr


def test_the_local_api_takes_only_what_the_authorizer_accepts(local_stack, idp, shopper_tokens):
    pool_id, _ = local_stack.user_pool()
    good = shopper_tokens["AccessToken"]
    claims = claims_of(good)
    now = int(time.time())
    other_client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="another-app")["UserPoolClient"]
    refused = {
        "forged": jwt.encode({"alg": "RS256", "kid": "dummy"}, claims, jwk.RSAKey.generate_key(2048)),
        "expired": moto_signed({**claims, "iat": now - 3660, "auth_time": now - 3660, "exp": now - 60}),
        "another client (audience)": new_shopper(idp, pool_id, other_client["ClientId"], "other").access_token,
        "an id token": shopper_tokens["IdToken"],
    }

    def list_orders(token: str | None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", int(local_stack.api.rsplit(":", 1)[1]), timeout=30)
        try:
            connection.request("GET", "/orders", headers={"Authorization": f"Bearer {token}"} if token else {})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    assert list_orders(good) == 200
    assert list_orders(None) == 401
    assert {name: list_orders(token) for name, token in refused.items()} == dict.fromkeys(refused, 401)
