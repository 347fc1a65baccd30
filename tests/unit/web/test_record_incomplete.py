"""A batch whose record could not be fully applied says so, and never looks safe."""

from __future__ import annotations

from .builders import CODE, GTIN14, LOT, a_provenance_document, recalled
from .conftest import ClientFactory

PAGE = f"/b/{CODE}"


def test_an_incomplete_record_shows_its_warning_before_anything_else(
    serving: ClientFactory,
) -> None:
    html = serving(a_provenance_document(record_incomplete=True)).get(PAGE).text

    assert '<section class="incomplete" role="alert">' in html
    assert "Hồ sơ chưa đầy đủ" in html
    assert "có thể đã cũ" in html, "it says the state shown may be out of date"
    assert html.index("Hồ sơ chưa đầy đủ") < html.index("<h1>")


def test_an_incomplete_record_is_not_shown_as_in_circulation(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(record_incomplete=True, status="active")).get(PAGE).text

    status = _status_line(html)
    assert "Đang lưu hành" not in status
    assert "badge ok" not in status
    assert '<span class="badge warn">Chưa xác định — hồ sơ chưa đầy đủ</span>' in status


def test_the_warning_speaks_english_on_request(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(record_incomplete=True)).get(PAGE + "?lang=en").text

    assert "Record incomplete" in html
    assert "may be out of date" in html
    assert "cannot be confirmed safe" in html


def test_a_recalled_batch_with_an_incomplete_record_still_reads_recalled(
    serving: ClientFactory,
) -> None:
    document = a_provenance_document(record_incomplete=True, recall=recalled())
    html = serving(document).get(PAGE).text

    assert "ĐÃ THU HỒI" in html
    assert "Hồ sơ chưa đầy đủ" in html
    assert '<span class="badge bad">Đã thu hồi</span>' in html


def test_a_complete_record_shows_no_warning(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(record_incomplete=False)).get(PAGE).text

    assert "Hồ sơ chưa đầy đủ" not in html
    assert '<span class="badge ok">Đang lưu hành</span>' in _status_line(html)


def test_a_document_written_before_the_flag_existed_reads_as_complete(
    serving: ClientFactory,
) -> None:
    document = a_provenance_document()  # the builder sets no ``record_incomplete``

    assert "Hồ sơ chưa đầy đủ" not in serving(document).get(PAGE).text


def test_the_recall_status_link_says_the_record_is_incomplete(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(record_incomplete=True))

    status = client.get(f"/01/{GTIN14}/10/{LOT}", params={"linkType": "gs1:recallStatus"}).json()

    assert status["record_incomplete"] is True
    assert status["recalled"] is False


def _status_line(html: str) -> str:
    start = html.index('<p class="status">')
    return html[start : html.index("</p>", start)]


def test_the_product_page_does_not_show_a_lot_with_an_incomplete_record_as_safe(
    serving: ClientFactory,
) -> None:
    html = serving(a_provenance_document(record_incomplete=True)).get(f"/p/{GTIN14}").text

    assert '<span class="badge warn">Chưa xác định — hồ sơ chưa đầy đủ</span>' in html
    assert "Đang lưu hành" not in html
