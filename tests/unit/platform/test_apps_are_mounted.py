"""Each app of the platform answers its own paths, with its own error handlers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.web import app as web
from shared.settings import NguonSettings
from tests.unit.web.builders import CODE, GTIN14, LOT, a_provenance_document
from tests.unit.web.fakes import InMemoryProvenanceReader


def test_an_unknown_api_path_answers_in_the_apis_error_format(platform: TestClient) -> None:
    answer = platform.get("/api/v1/nowhere")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_malformed_api_request_is_refused_by_the_api_not_by_the_pages(
    platform: TestClient,
) -> None:
    answer = platform.post("/api/v1/cooperatives", content=b"{", headers={"Authorization": "x"})

    assert answer.json()["error"]["code"] in {"unauthenticated", "malformed_json"}


def test_a_batch_page_is_served_by_the_pages_beside_the_api(platform: TestClient) -> None:
    page = platform.get(f"/b/{CODE}", headers={"Accept": "text/html"})

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


def test_a_bad_batch_code_gets_the_pages_own_error_page_not_the_apis_json(
    platform: TestClient,
) -> None:
    page = platform.get("/b/not-a-code", headers={"Accept": "text/html"})

    assert page.status_code in {400, 404}
    assert "text/html" in page.headers["content-type"]
    assert "error" not in page.text.split("<body", 1)[0]  # not the API's JSON body


def test_the_api_document_describes_the_api_alone_at_its_usual_paths(
    platform: TestClient,
) -> None:
    paths = platform.get("/openapi.json").json()["paths"]

    assert "/api/v1/batches" in paths
    assert not [p for p in paths if not p.startswith("/api/v1/")]


def test_the_gs1_resolver_description_is_where_gs1_expects_it(platform: TestClient) -> None:
    assert platform.get("/.well-known/gs1resolver").status_code == 200


def test_a_path_of_no_app_is_a_404_in_the_apis_format_for_programs(
    platform: TestClient,
) -> None:
    answer = platform.get("/nowhere", headers={"Accept": "application/json"})

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert answer.json()["error"]["hint"]


def test_a_path_of_no_app_is_a_page_for_people(platform: TestClient) -> None:
    answer = platform.get("/nowhere", headers={"Accept": "text/html", "Accept-Language": "vi"})

    assert answer.status_code == 404
    assert "Không có trang này" in answer.text


def test_a_path_that_only_starts_like_an_apps_is_not_that_apps(platform: TestClient) -> None:
    answer = platform.get("/bags", headers={"Accept": "application/json"})

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        f"/b/{CODE}",
        f"/b/{CODE}/records",
        f"/b/{CODE}/recall.json",
        f"/p/{GTIN14}",
        f"/01/{GTIN14}/10/{LOT}",
        "/.well-known/gs1resolver",
    ],
)
def test_every_public_path_reaches_the_pages_through_the_platform(
    platform: TestClient, path: str
) -> None:
    settings = NguonSettings(public_base_url="https://nguon.thanhhoa.example")
    alone = TestClient(
        web.create_app(settings, InMemoryProvenanceReader(a_provenance_document()))
    ).get(path, follow_redirects=False)

    mounted = platform.get(path, follow_redirects=False)

    assert alone.status_code < 400, alone.text
    assert (mounted.status_code, mounted.content) == (alone.status_code, alone.content)
