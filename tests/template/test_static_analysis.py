"""cfn-lint and checkov on the packaged templates: no error, no warning, no failed check, and every skipped
check justified next to its resource and in docs/security.md."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scripts.processes import BIN, REPO_ROOT

CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"  # its own venv: target .stamps/checkov in the Makefile


def test_cfn_lint_reports_nothing(template_files):
    result = subprocess.run(
        [str(BIN / "cfn-lint"), *map(str, template_files.values())], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.fixture(scope="module")
def checkov_report(template_files: dict[str, Path]) -> dict[str, Any]:
    assert CHECKOV.exists(), "checkov is installed in .venv-checkov by `make test` (target .stamps/checkov)"
    files = [argument for path in template_files.values() for argument in ("-f", str(path))]
    result = subprocess.run(
        [str(CHECKOV), "--framework", "cloudformation", "--skip-download", "--output", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_checkov_fails_no_check(checkov_report):
    failed = [(check["check_id"], check["resource"]) for check in checkov_report["results"]["failed_checks"]]
    assert failed == []
    assert checkov_report["summary"]["parsing_errors"] == 0
    assert checkov_report["summary"]["passed"] > 150  # it did read every template


def test_every_skipped_check_is_justified_and_documented(checkov_report):
    skipped = checkov_report["results"]["skipped_checks"]
    assert skipped
    security_doc = (REPO_ROOT / "docs" / "security.md").read_text()
    for check in skipped:
        assert len(check["check_result"].get("suppress_comment", "")) > 40, check["check_id"]
        resource = check["resource"].split(".")[-1]
        assert f"`{check['check_id']}`" in security_doc, check["check_id"]
        assert f"`{resource}`" in security_doc, resource


def test_cfn_lint_ignores_only_the_redundant_depends_on_that_osls_writes(templates):
    for template in templates.values():
        assert template["Metadata"]["cfn-lint"] == {"config": {"ignore_checks": ["W3005"]}}
        resource_configs = [
            r["Metadata"]["cfn-lint"] for r in template["Resources"].values() if "cfn-lint" in r.get("Metadata", {})
        ]
        assert resource_configs == []
