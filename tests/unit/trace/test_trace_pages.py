"""The staff apps' trace pages over HTTP: the picture, the balance, the lists, the GET form and
its refusals, who may look, and the group that opens when asked."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from shared.domain.clock import today_in_vietnam
from shared.trace.graph import Direction
from tests.unit.trace.graphs import COOPERATIVE, ENTERPRISE, a_rice_chain, a_wide_chain
from tests.unit.trace.pages import FakeTraces, cooperative_app, province_app

STAFF = {"x-test-person": "province"}
MEMBER = {"x-test-person": f"cooperative:{COOPERATIVE}"}
OUTSIDER = {"x-test-person": f"enterprise:{ENTERPRISE}"}
SVG = "{http://www.w3.org/2000/svg}"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _picture(html: str) -> ET.Element:
    found = re.search(r"<svg[^>]*class=\"chart trace\".*?</svg>", html, re.S)
    assert found, "the page has no trace picture"
    return ET.fromstring(found.group(0))


@pytest.fixture
def traces() -> FakeTraces:
    return FakeTraces(a_wide_chain(40))


@pytest.fixture
def province(traces: FakeTraces) -> TestClient:
    return TestClient(province_app(traces), headers=STAFF, follow_redirects=False)


def test_province_staff_see_the_whole_chain_drawn_with_its_balance_and_who_was_involved(
    province: TestClient, traces: FakeTraces
) -> None:
    page = province.get("/province/trace/TH-2026-000001")

    assert page.status_code == 200
    picture = _picture(page.text)
    assert picture.get("role") == "img"
    assert len([g for g in picture.iter(f"{SVG}g") if g.get("class") == "group"]) == 1
    words = _text(page.text)
    assert "Cân đối khối lượng" in words
    for figure in ("Đã sản xuất", "Đã gửi đi", "Đã nhận", "Đang giữ", "Hao hụt chế biến"):
        assert figure in words
    assert "Chưa giải trình" in words
    assert "không có lệnh thu hồi" in words
    assert "HTX Nông nghiệp Thiệu Trung" in words
    assert "Thửa 12, cánh đồng Đông" in words
    assert "Xã Thiệu Trung" in words
    assert 'href="/province/trace/TH-2026-000002"' in page.text
    ((query, viewer),) = traces.asked
    assert viewer is None
    assert query.direction is Direction.BOTH


def test_the_direction_and_as_of_day_are_asked_of_the_source(
    province: TestClient, traces: FakeTraces
) -> None:
    page = province.get(
        "/province/trace/TH-2026-000001", params={"direction": "back", "as_of": "2026-11-05"}
    )

    assert page.status_code == 200
    ((query, _),) = traces.asked
    assert (query.direction, query.as_of) == (Direction.BACK, date(2026, 11, 5))
    assert 'value="2026-11-05"' in page.text


def test_a_group_opens_when_its_link_is_followed(province: TestClient) -> None:
    grouped = province.get("/province/trace/TH-2026-000001")
    found = re.search(r'<a class="expand" href="([^"]+)"', grouped.text)
    assert found
    href = found.group(1).replace("&amp;", "&")
    assert href == "/province/trace/TH-2026-000001?expand=2"

    opened = province.get(href)

    picture = _picture(opened.text)
    assert [g for g in picture.iter(f"{SVG}g") if g.get("class") == "group"] == []
    assert len([g for g in picture.iter(f"{SVG}g") if g.get("class") == "node"]) == 42
    assert "Thu gọn các nhóm" in opened.text


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"direction": "sideways"}, "direction", "Chọn một hướng"),
        ({"as_of": "31/02/2026"}, "as_of", "Nhập ngày theo dạng"),
        ({"as_of": (today_in_vietnam() + timedelta(days=1)).isoformat()}, "as_of", "không sau"),
    ],
)
def test_a_bad_field_is_refused_at_the_field_and_nothing_is_traced(
    province: TestClient, traces: FakeTraces, params: dict[str, str], field: str, message: str
) -> None:
    page = province.get("/province/trace/TH-2026-000001", params=params)

    assert page.status_code == 400
    assert f'id="error-{field}"' in page.text
    assert message in page.text
    assert traces.asked == []


def test_a_gtin_without_its_lot_is_refused_at_the_lot(province: TestClient) -> None:
    page = province.get("/province/trace/08934567000012")

    assert page.status_code == 400
    assert 'id="error-lot"' in page.text


def test_the_search_box_lands_on_the_batch_trace(province: TestClient) -> None:
    blank = province.get("/province/trace")
    assert blank.status_code == 200
    assert 'name="ref"' in blank.text

    found = province.get("/province/trace", params={"ref": " TH-2026-000001 ", "direction": "back"})

    assert found.status_code == 303
    assert found.headers["location"] == "/province/trace/TH-2026-000001?direction=back"


def test_an_unknown_batch_says_so_with_404(province: TestClient) -> None:
    page = province.get("/province/trace/TH-2026-999999")

    assert page.status_code == 404
    assert "Không tìm thấy lô TH-2026-999999" in _text(page.text)


def test_the_page_speaks_english_when_asked(province: TestClient) -> None:
    page = province.get("/province/trace/TH-2026-000001", params={"lang": "en"})

    words = _text(page.text)
    assert "Mass balance" in words
    assert "+ 29 lots" in words
    assert 'name="lang" value="en"' in page.text


def test_a_cooperative_traces_its_lot_as_its_organisation_may_see_it(traces: FakeTraces) -> None:
    client = TestClient(cooperative_app(traces), headers=MEMBER, follow_redirects=False)

    page = client.get("/app/lots/th-2026-000001/trace")

    assert page.status_code == 200
    _picture(page.text)
    ((query, viewer),) = traces.asked
    assert (query.ref, viewer) == ("TH-2026-000001", COOPERATIVE)
    assert 'href="/app/lots/TH-2026-000001"' in page.text  # its own lot: its page
    assert 'href="/app/lots/TH-2026-000002/trace"' in page.text  # another's: only its trace


def test_an_organisation_the_trace_does_not_concern_gets_404(traces: FakeTraces) -> None:
    client = TestClient(cooperative_app(traces), headers=OUTSIDER, follow_redirects=False)

    page = client.get("/app/lots/TH-2026-000001/trace")

    assert page.status_code == 404
    assert "<svg" not in page.text


def test_only_provincial_staff_open_the_province_trace() -> None:
    client = TestClient(province_app(FakeTraces(a_rice_chain())), headers=MEMBER)

    assert client.get("/province/trace/TH-2026-000001", follow_redirects=False).status_code == 403
    nobody = TestClient(province_app(FakeTraces(a_rice_chain())))
    assert nobody.get("/province/trace/TH-2026-000001", follow_redirects=False).status_code == 303
