"""scripts/local_cognito.py turns the template's Cognito properties into API arguments, and refuses to drop one."""

from __future__ import annotations

import pytest

from scripts.local_aws import moto_client
from scripts.local_cognito import api_arguments, only_resource

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
