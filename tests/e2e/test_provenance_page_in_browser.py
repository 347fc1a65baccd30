"""A buyer's phone opens a provenance page: a real HTTP server and a real headless Chromium.

The web app runs under uvicorn on a loopback port, reading the unit tests' in-memory
``ProvenanceReader`` fake. Chromium (``tests/browser.py``) emulates a 360 px wide phone, and
the test asks the page itself what it laid out: element boxes, scroll width, every URL it
fetched, and axe-core's accessibility audit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi import FastAPI

from services.web.app import create_app
from shared.readmodels.documents import OrganisationRef, ProvenanceDocument
from shared.settings import NguonSettings
from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving_built
from tests.unit.web.fakes import InMemoryProvenanceReader

zxingcpp = pytest.importorskip("zxingcpp")

pytestmark = pytest.mark.browser

CODE = "TH-2026-000123"
RECALLED_CODE = "TH-2026-000124"
INCOMPLETE_CODE = "TH-2026-1000125"  # a seven-digit number, as the millionth batch has
DESCRIBED_CODE = "TH-2026-000126"  # its GTIN's owner gave it names, a brand and a photo
GTIN14 = "08934563123451"
LOT = "BLV-2026-0915-A"


def _cooperative() -> OrganisationRef:
    return {
        "id": "0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90",
        "kind": "cooperative",
        "name": "HTX Dịch vụ Nông nghiệp và Sản xuất Kinh doanh Bưởi Luận Văn Thọ Xuân",
        "address": "Xã Thọ Xuân (huyện Thọ Xuân cũ), tỉnh Thanh Hóa",
    }


def _document(
    code: str, *, recalled: bool = False, record_incomplete: bool = False
) -> ProvenanceDocument:
    """A pomelo batch with long names and codes: what would break a narrow layout."""
    ring = [[105.4701, 19.9302], [105.4738, 19.9304], [105.4741, 19.9279], [105.4703, 19.9276]]
    steps = [
        ("harvested", "2026-09-15T06:10:00+07:00", {"variety": "Bưởi Luận Văn"}),
        ("processed", "2026-09-15T13:30:00+07:00", {"step": "sorting"}),
        ("processed", "2026-09-16T08:00:00+07:00", {"step": "packing", "facility": "Xưởng"}),
        ("labelled", "2026-09-16T09:00:00+07:00", {"gtin": GTIN14, "lot": LOT}),
        ("shipped", "2026-09-17T05:45:00+07:00", {"to": "Siêu thị Nông sản sạch Hạc Thành"}),
    ]
    document: dict[str, Any] = {
        "batch_id": "2e7d9c1b-4a3f-4b6e-9d8c-7a6b5c4d3e2f",
        "code": code,
        "gtin": GTIN14 if code == CODE else None,
        "lot": LOT if code == CODE else None,
        "product": "Bưởi Luận Văn Thọ Xuân — quả tươi loại I (hộp 2 quả, tem truy xuất)",
        "commodity": "Bưởi",
        "variety": "Luận Văn",
        "quantity": None,
        "status": "recalled" if recalled else "active",
        "holder": None,
        "harvest_dates": ["2026-09-15"],
        "origin_plots": [
            {
                "id": "5b8e2f10-6a3c-4d9e-8f21-0c7b6a5d4e3f",
                "planting_area_code": "VN-THH-THOXUAN-0412-BUOILUANVAN-2026",
                "crop": "Bưởi Luận Văn",
                "area_ha": "8.05",
                "commune": "Xã Thọ Xuân",
                "cooperative": _cooperative(),
                "location": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        ],
        "cooperatives": [_cooperative()],
        "value_chains": [],
        "timeline": [
            {
                "at": at,
                "kind": kind,
                "batch_code": code,
                "organisation": _cooperative(),
                "summary": summary,
            }
            for kind, at, summary in steps
        ],
        "inspections": [],
        "certifications": [],
        # The farm diary: a long product name, and an override whose reason a phone must wrap.
        "plant_protection": {
            "last_spraying": {
                "product": "Amistar Top 325SC (azoxystrobin + difenoconazole) chai 1 lít",
                "active_ingredient": "azoxystrobin 200 g/l, difenoconazole 125 g/l",
                "sprayed_on": "2026-09-01",
                "pre_harvest_days": 21,
                "plot": "VN-THH-THOXUAN-0412-BUOILUANVAN-2026",
            },
            "intervals": "overridden" if code == CODE else "respected",
            "override_reasons": (
                ["Bão số 5 đổ bộ trong hai ngày tới: thu hoạch sớm để tránh rụng quả, đã báo"]
                if code == CODE
                else []
            ),
        },
        "recall": {
            "recalled": recalled,
            "at": "2026-09-20T10:00:00+07:00" if recalled else None,
            "reason": "Vượt ngưỡng dư lượng thuốc bảo vệ thực vật" if recalled else None,
            "origin_batch_code": code if recalled else None,
        },
        "fingerprint": "9b2f" * 16,
        "last_position": 912,
        "record_incomplete": record_incomplete,
    }
    return cast(ProvenanceDocument, document)


def _described(document: ProvenanceDocument) -> ProvenanceDocument:
    """The same pomelo, described by its owner with long names and a photo."""
    details = {
        "name_vi": "Bưởi Luận Văn Thọ Xuân loại đặc biệt — hộp quà hai quả có tem truy xuất",
        "name_en": "Thọ Xuân Luận Văn pomelo, special grade — gift box of two, traceable",
        "brand": "Hợp tác xã Dịch vụ Nông nghiệp Xuân Lập Thọ Xuân",
        "shelf_life_days": 30,
        "photo": "c0ffee" + "0" * 58,
    }
    return cast(ProvenanceDocument, {**document, "product_details": details})


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The web app on a free loopback port, for as long as this module's tests run."""
    reader = InMemoryProvenanceReader(
        _document(CODE),
        _document(RECALLED_CODE, recalled=True),
        _document(INCOMPLETE_CODE, record_incomplete=True),
        _described(_document(DESCRIBED_CODE)),
    )

    # Labels carry the public base URL: it must be the server's own address.
    def build(base: str) -> FastAPI:
        return create_app(NguonSettings(public_base_url=base), reader)

    with serving_built(build) as base:
        yield base


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    with chromium() as opened:
        yield opened


def _box(tab: Tab, selector: str) -> dict[str, float]:
    return cast(
        dict[str, float],
        tab.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,"
            " width: r.width, height: r.height}; })()"
        ),
    )


def _text(tab: Tab, selector: str) -> str:
    return str(tab.evaluate(f"document.querySelector({json.dumps(selector)}).innerText"))


def _assert_visible_on_a_phone(tab: Tab, selector: str) -> None:
    box = _box(tab, selector)
    assert box["width"] > 0, selector
    assert box["height"] > 0, selector
    assert box["left"] >= 0, selector
    assert box["right"] <= PHONE_WIDTH, selector


def test_a_buyer_on_a_phone_sees_product_origin_and_journey(
    site: str, tab: Tab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tab.open(f"{site}/01/{GTIN14}/10/{LOT}")

    for selector in ["h1", "#origin .plot h3", "#origin svg", "#timeline li:last-child"]:
        _assert_visible_on_a_phone(tab, selector)
    assert "Bưởi Luận Văn Thọ Xuân" in _text(tab, "h1")
    assert "Xã Thọ Xuân" in _text(tab, "#origin")
    assert "VN-THH-THOXUAN-0412-BUOILUANVAN-2026" in _text(tab, "#origin")
    assert "Thu hoạch" in _text(tab, "#timeline")
    assert "Xuất hàng" in _text(tab, "#timeline")
    print(tab.screenshot(tmp_path_factory.mktemp("screens") / "phone.png"))


def test_a_buyer_on_a_phone_sees_the_last_spraying_and_the_override(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{CODE}", width=PHONE_WIDTH)

    _assert_visible_on_a_phone(tab, "#plant-protection")
    shown = _text(tab, "#plant-protection")
    assert "Amistar Top 325SC" in shown
    assert "Bão số 5" in shown


def test_the_page_does_not_scroll_sideways_on_a_phone(site: str, tab: Tab) -> None:
    for page in [
        f"/b/{CODE}",
        f"/b/{CODE}?lang=en",
        f"/b/{RECALLED_CODE}",
        f"/b/{INCOMPLETE_CODE}",
        f"/p/{GTIN14}",
        "/b/TH-2026-999999",
    ]:
        tab.open(site + page)

        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, page
        too_wide = tab.evaluate(
            "[...document.querySelectorAll('body *')]"
            f".filter(e => e.getBoundingClientRect().right > {PHONE_WIDTH} + 0.5)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert too_wide == [], page


def test_a_recalled_batch_shows_its_banner_first_on_a_phone(
    site: str, tab: Tab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tab.open(f"{site}/b/{RECALLED_CODE}")
    print(tab.screenshot(tmp_path_factory.mktemp("screens") / "recalled-phone.png"))

    banner = _box(tab, ".recall")
    _assert_visible_on_a_phone(tab, ".recall")
    assert banner["top"] < _box(tab, "h1")["top"]
    assert banner["top"] < 800, "the banner is on the first screen"
    colour = tab.evaluate("getComputedStyle(document.querySelector('.recall')).backgroundColor")
    assert colour == "rgb(179, 18, 15)"


def test_an_incomplete_record_shows_its_warning_first_on_a_phone(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{INCOMPLETE_CODE}")

    _assert_visible_on_a_phone(tab, ".incomplete")
    assert _box(tab, ".incomplete")["top"] < _box(tab, "h1")["top"]
    assert "Hồ sơ chưa đầy đủ" in _text(tab, ".incomplete")
    assert "Đang lưu hành" not in _text(tab, ".status")


def test_a_gtin_alone_opens_its_product_page_on_a_phone(site: str, tab: Tab) -> None:
    tab.open(f"{site}/01/{GTIN14}")

    _assert_visible_on_a_phone(tab, "#lots")
    assert CODE in _text(tab, "#lots")


def test_the_page_fetches_nothing_but_itself(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{CODE}")

    assert tab.requested
    assert [url for url in tab.requested if not url.startswith((site, "data:"))] == []


def test_a_described_products_photo_fits_a_phone_and_loads_apart_from_the_page(
    site: str, tab: Tab
) -> None:
    for lang in ("vi", "en"):
        tab.open(f"{site}/b/{DESCRIBED_CODE}?lang={lang}")

        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, lang
        photo = _box(tab, "img.product-photo")
        assert 0 < photo["width"] <= PHONE_WIDTH
        assert photo["height"] == pytest.approx(photo["width"] * 3 / 4, abs=1)
        assert tab.evaluate("document.querySelector('img.product-photo').loading") == "lazy"
    assert "Thọ Xuân Luận Văn pomelo" in _text(tab, "h1")
    assert "30 days from packing" in _text(tab, "#identifiers")


@pytest.mark.parametrize("code", [CODE, RECALLED_CODE, INCOMPLETE_CODE, DESCRIBED_CODE])
@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_the_buyers_page_has_no_serious_accessibility_violation(
    site: str, tab: Tab, code: str, width: int
) -> None:
    tab.open(f"{site}/b/{code}", width=width)
    assert tab.axe_violations() == []
