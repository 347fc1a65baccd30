"""Which chart a table gets, read from its numbers: the columns whose ratio is the percentage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.province.dashboard.filters import FilterForm
from services.province.dashboard.views import indicator_view
from shared.i18n import Translator
from shared.readmodels.monitoring.figures import Column, Filters, Indicator, Kind, Row, Table

FORM = FilterForm(values={}, filters=Filters(as_of=date(2025, 10, 10)))


def _chart_of(table: Table) -> str:
    indicator = Indicator("in_value_chain", "t", "d", figures=(), tables=(table,))
    chart = indicator_view(indicator, FORM, Translator("vi")).tables[0].chart
    return str(chart or "")


def test_a_share_is_drawn_as_numerator_of_denominator_whatever_the_column_order() -> None:
    table = Table(
        "by_commune",
        "Theo xã",
        (
            Column("commune", "Xã", Kind.TEXT),
            Column("active", "Đang hoạt động"),
            Column("in_chain", "Trong chuỗi"),
            Column("share", "Tỷ lệ", Kind.PERCENT),
        ),
        (
            Row({"commune": "Xã Thiệu Trung", "active": 1, "in_chain": 1, "share": Decimal(100)}),
            Row({"commune": "Xã Định Công", "active": 1, "in_chain": 0, "share": Decimal(0)}),
            Row({"commune": "Xã Mới", "active": 0, "in_chain": 0, "share": None}),
        ),
    )

    chart = _chart_of(table)

    assert "100 % · 1/1" in chart
    assert "0 % · 0/1" in chart
    assert "— · 0/0" in chart


def test_fulfilment_is_shipped_of_committed() -> None:
    table = Table(
        "by_chain",
        "Theo chuỗi",
        (
            Column("chain", "Chuỗi", Kind.TEXT),
            Column("committed", "Cam kết", Kind.AMOUNT),
            Column("shipped", "Đã giao", Kind.AMOUNT),
            Column("fulfilment", "Thực hiện", Kind.PERCENT),
        ),
        (
            Row(
                {
                    "chain": "Lúa",
                    "committed": Decimal(10000),
                    "shipped": Decimal(1000),
                    "fulfilment": Decimal("10.0"),
                }
            ),
        ),
    )

    assert "10 % · 1.000/10.000" in _chart_of(table)


def test_a_percentage_no_two_columns_explain_gets_no_chart() -> None:
    table = Table(
        "certified",
        "Chứng nhận",
        (
            Column("scheme", "Chứng nhận", Kind.TEXT),
            Column("cooperatives", "HTX"),
            Column("share", "Tỷ lệ", Kind.PERCENT),
        ),
        (Row({"scheme": "VietGAP", "cooperatives": 3, "share": Decimal("42.9")}),),
    )

    assert _chart_of(table) == ""


def test_the_overview_draws_only_the_largest_rows_and_says_so() -> None:
    rows = tuple(
        Row({"commune": f"Xã {n:02d}", "active": 2 * n, "in_chain": n, "share": Decimal(50)})
        for n in range(2, 22)  # 20 communes, Xã 21 the largest
    )
    table = Table(
        "by_commune",
        "Theo xã",
        (
            Column("commune", "Xã", Kind.TEXT),
            Column("active", "Đang hoạt động"),
            Column("in_chain", "Trong chuỗi"),
            Column("share", "Tỷ lệ", Kind.PERCENT),
        ),
        rows,
    )
    indicator = Indicator("in_value_chain", "t", "d", figures=(), tables=(table,))

    overview = indicator_view(indicator, FORM, Translator("vi"), most_bars=8).tables[0]
    detail = indicator_view(indicator, FORM, Translator("vi")).tables[0]

    drawn = str(overview.chart)
    assert "Xã 21" in drawn
    assert "Xã 14" in drawn
    assert "Xã 13" not in drawn  # the 13th largest of 20
    assert "8 dòng lớn nhất trong 20" in drawn
    assert all(f"Xã {n:02d}" in str(detail.chart) for n in range(2, 22))
    assert len(overview.rows) == len(detail.rows) == 20  # the table keeps every row


def test_a_link_keeps_the_filters_as_given_and_adds_or_replaces_its_own() -> None:
    form = FilterForm(
        values={"as_of": "2026-03-01", "commune": "Xã Thiệu Trung", "lang": "en"},
        filters=Filters(as_of=date(2026, 3, 1)),
    )
    bare = FilterForm(values={}, filters=Filters(as_of=date(2026, 3, 1)))

    assert form.query() == "?as_of=2026-03-01&commune=X%C3%A3+Thi%E1%BB%87u+Trung&lang=en"
    assert form.query(drill="in_chain|sector=lúa gạo", table=None).endswith(
        "&lang=en&drill=in_chain%7Csector%3Dl%C3%BAa+g%E1%BA%A1o"
    )
    assert form.query(commune=None, table="by_commune") == (
        "?as_of=2026-03-01&lang=en&table=by_commune"
    )
    assert form.query(lang="vi") == "?as_of=2026-03-01&commune=X%C3%A3+Thi%E1%BB%87u+Trung&lang=vi"
    assert bare.query() == ""
    assert bare.query(drill="active") == "?drill=active"
