"""The resolver describes itself the GS1 way; the service says it is alive.

(How the pages share the platform with the API: tests/unit/platform/test_apps_are_mounted.py.)
"""

from __future__ import annotations

from .builders import CODE, a_provenance_document
from .conftest import PUBLIC_BASE_URL, ClientFactory


def test_the_resolver_description_follows_the_gs1_conformant_resolver_standard(
    serving: ClientFactory,
) -> None:
    response = serving().get("/.well-known/gs1resolver")

    assert response.status_code == 200
    description = response.json()
    assert description["resolverRoot"] == PUBLIC_BASE_URL
    assert description["supportedPrimaryKeys"] == ["01"]
    assert description["supportedLinkType"] == [
        {"namespace": "https://gs1.org/voc/", "prefix": "gs1:"}
    ]
    assert description["linkTypeDefaultCanBeLinkset"] is False
    assert description["name"]
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_service_reports_it_is_healthy(serving: ClientFactory) -> None:
    response = serving().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_standalone_app_serves_no_api_docs(serving: ClientFactory) -> None:
    client = serving()

    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404


def test_a_head_request_is_answered_without_a_body(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).head(f"/b/{CODE}")

    assert response.status_code == 200
    assert response.content == b""
