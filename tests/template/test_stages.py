"""Stages differ by `params` only: the same resources in every stage, no stage named anywhere else."""

from __future__ import annotations

import re
from typing import Any

import yaml

from scripts.processes import REPO_ROOT
from tests.template.stage_params import DOMAIN


def shape(template: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """logical id -> (type, property names); Lambda version ids end with a code hash, which is dropped"""
    return {
        re.sub(r"LambdaVersion.*", "LambdaVersion", name): (resource["Type"], tuple(sorted(resource["Properties"])))
        for name, resource in template["Resources"].items()
    }


def test_every_stage_has_the_same_resources_with_or_without_a_domain(templates):
    # A site domain changes parameter values, not resources or conditions: one template serves either way.
    for name in ("prod", DOMAIN):
        assert shape(templates["dev"]) == shape(templates[name]), name
        assert set(templates["dev"]["Outputs"]) == set(templates[name]["Outputs"]), name
        assert templates["dev"]["Conditions"] == templates[name]["Conditions"], name


def test_a_fresh_clone_needs_no_param_to_package():
    # Every param that a stage may set has a default, so `sls package --stage <any name>` resolves.
    config = yaml.safe_load((REPO_ROOT / "serverless.yml").read_text())
    used = set(re.findall(r"\$\{param:(\w+)\}", (REPO_ROOT / "serverless.yml").read_text()))
    for path in sorted((REPO_ROOT / "resources").glob("*.yml")):
        used |= set(re.findall(r"\$\{param:(\w+)\}", path.read_text()))
    assert used
    assert used <= set(config["params"]["default"]), used - set(config["params"]["default"])
    assert config["params"]["default"]["siteDomain"] == config["params"]["default"]["siteCertificateArn"] == ""


def test_stage_settings_live_only_in_params():
    config = yaml.safe_load((REPO_ROOT / "serverless.yml").read_text())
    assert {"default", "prod"} <= set(config.pop("params"))
    assert config["provider"].pop("stage") == "${opt:stage, 'dev'}"  # the default stage, not a setting
    stage_names = re.compile(r"\b(dev|prod)\b")
    assert not stage_names.search(yaml.safe_dump(config))
    for path in sorted((REPO_ROOT / "resources").glob("*.yml")):
        assert not stage_names.search(yaml.safe_dump(yaml.safe_load(path.read_text()))), path  # comments aside
