"""PDF label sheets: every layout's page, rendered by poppler, has as many QR codes as labels,
each read by zxing as the batch's link; the Vietnamese name survives; the QR never shrinks
below a size phones read."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from shared.gs1 import label_pdf, qr
from shared.gs1.label_pdf import LAYOUTS, LabelText
from tests.pdf_pages import Box, page_count, page_image, texts_per_label

LINK = "https://nguon.thanhhoa.example/01/08938505974012/10/L2026-07"
SHORT = "https://nguon.thanhhoa.example/b/TH-2026-000123"
TEXT = LabelText(
    product="Gạo nếp cái hoa vàng Thiệu Trung",
    code="TH-2026-000123",
    lot_line="Lô: L2026-07",
    date_line="Sử dụng tốt nhất trước: 31/12/2027",
)


def boxes(layout: label_pdf.Layout, count: int) -> list[Box]:
    return [(*layout.position(index), *layout.label_mm) for index in range(count)]


@pytest.mark.parametrize(
    ("name", "link"), [*((name, LINK) for name in sorted(LAYOUTS)), ("roll-40x30", SHORT)]
)
def test_every_label_on_a_page_of_each_layout_scans_as_the_batch_link(name: str, link: str) -> None:
    layout = LAYOUTS[name]

    pdf = label_pdf.label_pdf(layout, link, TEXT, layout.per_page)

    found = texts_per_label(page_image(pdf), layout.page_mm, boxes(layout, layout.per_page))
    assert len(found) == layout.per_page
    assert set(found) == {link}


@pytest.mark.parametrize(("name", "count", "pages"), [("a4-70x37", 25, 2), ("roll-40x30", 3, 3)])
def test_labels_run_on_to_as_many_pages_as_they_need(name: str, count: int, pages: int) -> None:
    pdf = label_pdf.label_pdf(LAYOUTS[name], LINK, TEXT, count)

    layout = LAYOUTS[name]
    on_last_page = count - (pages - 1) * layout.per_page
    assert page_count(pdf) == pages
    last = page_image(pdf, page=pages)
    assert (
        len(texts_per_label(last, layout.page_mm, boxes(layout, layout.per_page))) == on_last_page
    )


def test_the_product_name_is_set_in_vietnamese_with_its_diacritics() -> None:
    tool = shutil.which("pdftotext")
    assert tool
    product = "Chè Xuân Thành — ẫ ặ ệ ổ ợ ữ đ"
    text = LabelText(product=product, code="TH-2026-000123")
    pdf = label_pdf.label_pdf(LAYOUTS["a4-99x38"], LINK, text, 1)

    extracted = subprocess.run([tool, "-", "-"], input=pdf, capture_output=True, check=True)

    words = extracted.stdout.decode()
    assert "TH-2026-000123" in words
    for word in ("Chè", "Xuân", "Thành", "ẫ", "ặ", "ệ", "ổ", "ợ", "ữ", "đ"):
        assert word in words


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_qr_modules_are_whole_print_dots_and_never_under_the_minimum(name: str) -> None:
    placement = label_pdf.qr_placement(LAYOUTS[name], LINK)

    assert placement.module_mm >= label_pdf.MIN_MODULE_MM
    assert (placement.module_mm / label_pdf.DOT_MM).is_integer()
    assert placement.side_mm == placement.module_mm * len(qr.matrix(LINK))
    assert placement.side_mm <= LAYOUTS[name].label_mm[1] - 2 * LAYOUTS[name].padding_mm


def test_the_symbol_keeps_a_quiet_zone_of_four_modules() -> None:
    modules = qr.matrix(LINK)

    for row in (*modules[:4], *modules[-4:]):
        assert not any(row)
    assert not any(cell for row in modules for cell in (*row[:4], *row[-4:]))


def test_a_link_too_long_for_a_readable_qr_on_the_smallest_label_is_refused() -> None:
    long_link = (
        "https://nguon.thanhhoa.example/01/08938505974012/10/" + "L" * 20 + "?x=" + "9" * 250
    )

    with pytest.raises(label_pdf.LinkTooLongForLabel):
        label_pdf.qr_placement(LAYOUTS["a4-46x25"], long_link)


def test_an_unknown_layout_is_refused() -> None:
    with pytest.raises(label_pdf.UnknownLayout):
        label_pdf.layout_named("a5-10x10")


def test_labels_on_an_a4_sheet_stay_on_the_page() -> None:
    for layout in LAYOUTS.values():
        right, bottom = layout.position(layout.per_page - 1)
        assert right + layout.label_mm[0] <= layout.page_mm[0] + 1e-6
        assert bottom + layout.label_mm[1] <= layout.page_mm[1] + 1e-6
