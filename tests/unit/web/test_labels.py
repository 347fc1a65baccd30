"""The A4 sheet of labels a cooperative prints for one batch."""

from __future__ import annotations

import re

import pytest

from .builders import CODE, GTIN14, LOT, a_provenance_document
from .conftest import PUBLIC_BASE_URL, ClientFactory
from .qr_decoding import decode_path

LABELS = f"/b/{CODE}/labels"


def _qr_codes(html: str) -> int:
    return html.count('<svg class="qr"')


def test_a_full_sheet_of_24_labels_by_default(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LABELS)

    assert response.status_code == 200
    assert _qr_codes(response.text) == 24
    assert response.text.count('<section class="sheet">') == 1


@pytest.mark.parametrize(("count", "sheets"), [(1, 1), (25, 2), (200, 9)])
def test_the_sheet_holds_as_many_labels_as_asked(
    serving: ClientFactory, count: int, sheets: int
) -> None:
    html = serving(a_provenance_document()).get(LABELS, params={"count": count}).text

    assert _qr_codes(html) == count
    assert html.count('<section class="sheet">') == sheets


@pytest.mark.parametrize("count", ["0", "201", "abc", "-3", "²"])
def test_a_label_count_outside_1_to_200_is_refused(serving: ClientFactory, count: str) -> None:
    response = serving(a_provenance_document()).get(LABELS, params={"count": count})

    assert response.status_code == 400
    assert "200" in response.text


def test_each_label_shows_product_lot_code_harvest_and_cooperative(
    serving: ClientFactory,
) -> None:
    html = serving(a_provenance_document()).get(LABELS, params={"count": 2}).text

    for shown in [
        "Gạo nếp cái hoa vàng Thiệu Trung",
        LOT,
        CODE,
        "20/05/2026",
        "HTX Nông nghiệp Thiệu Trung",
    ]:
        assert html.count(shown) >= 2, shown


def test_the_labels_print_on_a4(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(LABELS).text

    assert "@page{size:A4" in html
    assert "@media print" in html


def test_the_labels_qr_code_reads_as_the_digital_link(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(LABELS).text

    path = re.search(r'<path id="qr" d="([^"]+)"', html)
    size = re.search(r'<svg class="qr" viewBox="0 0 (\d+) \d+"', html)
    assert path
    assert size
    assert decode_path(path.group(1), int(size.group(1))) == [
        f"{PUBLIC_BASE_URL}/01/{GTIN14}/10/{LOT}"
    ]


def test_labels_speak_english_on_request(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(LABELS, params={"lang": "en"}).text

    assert "Scan for provenance" in html
    assert "20 May 2026" in html
