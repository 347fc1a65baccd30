"""The public page's recall banner: who recalled the lot, and a lifted recall said plainly."""

from __future__ import annotations

from .builders import CODE, a_provenance_document, recalled
from .conftest import ClientFactory

PAGE = f"/b/{CODE}"
COOPERATIVE = {"id": "c1", "kind": "cooperative", "name": "HTX Thiệu Trung", "address": None}


def test_a_recalled_lots_banner_names_who_recalled_it(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(recall=recalled(by=COOPERATIVE))).get(PAGE).text

    banner = html[html.index('class="recall"') : html.index("</section>")]
    assert "Đơn vị thu hồi" in banner
    assert "HTX Thiệu Trung" in banner


def test_a_recall_by_provincial_staff_says_so_in_english(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(recall=recalled(by=None))).get(PAGE + "?lang=en").text

    assert "Thanh Hóa provincial staff" in html


def test_a_lifted_recall_is_no_warning_but_says_when_and_why_it_was_lifted(
    serving: ClientFactory,
) -> None:
    lifted = recalled(
        recalled=False, lifted_at="2026-06-05T09:00:00+07:00", lift_reason="Mẫu kiểm lại đạt"
    )

    html = serving(a_provenance_document(recall=lifted)).get(PAGE).text

    assert 'class="recall"' not in html
    assert 'class="recall-lifted"' in html
    assert "Lệnh thu hồi đã được dỡ bỏ" in html
    assert "Mẫu kiểm lại đạt" in html
    assert "05/06/2026" in html
