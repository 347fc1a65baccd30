"""QR codes carry the Digital Link (or the short link) and read back with a real decoder."""

from __future__ import annotations

from .builders import CODE, GTIN14, LOT, a_provenance_document
from .conftest import PUBLIC_BASE_URL, ClientFactory
from .qr_decoding import decode_png, decode_svg

DIGITAL_LINK = f"{PUBLIC_BASE_URL}/01/{GTIN14}/10/{LOT}"
SHORT_LINK = f"{PUBLIC_BASE_URL}/b/{CODE}"


def test_the_svg_qr_code_carries_the_digital_link(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/b/{CODE}/qr.svg")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert decode_svg(response.text) == [DIGITAL_LINK]


def test_the_png_qr_code_carries_the_digital_link(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/b/{CODE}/qr.png")

    assert response.headers["content-type"] == "image/png"
    assert decode_png(response.content) == [DIGITAL_LINK]


def test_a_batch_without_gtin_gets_the_short_link(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(gtin=None, lot=None))

    assert decode_svg(client.get(f"/b/{CODE}/qr.svg").text) == [SHORT_LINK]
    assert decode_png(client.get(f"/b/{CODE}/qr.png").content) == [SHORT_LINK]


def test_a_lot_with_reserved_characters_is_percent_encoded_in_the_qr_code(
    serving: ClientFactory,
) -> None:
    client = serving(a_provenance_document(lot="NCHV/01"))

    assert decode_png(client.get(f"/b/{CODE}/qr.png").content) == [
        f"{PUBLIC_BASE_URL}/01/{GTIN14}/10/NCHV%2F01"
    ]


def test_a_digital_link_qr_code_is_cached_for_good(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/b/{CODE}/qr.svg")

    assert "immutable" in response.headers["cache-control"]
    assert response.headers["etag"]


def test_a_short_link_qr_code_is_cached_for_a_while_only(serving: ClientFactory) -> None:
    response = serving(a_provenance_document(gtin=None, lot=None)).get(f"/b/{CODE}/qr.png")

    assert response.headers["cache-control"] == "public, max-age=3600"


def test_an_unchanged_qr_code_is_not_sent_again(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())
    etag = client.get(f"/b/{CODE}/qr.png").headers["etag"]

    assert client.get(f"/b/{CODE}/qr.png", headers={"If-None-Match": etag}).status_code == 304


def test_an_unknown_batch_has_no_qr_code(serving: ClientFactory) -> None:
    assert serving().get("/b/TH-2026-999999/qr.svg").status_code == 404
    assert serving().get("/b/nonsense/qr.png").status_code == 400
