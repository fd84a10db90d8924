"""Stages differ by `params` only: the same resources in every stage, no stage named anywhere else."""

from __future__ import annotations

import re
from typing import Any

import yaml

from scripts.processes import REPO_ROOT


def shape(template: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """logical id -> (type, property names); Lambda version ids end with a code hash, which is dropped"""
    return {
        re.sub(r"LambdaVersion.*", "LambdaVersion", name): (resource["Type"], tuple(sorted(resource["Properties"])))
        for name, resource in template["Resources"].items()
    }


def test_dev_and_prod_have_the_same_resources(templates):
    assert shape(templates["dev"]) == shape(templates["prod"])
    assert set(templates["dev"]["Outputs"]) == set(templates["prod"]["Outputs"])


def test_stage_settings_live_only_in_params():
    config = yaml.safe_load((REPO_ROOT / "serverless.yml").read_text())
    assert {"default", "prod"} <= set(config.pop("params"))
    assert config["provider"].pop("stage") == "${opt:stage, 'dev'}"  # the default stage, not a setting
    stage_names = re.compile(r"\b(dev|prod)\b")
    assert not stage_names.search(yaml.safe_dump(config))
    for path in sorted((REPO_ROOT / "resources").glob("*.yml")):
        assert not stage_names.search(yaml.safe_dump(yaml.safe_load(path.read_text()))), path  # comments aside
