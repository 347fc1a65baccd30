"""Exports read back the way a person's spreadsheet reads them: openpyxl on the XLSX, csv on CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from shared.domain.clock import VIETNAM_TIME
from shared.exports import Heading, indicator_to_xlsx, table_to_csv, table_to_xlsx, yearly_report
from shared.readmodels.monitoring.figures import INDICATOR_KEYS, Filters, Indicator
from tests.unit.province.fakes import LONG_COMMUNE, FakeIndicators

AS_OF = date(2026, 11, 30)
HEADING = Heading(
    "Tham gia chuỗi giá trị",
    AS_OF,
    datetime(2026, 12, 1, 9, 30, tzinfo=VIETNAM_TIME),
    (("dash_filter_commune", "Xã Thọ Xuân"),),
)


def _indicator(key: str) -> Indicator:
    return FakeIndicators().indicator(key, Filters(as_of=AS_OF))


def _sheet(data: bytes, index: int = 0) -> Worksheet:
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[index]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_a_table_exports_with_a_title_naming_the_indicator_dates_and_filters() -> None:
    table = _indicator("in_value_chain").tables[0]
    sheet = _sheet(table_to_xlsx([table], "vi", HEADING))

    assert sheet.title == "Theo xã"
    assert sheet["A1"].value == "Theo xã"
    assert sheet["A2"].value == "Số liệu đến ngày 30/11/2026; theo ghi nhận đến 01/12/2026 09:30"
    assert sheet["A3"].value == "Bộ lọc: Xã: Xã Thọ Xuân"


def test_headers_are_frozen_numbers_stay_numbers_and_percentages_are_fractions() -> None:
    table = _indicator("in_value_chain").tables[0]
    sheet = _sheet(table_to_xlsx([table], "vi", HEADING))

    assert sheet.freeze_panes == "A6"
    assert [cell.value for cell in sheet[5]] == [
        "Xã",
        "HTX trong chuỗi",
        "HTX đang hoạt động",
        "Tỷ lệ",
    ]
    first = list(sheet[6])
    assert first[0].value == "Xã Thọ Xuân"
    assert first[1].value == 5
    assert first[1].number_format == "#,##0"
    assert first[3].value == 0.5
    assert first[3].number_format == "0.0%"
    # A commune with no cooperative: no share, an empty cell rather than a made-up zero.
    assert sheet.cell(row=9, column=4).value is None
    long_row = sheet.cell(row=8, column=1)
    assert long_row.value == LONG_COMMUNE
    width = sheet.column_dimensions["A"].width
    assert width is not None
    assert 40 <= width <= 62


def test_dates_are_dates_and_months_are_months() -> None:
    indicator = _indicator("cooperatives")
    book = load_workbook(io.BytesIO(indicator_to_xlsx(indicator, "vi", HEADING)))

    by_status = book["Theo mô hình và trạng thái"]
    founded = by_status.cell(row=6, column=4)
    assert founded.value == datetime(2019, 3, 14)  # noqa: DTZ001 (a spreadsheet's dates have no zone)
    assert founded.number_format == "dd/mm/yyyy"
    series = book["HTX theo tháng"]
    assert [c.value for c in series[5]] == ["Tháng", "Kiểu mới", "Kiểu cũ"]
    assert series.cell(row=6, column=1).number_format == "mm/yyyy"
    assert series.cell(row=17, column=2).value == 30


def test_an_empty_table_still_has_its_header_and_says_it_is_empty() -> None:
    table = _indicator("timeliness").tables[0]
    sheet = _sheet(table_to_xlsx([table], "vi", HEADING))

    assert [cell.value for cell in sheet[5]] == ["HTX", "Tỷ lệ"]
    assert sheet["A6"].value == "Không có dòng nào"


def test_headline_figures_state_the_numerator_and_the_denominator() -> None:
    indicator = _indicator("in_value_chain")
    book = load_workbook(io.BytesIO(indicator_to_xlsx(indicator, "vi", HEADING)))

    figures = book["Số liệu chính"]
    row = [cell.value for cell in figures[6]]
    assert row[:4] == ["Trong chuỗi", 18, 40, 0.45]
    assert row[4:] == ["HTX trong chuỗi", "HTX đang hoạt động"]
    zero = [cell.value for cell in figures[8]]
    assert zero[:4] == ["Xã chưa có HTX", 0, 0, None]


def test_english_readers_get_english_headings() -> None:
    table = _indicator("in_value_chain").tables[0]
    sheet = _sheet(table_to_xlsx([table], "en", Heading("Theo xã", AS_OF)))

    assert sheet["A2"].value == "Figures as of 30 Nov 2026"
    assert sheet["A3"].value == "Filters: none"


def test_csv_starts_with_a_byte_order_mark_and_keeps_vietnamese() -> None:
    table = _indicator("in_value_chain").tables[0]
    data = table_to_csv(table, "vi")

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Xã", "HTX trong chuỗi", "HTX đang hoạt động", "Tỷ lệ"]
    assert rows[1] == ["Xã Thọ Xuân", "5", "10", "50.0"]
    assert rows[3][0] == LONG_COMMUNE
    assert rows[4] == ["Xã Nga Sơn", "0", "0", ""]


def test_the_yearly_report_is_one_workbook_a_cover_and_a_sheet_per_indicator() -> None:
    fake = FakeIndicators()
    year_end = date(2025, 12, 31)
    indicators = [fake.indicator(key, Filters(as_of=year_end)) for key in INDICATOR_KEYS]
    data = yearly_report(indicators, 2025, "vi", Heading("dash_report_title", year_end))
    book = load_workbook(io.BytesIO(data))

    assert len(book.worksheets) == 1 + len(INDICATOR_KEYS)
    cover = book.worksheets[0]
    assert cover["A1"].value == "Báo cáo phát triển kinh tế tập thể năm 2025"
    assert cover["A2"].value == "Số liệu đến ngày 31/12/2025"
    names = [cover.cell(row=6 + i, column=1).value for i in range(len(INDICATOR_KEYS))]
    assert names[:3] == ["Hợp tác xã", "Tham gia chuỗi giá trị", "Hợp đồng liên kết"]
    assert all(len(sheet.title) <= 31 for sheet in book.worksheets)
    chain = book["Tham gia chuỗi giá trị"]
    assert chain["A1"].value == "Tham gia chuỗi giá trị"
    assert chain["A2"].value == "Số liệu đến ngày 31/12/2025"
    column_a = [cell.value for cell in chain["A"]]
    assert {"Số liệu chính", "Theo xã", "Tỷ lệ theo tháng"} <= set(column_a)
