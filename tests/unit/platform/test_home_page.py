"""``GET /`` tells a newcomer what this is and where to go: Vietnamese first."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.unit.platform.conftest import DEMO_PAGE, a_platform


def test_the_home_page_speaks_vietnamese_by_default_and_links_the_docs_and_a_demo(
    platform: TestClient,
) -> None:
    page = platform.get("/")

    assert page.status_code == 200
    assert page.headers["content-language"] == "vi"
    assert "truy xuất nguồn gốc" in page.text
    assert 'href="/docs"' in page.text
    assert f'href="{DEMO_PAGE}"' in page.text


def test_the_home_page_speaks_english_when_asked_by_query_or_header(
    platform: TestClient,
) -> None:
    by_query = platform.get("/", params={"lang": "en"})
    by_header = platform.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    for page in (by_query, by_header):
        assert page.headers["content-language"] == "en"
        assert "traceability" in page.text


def test_the_home_page_answers_json_to_a_program(platform: TestClient) -> None:
    answer = platform.get("/", headers={"Accept": "application/json"})

    assert answer.status_code == 200
    assert answer.json()["links"] == {
        "api_docs": "/docs",
        "openapi": "/openapi.json",
        "demo_page": DEMO_PAGE,
    }


def test_without_demo_data_the_home_page_says_how_to_get_some() -> None:
    page = a_platform(demo_page=None).get("/", params={"lang": "en"})

    assert "nguon demo" in page.text
