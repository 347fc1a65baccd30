"""The label's product line: the owner's Vietnamese name when it described the product."""

from __future__ import annotations

from services.cooperative_app.labels.sheet import text_of
from tests.unit.web.builders import a_provenance_document


def test_a_described_product_is_printed_by_its_vietnamese_name() -> None:
    details = {
        "name_vi": "Gạo nếp cái hoa vàng Thiệu Hóa",
        "name_en": "Yellow-flower rice",
        "brand": None,
        "shelf_life_days": None,
        "photo": None,
    }

    described = text_of(a_provenance_document(product_details=details))
    undescribed = text_of(a_provenance_document())

    assert described.product == "Gạo nếp cái hoa vàng Thiệu Hóa"
    assert undescribed.product == "Gạo nếp cái hoa vàng Thiệu Trung"
