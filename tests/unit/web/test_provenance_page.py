"""The batch page a buyer sees after scanning: content, language, format, caching."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .builders import (
    CODE,
    FINGERPRINT,
    GTIN14,
    LOT,
    a_big_document,
    a_certification,
    a_plot,
    a_provenance_document,
    a_step,
    an_inspection,
    recalled,
)
from .conftest import PUBLIC_BASE_URL, ClientFactory

PAGE = f"/b/{CODE}"
LIMIT_BYTES = 100 * 1024


class _Links(HTMLParser):
    """Every URL the page would make a browser fetch or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in {"src", "href", "action", "srcset"}]


def _urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def test_the_page_is_in_vietnamese_by_default(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(PAGE)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in response.text
    assert response.headers["content-language"] == "vi"
    assert "Hành trình của lô hàng" in response.text
    assert "Thu hoạch" in response.text


def test_english_is_served_on_request_with_lang_en(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(PAGE, params={"lang": "en"})

    assert '<html lang="en">' in response.text
    assert "Journey of this batch" in response.text
    assert "Harvested" in response.text
    assert "Hành trình của lô hàng" not in response.text


def test_english_is_chosen_from_accept_language_q_values(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())

    english = client.get(PAGE, headers={"Accept-Language": "fr-FR, en-GB;q=0.8, vi;q=0.5"})
    vietnamese = client.get(PAGE, headers={"Accept-Language": "en;q=0.3, vi-VN;q=0.9"})

    assert english.headers["content-language"] == "en"
    assert vietnamese.headers["content-language"] == "vi"


def test_lang_in_the_address_wins_over_accept_language(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(
        PAGE, params={"lang": "vi"}, headers={"Accept-Language": "en"}
    )

    assert response.headers["content-language"] == "vi"


def test_a_json_client_gets_the_same_public_document(serving: ClientFactory) -> None:
    document = a_provenance_document()

    response = serving(document).get(PAGE, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == document


def test_a_browser_that_also_accepts_json_still_gets_html(serving: ClientFactory) -> None:
    accept = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"

    response = serving(a_provenance_document()).get(PAGE, headers={"Accept": accept})

    assert response.headers["content-type"].startswith("text/html")


def test_a_buyer_sees_product_producer_origin_and_journey(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    for shown in [
        "Gạo nếp cái hoa vàng Thiệu Trung",
        "HTX Nông nghiệp Thiệu Trung",
        "Xã Thiệu Trung (huyện Thiệu Hóa cũ), tỉnh Thanh Hóa",
        "Công ty TNHH Nông sản Xứ Thanh",
        "Phường Hạc Thành, tỉnh Thanh Hóa",
        "Xã Hoằng Đạo",
        "VN-THH-0381-NCHV",
        "19.893512, 105.687421",
        "Xay xát",
        "Xưởng xay xát Thiệu Trung",
        "20/05/2026 06:30",
        "Chuỗi gạo nếp cái hoa vàng Thiệu Hóa",
        "Chế biến",
        "VietGAP",
        "Trung tâm Kiểm nghiệm Thanh Hóa",
        "08934563123451",
        "NCHV-2026-01",
        CODE,
    ]:
        assert shown in html, shown


def test_the_journey_is_shown_oldest_first(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    times = re.findall(r'<time datetime="([^"]+)"', html.split('id="timeline"')[1])

    assert times[:7] == sorted(times[:7])
    assert html.index("Thu hoạch") < html.index("Xuất hàng") < html.index("Nhận hàng")


def test_step_facts_are_translated_and_their_dates_formatted(serving: ClientFactory) -> None:
    recall = a_step("recalled", "2026-06-02T15:00:00+07:00", summary={"by": "province"})
    harvest = a_step(
        "harvested", "2026-05-20T06:30:00+07:00", summary={"harvested_on": "2026-05-20"}
    )

    html = serving(a_provenance_document(timeline=[harvest, recall])).get(PAGE + "?lang=en").text

    assert "<dt>Harvested on</dt><dd>20 May 2026</dd>" in html
    assert "<dt>By</dt><dd>Provincial authority</dd>" in html


def test_steps_on_an_ancestor_batch_link_to_its_page(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    assert f'href="{PUBLIC_BASE_URL}/b/TH-2026-000101"' in html


def test_times_are_shown_in_vietnam_time(serving: ClientFactory) -> None:
    document = a_provenance_document(timeline=[a_step("harvested", "2026-05-19T23:30:00+00:00")])

    html = serving(document).get(PAGE).text

    assert "20/05/2026 06:30" in html


def test_a_recalled_batch_shows_a_recall_banner(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(recall=recalled())).get(PAGE).text

    banner = html.index('class="recall"')
    assert banner < html.index("<h1>"), "the banner comes before everything else"
    assert "ĐÃ THU HỒI" in html
    assert "Phát hiện nấm mốc trong kho" in html
    assert "Đã thu hồi" in html, "the status says so too"


def test_a_recall_banner_speaks_english_on_an_english_page(serving: ClientFactory) -> None:
    html = serving(a_provenance_document(recall=recalled())).get(PAGE + "?lang=en").text

    assert "RECALLED" in html
    assert "Do not eat, use or sell this product" in html


def test_a_batch_in_good_standing_shows_no_recall_banner(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    assert 'class="recall"' not in html
    assert "ĐÃ THU HỒI" not in html


def test_an_expired_certification_is_flagged(serving: ClientFactory) -> None:
    lapsed = a_certification(scheme="GlobalGAP", valid_until="2024-12-31", valid_now=True)

    html = serving(a_provenance_document(certifications=[lapsed])).get(PAGE).text

    assert "Hết hiệu lực" in html
    assert "31/12/2024" in html


def test_a_failed_inspection_is_shown_as_failed(serving: ClientFactory) -> None:
    document = a_provenance_document(inspections=[an_inspection(result="fail")])

    html = serving(document).get(PAGE + "?lang=en").text

    assert '<span class="badge bad">Failed</span>' in html


def test_the_fingerprint_is_shown_with_how_to_recheck_it(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    assert f"sha256:{FINGERPRINT}" in html
    assert "tính lại" in html


def test_a_plot_is_drawn_as_a_small_map(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    origin = html.split('id="origin"')[1].split("</section>")[0]
    assert origin.count("<svg") == 2
    assert "<circle" in origin
    assert '<path d="M' in origin


def test_a_plot_without_usable_geometry_is_described_without_a_map(
    serving: ClientFactory,
) -> None:
    plot = a_plot(location={"type": "MultiPoint", "coordinates": []})

    response = serving(a_provenance_document(origin_plots=[plot])).get(PAGE)

    assert response.status_code == 200
    assert "<svg" not in response.text.split('id="origin"')[1].split("</section>")[0]


def test_text_recorded_by_cooperatives_is_escaped(serving: ClientFactory) -> None:
    document = a_provenance_document(product='Gạo <script>alert("x")</script>')

    html = serving(document).get(PAGE).text

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_page_is_built_for_phones_and_print(serving: ClientFactory) -> None:
    html = serving(a_provenance_document()).get(PAGE).text

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media print" in html
    assert "overflow-wrap:anywhere" in html


def test_the_biggest_page_stays_under_100_kilobytes(serving: ClientFactory) -> None:
    document = a_big_document()
    assert len(document["timeline"]) == 30

    response = serving(document).get(PAGE)

    assert response.status_code == 200
    assert len(response.content) < LIMIT_BYTES
    assert response.text.count("<time") >= 30


def test_the_page_loads_nothing_from_elsewhere(serving: ClientFactory) -> None:
    html = serving(a_big_document()).get(PAGE).text

    outside = [
        url
        for url in _urls(html)
        if url.startswith(("http:", "https:", "//")) and not url.startswith(PUBLIC_BASE_URL)
    ]
    assert outside == []
    assert "@import" not in html
    assert "url(" not in html
    assert "<script" not in html


def test_pages_are_cached_briefly_and_vary_by_format_and_language(
    serving: ClientFactory,
) -> None:
    response = serving(a_provenance_document()).get(PAGE)

    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["vary"] == "Accept, Accept-Language"
    assert "4182" in response.headers["etag"]


def test_an_unchanged_page_is_not_sent_again(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())
    etag = client.get(PAGE).headers["etag"]

    again = client.get(PAGE, headers={"If-None-Match": etag})
    english = client.get(PAGE + "?lang=en", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert english.status_code == 200


def test_a_lower_case_code_finds_the_batch(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(PAGE.lower())

    assert response.status_code == 200


def test_the_page_shows_the_best_before_date_and_the_qr_code_carries_it(
    serving: ClientFactory,
) -> None:
    client = serving(a_provenance_document(best_before="2027-12-31"))

    page = client.get(f"/b/{CODE}").text
    english = client.get(f"/b/{CODE}", params={"lang": "en"}).text

    assert "Sử dụng tốt nhất trước" in page
    assert "31/12/2027" in page
    assert "Best before" in english
    assert f'href="{PUBLIC_BASE_URL}/01/{GTIN14}/10/{LOT}?15=271231"' in page


PHOTO = "c0ffee" + "0" * 58
DESCRIBED = {
    "name_vi": "Gạo nếp cái hoa vàng Thiệu Hóa",
    "name_en": "Thieu Hoa yellow-flower glutinous rice",
    "brand": "HTX Nông nghiệp Thiệu Trung",
    "shelf_life_days": 365,
    "photo": PHOTO,
}


def test_the_page_shows_the_products_name_brand_photo_and_shelf_life_in_each_language(
    serving: ClientFactory,
) -> None:
    client = serving(a_provenance_document(product_details=DESCRIBED))

    page = client.get(f"/b/{CODE}").text
    english = client.get(f"/b/{CODE}", params={"lang": "en"}).text

    assert "<h1>Gạo nếp cái hoa vàng Thiệu Hóa</h1>" in page
    assert "<h1>Thieu Hoa yellow-flower glutinous rice</h1>" in english
    assert "HTX Nông nghiệp Thiệu Trung" in page
    assert "Hạn sử dụng" in page
    assert "365 ngày kể từ ngày đóng gói" in page
    assert "365 days from packing" in english
    assert f'src="/app/products/photos/{PHOTO}-800.jpg"' in page
    assert f"/app/products/photos/{PHOTO}-200.jpg 200w" in page
    assert 'loading="lazy"' in page
    assert 'width="800" height="600"' in page
    assert 'alt="Thieu Hoa yellow-flower glutinous rice"' in english


def test_a_product_without_an_english_name_shows_the_vietnamese_one_in_english(
    serving: ClientFactory,
) -> None:
    details = {**DESCRIBED, "name_en": None, "photo": None}
    client = serving(a_provenance_document(product_details=details))

    english = client.get(f"/b/{CODE}", params={"lang": "en"}).text

    assert "<h1>Gạo nếp cái hoa vàng Thiệu Hóa</h1>" in english
    assert '<img class="product-photo"' not in english


def test_a_best_before_date_is_shown_instead_of_the_shelf_life(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(product_details=DESCRIBED, best_before="2027-12-31"))

    page = client.get(f"/b/{CODE}").text

    assert "31/12/2027" in page
    assert "ngày kể từ ngày đóng gói" not in page


def test_an_undescribed_product_keeps_the_commodity_and_variety_as_its_name(
    serving: ClientFactory,
) -> None:
    page = serving(a_provenance_document()).get(f"/b/{CODE}").text

    assert "<h1>Gạo nếp cái hoa vàng Thiệu Trung</h1>" in page
    assert '<img class="product-photo"' not in page
