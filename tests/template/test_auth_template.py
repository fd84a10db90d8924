"""The shoppers' user pool and the storefront's app client in the packaged template, every stage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.template.cfn import resources_of


@pytest.fixture(params=["dev", "prod"])
def template(request: pytest.FixtureRequest, templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return templates[request.param]


def only(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    (resource,) = resources_of(template, resource_type).values()
    return dict(resource)


def test_shoppers_sign_up_themselves_with_a_verified_e_mail(template):
    pool = only(template, "AWS::Cognito::UserPool")["Properties"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert pool["UserAttributeUpdateSettings"] == {"AttributesRequireVerificationBeforeUpdate": ["email"]}
    assert pool["AccountRecoverySetting"]["RecoveryMechanisms"] == [{"Name": "verified_email", "Priority": 1}]


def test_passwords_are_long(template):
    policy = only(template, "AWS::Cognito::UserPool")["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    assert (policy["RequireLowercase"], policy["RequireUppercase"], policy["RequireNumbers"]) == (True, True, True)


def test_the_storefront_client_has_no_secret_and_short_lived_tokens(template):
    client = only(template, "AWS::Cognito::UserPoolClient")["Properties"]
    assert client["UserPoolId"] == {"Ref": "UserPool"}
    assert client["GenerateSecret"] is False
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["EnableTokenRevocation"] is True
    units = client["TokenValidityUnits"]
    assert (client["AccessTokenValidity"], units["AccessToken"]) == (15, "minutes")
    assert (client["IdTokenValidity"], units["IdToken"]) == (15, "minutes")


def test_prod_shoppers_survive_deletion_and_dev_can_be_torn_down(templates):
    prod = only(templates["prod"], "AWS::Cognito::UserPool")
    dev = only(templates["dev"], "AWS::Cognito::UserPool")
    assert prod["DeletionPolicy"] == prod["UpdateReplacePolicy"] == "Retain"
    assert prod["Properties"]["DeletionProtection"] == "ACTIVE"
    assert dev["DeletionPolicy"] == "Delete"
    assert dev["Properties"]["DeletionProtection"] == "INACTIVE"


def test_the_stack_outputs_what_the_storefront_needs_to_sign_in(template):
    outputs = template["Outputs"]
    assert outputs["UserPoolId"]["Value"] == {"Ref": "UserPool"}
    assert outputs["UserPoolClientId"]["Value"] == {"Ref": "UserPoolClient"}
