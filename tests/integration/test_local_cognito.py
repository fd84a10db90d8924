"""The shoppers' user pool `make dev` creates in moto: the packaged template's settings, and a demo shopper the
banner names who can sign in."""

from __future__ import annotations

import json
import re
from typing import Any

from scripts.dev import DEV_DIR
from scripts.local_aws import moto_client
from scripts.local_cognito import only_resource
from tests.support.local_stack import Stack


def packaged_properties(resource_type: str) -> dict[str, Any]:
    """The properties `make dev` created the resource from: its packaged local template."""
    template = json.loads((DEV_DIR / "package" / "cloudformation-template-update-stack.json").read_text())
    return dict(only_resource(template, resource_type)[1]["Properties"])


def test_the_pool_has_the_template_settings(local_stack: Stack):
    idp = moto_client("cognito-idp", local_stack.aws_endpoint, local_stack.region)
    pool_id, _ = local_stack.user_pool()
    expected = packaged_properties("AWS::Cognito::UserPool")

    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]

    assert expected["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert pool["Policies"]["PasswordPolicy"] == expected["Policies"]["PasswordPolicy"]
    for name in ("UsernameAttributes", "AutoVerifiedAttributes", "AccountRecoverySetting", "DeletionProtection"):
        assert pool[name] == expected[name], name


def test_the_app_client_has_the_template_settings(local_stack: Stack):
    idp = moto_client("cognito-idp", local_stack.aws_endpoint, local_stack.region)
    pool_id, client_id = local_stack.user_pool()
    expected = packaged_properties("AWS::Cognito::UserPoolClient")

    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]

    assert "ClientSecret" not in client
    names = ("ExplicitAuthFlows", "PreventUserExistenceErrors", "AccessTokenValidity", "TokenValidityUnits")
    for name in names:
        assert client[name] == expected[name], name


def test_the_banner_names_a_demo_shopper_who_can_sign_in(local_stack: Stack):
    idp = moto_client("cognito-idp", local_stack.aws_endpoint, local_stack.region)
    pool_id, client_id = local_stack.user_pool()
    banner = "".join(local_stack.output)
    shown = re.search(r"User pool +(\S+) +app client (\S+)", banner)
    shopper = re.search(r"Shopper +(\S+@\S+) +password (\S+)", banner)
    assert shown, banner
    assert shopper, banner
    email, password = shopper.groups()

    tokens = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )["AuthenticationResult"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username=email)

    assert shown.groups() == (pool_id, client_id)
    assert tokens["AccessToken"]
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
