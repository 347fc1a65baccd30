"""The public pages of cooperatives: who is shown, what is shown, in which language, how cached."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from services.web.app import create_app
from services.web.cooperatives import ShownCooperatives
from shared.readmodels.public_directory import Lot, Partner, Product
from shared.settings import NguonSettings
from tests.unit.web.builders import a_cooperative, a_provenance_document
from tests.unit.web.conftest import PUBLIC_BASE_URL
from tests.unit.web.fakes import InMemoryProvenanceReader
from tests.unit.web.public_directory_fake import (
    HIDDEN_ID,
    PARTNER_ID,
    SHOWN_ID,
    Held,
    InMemoryPublicDirectory,
    a_directory,
    a_public_cooperative,
)

UNKNOWN_ID = "00000000-0000-4000-8000-000000000001"
BUDGET_BYTES = 100_000


def _client(
    directory: InMemoryPublicDirectory | None = None, *documents: dict[str, object]
) -> TestClient:
    settings = NguonSettings(public_base_url=PUBLIC_BASE_URL)
    reader = InMemoryProvenanceReader(*documents)  # type: ignore[arg-type]
    return TestClient(create_app(settings, reader, directory=directory or a_directory()))


def test_the_public_list_shows_new_model_cooperatives_that_agreed_and_not_the_others() -> None:
    old = a_public_cooperative(id=UNKNOWN_ID, name="HTX Kiểu Cũ Đã Đồng Ý", model="old")
    directory = a_directory()
    directory._held[old.id] = Held(old, shown=True)

    html = _client(directory).get("/htx").text

    assert "Bưởi Luận Văn Thọ Xuân" in html
    assert f"/htx/{SHOWN_ID}" in html
    assert "HTX Không Muốn Công Khai" not in html
    assert HIDDEN_ID not in html
    assert "HTX Kiểu Cũ Đã Đồng Ý" not in html


@pytest.mark.parametrize("asked", [HIDDEN_ID, UNKNOWN_ID, "not-a-uuid"])
def test_a_cooperative_that_has_not_agreed_answers_like_an_unknown_one(asked: str) -> None:
    client = _client()

    hidden, unknown = client.get(f"/htx/{asked}"), client.get(f"/htx/{UNKNOWN_ID}")

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.text.replace(asked, "?") == unknown.text.replace(UNKNOWN_ID, "?")
    assert "HTX Không Muốn Công Khai" not in hidden.text


def test_the_list_filters_by_commune_and_by_commodity_with_a_plain_form() -> None:
    client = _client()

    by_commune = client.get("/htx", params={"commune": "Xã Xuân Lập"}).text
    by_commodity = client.get("/htx", params={"commodity": "bưởi"}).text
    neither = client.get("/htx", params={"commune": "Xã Xuân Lập", "commodity": "bưởi"}).text
    every = client.get("/htx", params={"commune": "", "commodity": ""}).text

    assert f"/htx/{PARTNER_ID}" in by_commune
    assert f"/htx/{SHOWN_ID}" not in by_commune
    assert f"/htx/{SHOWN_ID}" in by_commodity
    assert f"/htx/{PARTNER_ID}" not in by_commodity
    assert "/htx/" + SHOWN_ID not in neither
    assert "/htx/" + PARTNER_ID not in neither
    assert f"/htx/{SHOWN_ID}" in every
    assert f"/htx/{PARTNER_ID}" in every
    assert re.search(r'<form[^>]+method="get"', every)
    assert "<option selected>Xã Xuân Lập</option>" in by_commune
    assert "<script" not in every


def test_the_list_form_may_be_sent_and_nothing_else_may() -> None:
    policy = _client().get("/htx").headers["content-security-policy"]

    assert "form-action 'self'" in policy
    assert "default-src 'none'" in policy


def test_a_cooperative_page_shows_its_chains_partners_certificates_and_products() -> None:
    html = _client().get(f"/htx/{SHOWN_ID}").text

    assert "Xã Thọ Xuân (huyện cũ: Thọ Xuân)" in html
    assert "Hợp tác xã kiểu mới" in html
    assert "Chuỗi liên kết bưởi Luận Văn xuất khẩu Thanh Hóa – Hà Nội" in html
    assert "Công ty CP Nông sản sạch Hạc Thành" in html
    assert f'href="{PUBLIC_BASE_URL}/htx/{PARTNER_ID}"' in html  # a partner that agreed
    assert "OCOP 4 sao" in html
    assert "OCOP-TH-2025-0412" in html
    assert "VG-TH-2021-0099" in html  # expired, and said so
    assert html.count("Hết hiệu lực") == 1
    assert f'href="{PUBLIC_BASE_URL}/b/TH-2026-000123"' in html
    assert f'href="{PUBLIC_BASE_URL}/b/TH-2026-000124"' in html
    assert "<script" not in html


def test_a_partner_that_has_not_agreed_is_named_without_a_link() -> None:
    hidden_partner = Partner("HTX Không Muốn Công Khai", "cooperative", "producer", None)
    chain = replace(a_public_cooperative().chains[0], partners=(hidden_partner,))
    directory = InMemoryPublicDirectory(Held(a_public_cooperative(chains=[chain]), shown=True))

    html = _client(directory).get(f"/htx/{SHOWN_ID}").text

    assert "HTX Không Muốn Công Khai" in html
    assert HIDDEN_ID not in html


def test_english_on_request_and_links_keep_the_language() -> None:
    client = _client()

    listing = client.get("/htx", params={"lang": "en"})
    page = client.get(f"/htx/{SHOWN_ID}", params={"lang": "en"})

    assert listing.headers["content-language"] == "en"
    assert "New-model cooperatives in value chains" in listing.text
    assert f"/htx/{SHOWN_ID}?lang=en" in listing.text
    assert "OCOP 4 stars" in page.text
    assert "/b/TH-2026-000123?lang=en" in page.text


def test_vietnamese_is_the_default() -> None:
    response = _client().get("/htx")

    assert response.headers["content-language"] == "vi"
    assert '<html lang="vi">' in response.text


def test_the_pages_are_cached_like_the_provenance_page() -> None:
    client = _client()
    for path in ("/htx", f"/htx/{SHOWN_ID}"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})

        assert first.headers["cache-control"] == "public, max-age=60"
        assert "Accept-Language" in first.headers["vary"]
        assert again.status_code == 304
        assert again.content == b""


def test_a_page_number_that_is_not_a_number_is_refused() -> None:
    response = _client().get("/htx", params={"page": "two"})

    assert response.status_code == 400
    assert "Số trang" in response.text


def test_a_long_list_is_paged_and_every_page_stays_under_the_budget() -> None:
    many = [
        Held(
            a_public_cooperative(
                id=f"00000000-0000-4000-8000-{n:012d}",
                name=f"HTX Dịch vụ Nông nghiệp và Sản xuất Kinh doanh Tổng hợp số {n:03d}",
                commune=f"Xã Thiệu Trung Mở Rộng Số {n % 60:02d}",
            ),
            shown=True,
        )
        for n in range(300)
    ]
    client = _client(InMemoryPublicDirectory(*many))

    first, last = client.get("/htx"), client.get("/htx", params={"page": "6"})

    assert len(first.content) < BUDGET_BYTES
    assert first.text.count('href="https://nguon.thanhhoa.example/htx/0000') == 50
    assert "page=2" in first.text
    assert "số 299" in last.text
    assert "page=7" not in last.text


def test_a_busy_cooperative_page_stays_under_the_budget() -> None:
    lots = tuple(Lot(f"TH-2026-{n:06d}", "active", False) for n in range(5))
    products = [Product(f"Sản phẩm rất dài tên số {p:02d} — loại I", lots) for p in range(20)]
    partners = tuple(
        Partner(f"Công ty TNHH Thương mại Dịch vụ số {n:02d}", "enterprise", "distributor", None)
        for n in range(15)
    )
    chains = [replace(a_public_cooperative().chains[0], partners=partners)] * 8
    busy = a_public_cooperative(products=products, chains=chains)

    response = _client(InMemoryPublicDirectory(Held(busy, shown=True))).get(f"/htx/{SHOWN_ID}")

    assert response.status_code == 200
    assert len(response.content) < BUDGET_BYTES


def test_the_provenance_page_links_a_producer_to_its_page_only_when_it_agreed() -> None:
    shown = a_provenance_document(cooperatives=[a_cooperative(id=SHOWN_ID)])
    hidden = a_provenance_document(
        code="TH-2026-000999", cooperatives=[a_cooperative(id=HIDDEN_ID)]
    )
    client = _client(None, shown, hidden)  # type: ignore[arg-type]

    linked = client.get("/b/TH-2026-000123").text
    unlinked = client.get("/b/TH-2026-000999").text

    assert f'href="{PUBLIC_BASE_URL}/htx/{SHOWN_ID}"' in linked
    assert "/htx/" not in unlinked


def test_the_provenance_page_changes_its_etag_when_a_producer_agrees() -> None:
    document = a_provenance_document(cooperatives=[a_cooperative(id=HIDDEN_ID)])
    before = _client(None, document).get("/b/TH-2026-000123")  # type: ignore[arg-type]
    agreed = InMemoryPublicDirectory(Held(a_public_cooperative(id=HIDDEN_ID), shown=True))
    after = _client(agreed, document).get("/b/TH-2026-000123")  # type: ignore[arg-type]

    assert before.headers["etag"] != after.headers["etag"]
    assert f"/htx/{HIDDEN_ID}" in after.text


def test_who_agreed_is_read_again_only_after_a_while() -> None:
    now = [0.0]
    directory = a_directory()
    shown = ShownCooperatives(directory, ttl_seconds=2.0, clock=lambda: now[0])

    shown(), shown()
    now[0] = 1.9
    shown()
    reads_within = directory.reads
    now[0] = 2.1
    shown()

    assert reads_within == 1
    assert directory.reads == 2


def test_a_crowd_opening_the_list_costs_the_read_models_one_read() -> None:
    directory = a_directory()
    client = _client(directory)

    for _ in range(20):
        client.get("/htx")
    client.get("/htx", params={"commodity": "lúa"})

    assert directory.list_reads == 2
