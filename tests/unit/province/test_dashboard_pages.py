"""The dashboard's pages, files and refusals over fake figures of every shape."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from shared.domain.clock import VIETNAM_TIME, today_in_vietnam
from shared.readmodels.monitoring.figures import INDICATOR_KEYS
from tests.unit.province.dashboard_app import COOPERATIVE_COOKIE, STAFF_COOKIE, dashboard_app
from tests.unit.province.fakes import COOPERATIVE_IDS, LONG_COMMUNE, RICE_CHAIN, FakeIndicators


@pytest.fixture
def fake() -> FakeIndicators:
    return FakeIndicators()


@pytest.fixture
def client(fake: FakeIndicators) -> TestClient:
    return TestClient(dashboard_app(fake), cookies=STAFF_COOKIE, follow_redirects=False)


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed, to look for sentences in."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_overview_shows_every_indicator_with_its_figures_in_words(client: TestClient) -> None:
    page = client.get("/province/dashboard")

    assert page.status_code == 200
    assert page.headers["content-language"] == "vi"
    words = _text(page.text)
    assert "Tổng quan kinh tế tập thể" in words
    assert "Tham gia chuỗi giá trị" in words
    assert "18 trên 40 HTX đang hoạt động là HTX trong chuỗi" in words
    assert "Chưa có HTX đang hoạt động nào nên chưa tính được tỷ lệ" in words
    for key in INDICATOR_KEYS:
        assert f'href="/province/dashboard/{key}"' in page.text
    assert len(re.findall(r'<svg [^>]*class="chart"', page.text)) >= len(INDICATOR_KEYS) - 1
    assert len(page.content) < 100_000


def test_a_person_not_signed_in_is_sent_to_sign_in_and_back(fake: FakeIndicators) -> None:
    client = TestClient(dashboard_app(fake), follow_redirects=False)

    answer = client.get("/province/dashboard/contracts?commune=X&sector=rice")

    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == "/sign-in"
    # Both parameters come back: the return address is one query value, quoted whole.
    assert parse_qs(location.query) == {
        "next": ["/province/dashboard/contracts?commune=X&sector=rice"]
    }
    assert fake.asked == []


def test_a_cooperatives_account_may_not_open_the_dashboard(fake: FakeIndicators) -> None:
    client = TestClient(dashboard_app(fake), cookies=COOPERATIVE_COOKIE)

    for path in ("/province/dashboard", "/province/dashboard/contracts.xlsx"):
        assert client.get(path).status_code == 403
    assert client.get("/province/reports/yearly?year=2025").status_code == 403
    assert fake.asked == []


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_every_indicator_has_its_page_with_downloads(client: TestClient, key: str) -> None:
    page = client.get(f"/province/dashboard/{key}")

    assert page.status_code == 200
    assert f'href="/province/dashboard/{key}.xlsx"' in page.text
    assert f'href="/province/dashboard/{key}.csv"' in page.text
    assert "Tải XLSX" in page.text
    assert "Tải CSV" in page.text
    assert len(page.content) < 100_000
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from elsewhere
    assert "<script" not in page.text


def test_an_indicator_page_writes_numbers_and_dates_the_vietnamese_way(client: TestClient) -> None:
    chains = _text(client.get("/province/dashboard/in_value_chain").text)
    cooperatives = _text(client.get("/province/dashboard/cooperatives").text)
    other = _text(client.get("/province/dashboard/support").text)

    assert "61,7 %" in chains  # 1.234 of 2.000, in the table and on its bar
    assert "61,7 % · 1.234/2.000" in chains
    assert "1.234,56" in other
    assert "14/03/2026" in other
    assert "14/03/2019" in cooperatives
    assert "Kiểu mới: 30" in cooperatives  # the line's direct label


def test_every_chart_has_its_numbers_in_a_table_below_it(client: TestClient) -> None:
    page = client.get("/province/dashboard/contracts").text

    chart = page.index("<svg ")
    table = page.index("<table", chart)
    assert "100 %" in page[chart:table]  # the fulfilment bars' marker
    assert "41,5" in page[table:]
    assert "250 %" in page[table:]


def test_a_share_of_amounts_says_each_number_after_what_it_measures(client: TestClient) -> None:
    words = _text(client.get("/province/dashboard/contracts").text)

    assert "110,8 %" in words
    assert "Đã giao (tấn): 66,5 trên Cam kết (tấn): 60" in words


def test_an_empty_table_says_so_and_a_zero_denominator_has_no_share(client: TestClient) -> None:
    words = _text(client.get("/province/dashboard/timeliness").text)

    assert "Không có dòng nào với bộ lọc này." in words
    assert "Chưa có Sự kiện nào nên chưa tính được tỷ lệ" in words


def test_filters_reach_the_figures_and_stay_in_every_link(
    client: TestClient, fake: FakeIndicators
) -> None:
    query = {"as_of": "2025-12-31", "commune": "Xã Thọ Xuân", "chain": str(RICE_CHAIN)}
    page = client.get(f"/province/dashboard/in_value_chain?{urlencode(query)}")

    assert page.status_code == 200
    asked = fake.asked[-1]
    assert asked.as_of == date(2025, 12, 31)
    assert asked.commune == "Xã Thọ Xuân"
    assert asked.value_chain_id == RICE_CHAIN
    kept = urlencode(query).replace("&", "&amp;")
    assert f'href="/province/dashboard/in_value_chain.xlsx?{kept}"' in page.text
    assert f"/province/dashboard/in_value_chain/cooperatives?{kept}&amp;drill=in_chain" in page.text
    assert "Số liệu đến ngày 31/12/2025" not in page.text  # that is the workbook's wording
    assert "Đến ngày 31/12/2025" in page.text
    assert 'value="2025-12-31"' in page.text
    assert "Chuỗi lúa J02 Thọ Xuân" in page.text  # the chain filter, named


def test_known_at_is_read_in_vietnam_time(client: TestClient, fake: FakeIndicators) -> None:
    client.get("/province/dashboard/cooperatives?known_at=2026-11-30T17:00")

    assert fake.asked[-1].known_at == datetime(2026, 11, 30, 17, 0, tzinfo=VIETNAM_TIME)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"as_of": "31/12/2025"}, "as_of", "Nhập ngày theo dạng ngày/tháng/năm"),
        ({"as_of": "2025-02-30"}, "as_of", "Nhập ngày theo dạng ngày/tháng/năm"),
        ({"known_at": "hôm qua"}, "known_at", "Nhập ngày và giờ"),
        ({"commune": "Xã Không Có"}, "commune", "Chọn một xã có trong danh sách"),
        ({"chain": "not-a-uuid"}, "chain", "Chọn một chuỗi liên kết có trong danh sách"),
        ({"sector": "<script>"}, "sector", "Chọn một ngành có trong danh sách"),
    ],
)
def test_a_bad_filter_is_shown_at_its_field_and_nothing_is_counted(
    client: TestClient, fake: FakeIndicators, query: dict[str, str], field: str, message: str
) -> None:
    for path in (
        "/province/dashboard",
        "/province/dashboard/contracts",
        "/province/dashboard/contracts.xlsx",
    ):
        page = client.get(f"{path}?{urlencode(query)}")

        assert page.status_code == 400
        assert 'id="error-summary"' in page.text
        assert f'href="#field-{field}"' in page.text
        error = re.search(
            rf'<span class="error-message" id="error-{field}">([^<]*)</span>', page.text
        )
        assert error is not None
        assert error.group(1).startswith(message)
        assert "<script>" not in page.text
    assert fake.asked == []


def test_a_day_still_to_come_is_refused(client: TestClient) -> None:
    tomorrow = today_in_vietnam() + timedelta(days=1)

    page = client.get(f"/province/dashboard?as_of={tomorrow.isoformat()}")

    assert page.status_code == 400
    assert "Ngày này chưa đến" in page.text


def test_the_drill_down_lists_the_cooperatives_each_linking_to_its_registry_page(
    client: TestClient, fake: FakeIndicators
) -> None:
    query = urlencode({"commune": "Xã Hoằng Hóa", "drill": "in_chain"})
    page = client.get(f"/province/dashboard/in_value_chain/cooperatives?{query}")

    assert page.status_code == 200
    drill, filters = fake.drilled[-1]
    assert drill == "in_chain"
    assert filters.commune == "Xã Hoằng Hóa"
    for cooperative_id in COOPERATIVE_IDS:
        assert f'href="/province/cooperatives/{cooperative_id}"' in page.text
    words = _text(page.text)
    assert "Các hợp tác xã được tính: Trong chuỗi" in words
    assert "2 hợp tác xã" in words
    assert LONG_COMMUNE in words
    assert "Kiểu mới" in words
    assert "Đang hoạt động" in words
    back = "/province/dashboard/in_value_chain?" + urlencode({"commune": "Xã Hoằng Hóa"})
    assert f'href="{back}"' in page.text


def test_a_rows_drill_down_is_named_after_its_row(client: TestClient) -> None:
    drill = quote("in_chain:commune:Xã Thọ Xuân")
    page = client.get(f"/province/dashboard/in_value_chain/cooperatives?drill={drill}")

    assert "Các hợp tác xã được tính: Theo xã: Xã Thọ Xuân" in _text(page.text)


def test_a_drill_down_with_no_cooperative_says_so(client: TestClient) -> None:
    page = client.get("/province/dashboard/cooperatives/cooperatives?drill=dissolved")

    assert page.status_code == 200
    assert "Không có hợp tác xã nào với bộ lọc này." in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/province/dashboard/nothing",
        "/province/dashboard/nothing.xlsx",
        "/province/dashboard/nothing/cooperatives?drill=x",
        "/province/dashboard/contracts/cooperatives",
        "/province/dashboard/contracts.csv?table=nothing",
    ],
)
def test_an_unknown_indicator_or_table_is_not_found(client: TestClient, path: str) -> None:
    page = client.get(path)

    assert page.status_code == 404
    assert "Không có chỉ số này" in page.text


def test_the_xlsx_download_opens_as_a_workbook_naming_its_filters(client: TestClient) -> None:
    query = urlencode({"as_of": "2025-12-31", "commune": "Xã Thọ Xuân"})
    answer = client.get(f"/province/dashboard/in_value_chain.xlsx?{query}")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="nguon-in_value_chain-2025-12-31.xlsx"' in answer.headers["content-disposition"]
    )
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["Theo xã"]
    assert sheet["A2"].value == "Số liệu đến ngày 31/12/2025"
    assert sheet["A3"].value == "Bộ lọc: Xã: Xã Thọ Xuân"


def test_each_table_downloads_as_csv(client: TestClient) -> None:
    answer = client.get("/province/dashboard/in_value_chain.csv?table=by_commune")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")
    assert (
        answer.content.decode("utf-8-sig").splitlines()[0]
        == "Xã,HTX trong chuỗi,HTX đang hoạt động,Tỷ lệ"
    )


def test_the_yearly_report_is_one_workbook_as_of_the_years_end(
    client: TestClient, fake: FakeIndicators
) -> None:
    answer = client.get("/province/reports/yearly?year=2025&commune=Xã Nga Sơn")

    assert answer.status_code == 200
    assert [f.as_of for f in fake.asked] == [date(2025, 12, 31)] * len(INDICATOR_KEYS)
    assert {f.commune for f in fake.asked} == {"Xã Nga Sơn"}
    book = load_workbook(io.BytesIO(answer.content))
    assert len(book.worksheets) == 1 + len(INDICATOR_KEYS)
    assert book.worksheets[0]["A1"].value == "Báo cáo phát triển kinh tế tập thể năm 2025"
    made_at = str(book.worksheets[0]["A4"].value)
    assert made_at.startswith(f"Lập lúc {today_in_vietnam():%d/%m/%Y}")


def test_this_years_report_is_as_of_today(client: TestClient, fake: FakeIndicators) -> None:
    today = today_in_vietnam()

    client.get(f"/province/reports/yearly?year={today.year}")

    assert {f.as_of for f in fake.asked} == {today}


def test_the_yearly_report_page_offers_the_years_and_refuses_others(client: TestClient) -> None:
    form = client.get("/province/reports/yearly")
    refused = client.get("/province/reports/yearly?year=1999")

    assert form.status_code == 200
    assert f'<option value="{today_in_vietnam().year - 1}" selected>' in form.text
    assert refused.status_code == 400
    assert 'id="error-year"' in refused.text
    assert "Chọn một năm trong danh sách" in refused.text


def test_english_readers_get_the_dashboard_in_english(client: TestClient) -> None:
    page = client.get("/province/dashboard?lang=en")

    assert page.headers["content-language"] == "en"
    assert "Collective economy at a glance" in page.text
    assert "18 of 40 HTX đang hoạt động are HTX trong chuỗi" in _text(page.text)
    assert 'href="/province/dashboard/contracts?lang=en"' in page.text


def test_the_drill_downs_filter_form_keeps_what_it_lists(client: TestClient) -> None:
    page = client.get("/province/dashboard/in_value_chain/cooperatives?drill=strict")

    form = page.text[page.text.index('<form method="get"') :]
    form = form[: form.index("</form>")]
    assert 'action="/province/dashboard/in_value_chain/cooperatives"' in form
    assert '<input type="hidden" name="drill" value="strict">' in form
