"""What a buyer sees when a code is mistyped, unknown, or not projected yet."""

from __future__ import annotations

import pytest

from .builders import CODE, a_provenance_document
from .conftest import ClientFactory


@pytest.mark.parametrize(
    "code", ["TH-26-000123", "TH-2026-123", "2026-000123", "TH_2026_000123", "TH-2026-12345"]
)
def test_a_malformed_code_gets_a_friendly_400_page(serving: ClientFactory, code: str) -> None:
    response = serving(a_provenance_document()).get(f"/b/{code}")

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "Địa chỉ không hợp lệ" in response.text
    assert "TH-2026-000123" in response.text, "the page shows what a code looks like"


def test_a_malformed_code_is_explained_in_english_on_request(serving: ClientFactory) -> None:
    response = serving().get("/b/not-a-code", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response.status_code == 400
    assert '<html lang="en">' in response.text
    assert "This address is not valid" in response.text


def test_an_unknown_code_gets_a_friendly_404_page(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get("/b/TH-2026-999999")

    assert response.status_code == 404
    assert "Không tìm thấy lô hàng" in response.text
    assert "TH-2026-999999" in response.text
    assert response.headers["cache-control"] == "no-store"


def test_an_unknown_code_is_explained_in_english_on_request(serving: ClientFactory) -> None:
    response = serving().get("/b/TH-2026-999999?lang=en")

    assert response.status_code == 404
    assert "Batch not found" in response.text


def test_a_json_client_gets_errors_as_json(serving: ClientFactory) -> None:
    response = serving().get("/b/TH-2026-999999", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.json()["error"] == "BatchNotFoundError"


def test_what_the_reader_sent_is_shown_back_escaped(serving: ClientFactory) -> None:
    response = serving().get("/b/<b>hello")

    assert response.status_code == 400
    assert "<b>hello" not in response.text
    assert "&lt;b&gt;hello" in response.text


def test_a_client_naming_its_write_position_waits_for_it(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(last_position=4182))

    response = client.get(f"/b/{CODE}", params={"position": "4182"})

    assert response.status_code == 200


def test_a_page_behind_the_named_position_asks_to_retry(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(), position=4000)

    response = client.get(f"/b/{CODE}", params={"position": "4182"})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert "Dữ liệu đang được cập nhật" in response.text


def test_a_position_that_is_not_a_number_is_refused(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/b/{CODE}", params={"position": "-1"})

    assert response.status_code == 400
