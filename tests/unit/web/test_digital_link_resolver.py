"""The GS1 Digital Link resolver: ``/01/<GTIN>/10/<lot>`` serves the batch's page itself."""

from __future__ import annotations

import pytest

from .builders import CODE, GTIN13, GTIN14, LOT, a_provenance_document
from .conftest import PUBLIC_BASE_URL, ClientFactory

LINK = f"/01/{GTIN14}/10/{LOT}"


def test_a_digital_link_serves_the_batch_page_directly(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, follow_redirects=False)

    assert response.status_code == 200
    assert "Gạo nếp cái hoa vàng Thiệu Trung" in response.text
    assert f'<link rel="canonical" href="{PUBLIC_BASE_URL}{LINK}">' in response.text


def test_a_gtin_13_is_read_as_its_gtin_14(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/01/{GTIN13}/10/{LOT}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("gtin", "gtin14"),
    [("96385074", "00000096385074"), ("036000291452", "00036000291452")],
)
def test_gtin_8_and_gtin_12_are_accepted(serving: ClientFactory, gtin: str, gtin14: str) -> None:
    client = serving(a_provenance_document(gtin=gtin14))

    assert client.get(f"/01/{gtin}/10/{LOT}").status_code == 200


@pytest.mark.parametrize("gtin", ["08934563123452", "8934563123450", "1234567", "0893456312345X"])
def test_a_gtin_with_a_wrong_check_digit_or_length_is_refused(
    serving: ClientFactory, gtin: str
) -> None:
    response = serving(a_provenance_document()).get(f"/01/{gtin}/10/{LOT}")

    assert response.status_code == 400
    assert "GTIN" in response.text


@pytest.mark.parametrize(
    "lot", ["L%C3%94-1", "LOT%201", "A%23B", "ABCDEFGHIJKLMNOPQRSTU", "%7Bx%7D"]
)
def test_a_lot_outside_gs1_character_set_82_or_too_long_is_refused(
    serving: ClientFactory, lot: str
) -> None:
    response = serving(a_provenance_document()).get(f"/01/{GTIN14}/10/{lot}")

    assert response.status_code == 400
    assert "20" in response.text, "the page says how long a lot may be"


def test_a_percent_encoded_lot_is_decoded(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(lot="NCHV/01"))

    assert client.get(f"/01/{GTIN14}/10/NCHV%2F01").status_code == 200
    assert client.get(f"/01/{GTIN14}/10/NCHV/01").status_code == 404


def test_an_unknown_lot_gets_a_friendly_404(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/01/{GTIN14}/10/NCHV-2025-99")

    assert response.status_code == 404
    assert "Không tìm thấy lô hàng" in response.text


def test_a_link_type_is_ignored_and_the_page_served(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, params={"linkType": "gs1:pip"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_link_type_all_lists_the_links_as_a_linkset(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, params={"linkType": "all"})

    assert response.headers["content-type"].startswith("application/linkset+json")
    links = response.json()["linkset"][0]
    assert links["anchor"] == f"{PUBLIC_BASE_URL}{LINK}"
    assert links["https://gs1.org/voc/pip"][0]["href"] == f"{PUBLIC_BASE_URL}{LINK}"


def test_a_trailing_slash_is_tolerated(serving: ClientFactory) -> None:
    assert serving(a_provenance_document()).get(LINK + "/").status_code == 200


def test_the_resolver_answers_json_clients_with_the_document(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, headers={"Accept": "application/json"})

    assert response.json()["code"] == CODE


def test_a_gtin_without_a_lot_names_no_batch(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())

    assert client.get(f"/01/{GTIN14}").status_code == 404
    assert client.get("/01/08934563123452").status_code == 400
