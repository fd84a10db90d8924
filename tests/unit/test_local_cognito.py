"""scripts/local_cognito.py turns the template's Cognito properties into API arguments, and refuses to drop one;
its shoppers carry a whole session."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from scripts.local_aws import moto_client
from scripts.local_cognito import api_arguments, new_shopper, only_resource

# Never called: the client only lends its service model.
IDP = moto_client("cognito-idp", "http://127.0.0.1:9", "eu-west-1")


def test_template_properties_become_api_arguments():
    properties = {"UserPoolName": "orders-local-shoppers", "UsernameAttributes": ["email"]}

    arguments = api_arguments(IDP, "CreateUserPool", properties, {"UserPoolName": "PoolName"})

    assert arguments == {"PoolName": "orders-local-shoppers", "UsernameAttributes": ["email"]}


def test_a_property_the_api_does_not_take_is_an_error_not_dropped():
    with pytest.raises(ValueError, match=r"takes no argument for the template's properties \['UserPoolTags2'\]"):
        api_arguments(IDP, "CreateUserPool", {"PoolName": "p", "UserPoolTags2": {}}, {})


def test_the_template_must_hold_exactly_one_pool():
    template = {"Resources": {"A": {"Type": "AWS::Cognito::UserPool"}, "B": {"Type": "AWS::Cognito::UserPool"}}}

    with pytest.raises(ValueError, match="expected one AWS::Cognito::UserPool in the template, found 2"):
        only_resource(template, "AWS::Cognito::UserPool")


def test_a_new_shopper_has_a_whole_session_and_its_sub_without_asking_cognito_again():
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="eu-west-1")
        pool_id = idp.create_user_pool(PoolName="shoppers")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="storefront")["UserPoolClient"][
            "ClientId"
        ]
        calls: list[str] = []
        idp.meta.events.register("before-call.cognito-idp.*", lambda model, **_: calls.append(model.name))

        shopper = new_shopper(idp, pool_id, client_id, "unit", password="Unit-Shopper-2026")
        user = idp.admin_get_user(UserPoolId=pool_id, Username=shopper.email)
        calls.clear()

        assert shopper.sub == next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
        assert {"AccessToken", "IdToken", "RefreshToken"} <= set(shopper.tokens)
        assert shopper.headers() == {"Authorization": f"Bearer {shopper.tokens['AccessToken']}"}
        assert calls == ["AdminInitiateAuth"]  # signed in once; the sub came with the sign-up
