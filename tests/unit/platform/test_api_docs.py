"""The API's docs page works offline: every asset from this origin, under a self-only CSP."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_docs_page_references_no_external_host(platform: TestClient) -> None:
    page = platform.get("/docs")

    assert page.status_code == 200
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page.text)
    assert "<script>" not in page.text  # every script is a file: no inline script to allow


def test_every_asset_of_the_docs_page_answers(platform: TestClient) -> None:
    page = platform.get("/docs").text
    assets = re.findall(r"(?:src|href)=\"(/[^\"]+)\"", page)

    assert len(assets) >= 4  # icon, stylesheet, Swagger UI, our start script
    for asset in assets:
        assert platform.get(asset).status_code == 200, asset


def test_the_docs_page_allows_only_its_own_origin(platform: TestClient) -> None:
    policy = platform.get("/docs").headers["content-security-policy"]

    assert "default-src 'self'" in policy
    assert "http" not in policy
    assert "unsafe-inline" not in policy


def test_swagger_ui_is_started_on_this_apis_document_without_an_outside_validator(
    platform: TestClient,
) -> None:
    script = platform.get("/docs/assets/start.js").text

    assert '"/openapi.json"' in script
    assert "validatorUrl: null" in script
