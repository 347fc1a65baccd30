"""The GS1 Digital Link resolver: ``/01/<GTIN>/10/<lot>`` answers with the lot's links.

Before the GS1-Conformant Resolver standard was followed, the Digital Link served the page
itself (200); it now redirects (307) to the provenance page ``/b/<code>``, its default link.
"""

from __future__ import annotations

import pytest

from .builders import CODE, GTIN13, GTIN14, LOT, a_provenance_document
from .conftest import PUBLIC_BASE_URL, ClientFactory

LINK = f"/01/{GTIN14}/10/{LOT}"
PAGE = f"{PUBLIC_BASE_URL}/b/{CODE}"
PRODUCT_PAGE = f"{PUBLIC_BASE_URL}/p/{GTIN14}"


def test_a_digital_link_redirects_to_the_batch_page(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == PAGE


def test_following_a_digital_link_opens_the_batch_page(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK)

    assert response.status_code == 200
    assert "Gạo nếp cái hoa vàng Thiệu Trung" in response.text
    assert f'<link rel="canonical" href="{PUBLIC_BASE_URL}{LINK}">' in response.text


def test_a_gtin_13_is_read_as_its_gtin_14(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(
        f"/01/{GTIN13}/10/{LOT}", follow_redirects=False
    )

    assert response.headers["location"] == PAGE


@pytest.mark.parametrize(
    ("gtin", "gtin14"),
    [("96385074", "00000096385074"), ("036000291452", "00036000291452")],
)
def test_gtin_8_and_gtin_12_are_accepted(serving: ClientFactory, gtin: str, gtin14: str) -> None:
    client = serving(a_provenance_document(gtin=gtin14))

    assert client.get(f"/01/{gtin}/10/{LOT}", follow_redirects=False).status_code == 307


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


def test_a_percent_encoded_slash_is_part_of_the_lot(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(lot="NCHV/01"))

    response = client.get(f"/01/{GTIN14}/10/NCHV%2F01", follow_redirects=False)

    assert response.headers["location"] == PAGE


def test_an_unencoded_slash_in_a_lot_makes_a_malformed_link(serving: ClientFactory) -> None:
    """Before the standard was followed this was a 404; a path that is no Digital Link is 400."""
    response = serving(a_provenance_document(lot="NCHV/01")).get(f"/01/{GTIN14}/10/NCHV/01")

    assert response.status_code == 400
    assert "/01/&lt;GTIN&gt;/10/&lt;" in response.text, "the page shows what a link looks like"


def test_a_trailing_slash_is_tolerated(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK + "/", follow_redirects=False)

    assert response.headers["location"] == PAGE


def test_a_json_client_is_redirected_to_the_document_it_can_read(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, headers={"Accept": "application/json"})

    assert response.json()["code"] == CODE


def test_a_head_request_gets_the_same_redirect(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).head(LINK, follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == PAGE


def test_an_unknown_gtin_gets_a_friendly_404(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get("/01/09520123456788/10/ABC")

    assert response.status_code == 404
    assert "GTIN" in response.text
