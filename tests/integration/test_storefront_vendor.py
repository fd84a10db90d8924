"""The storefront's vendored Cognito library is exactly the npm package's file, at the version package.json pins."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from scripts.processes import REPO_ROOT
from scripts.storefront_server import content_security_policy

PACKAGE = "amazon-cognito-identity-js"
VENDOR = REPO_ROOT / "frontend" / "vendor"
INSTALLED = REPO_ROOT / "node_modules" / PACKAGE


def sha256(path_bytes: bytes) -> str:
    return hashlib.sha256(path_bytes).hexdigest()


def pinned_version() -> str:
    return str(json.loads((REPO_ROOT / "package.json").read_text())["devDependencies"][PACKAGE])


def test_the_package_is_pinned_to_one_exact_version_and_installed_at_it():
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned_version()), "an exact version: the vendored file is that version's"
    assert json.loads((INSTALLED / "package.json").read_text())["version"] == pinned_version()


@pytest.mark.parametrize(
    ("vendored", "packaged"),
    [
        ("amazon-cognito-identity.min.js", "dist/amazon-cognito-identity.min.js"),
        ("LICENSE.txt", "LICENSE.txt"),
        ("NOTICE.txt", "NOTICE.txt"),
    ],
)
def test_the_vendored_file_is_the_packages(vendored: str, packaged: str):
    assert sha256((VENDOR / vendored).read_bytes()) == sha256((INSTALLED / packaged).read_bytes())


def test_the_vendor_readme_names_the_pinned_version():
    assert f"| {pinned_version()} |" in (VENDOR / "README.md").read_text()


def test_the_page_loads_the_vendored_library_before_its_modules():
    html = (REPO_ROOT / "frontend" / "index.html").read_text()
    library = html.index('<script src="vendor/amazon-cognito-identity.min.js" defer></script>')
    assert library < html.index('<script type="module" src="js/main.js"></script>')


def test_the_local_storefront_sends_the_deployed_policy_with_its_own_api_and_user_pool(tmp_path: Path):
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "apiBaseUrl": "http://127.0.0.1:3100/",
                "cognito": {
                    "region": "eu-west-1",
                    "userPoolId": "p",
                    "clientId": "c",
                    "endpoint": "http://127.0.0.1:4600",
                },
            }
        )
    )
    csp = content_security_policy(config)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self' http://127.0.0.1:3100 http://127.0.0.1:4600"
    assert "unsafe" not in csp
