"""The server's SVG charts, read back as XML: named, labelled, escaped, inside their box."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from shared.charts import (
    FulfilmentBar,
    Line,
    ShareBar,
    fulfilment_bars,
    monthly_chart,
    share_bars,
)
from shared.charts.svg import GLYPH_WIDTH
from shared.i18n import Translator

NS = {"svg": "http://www.w3.org/2000/svg"}
VI = Translator("vi")
EN = Translator("en")
LONG_COMMUNE = "Xã Xuân Bái Thọ Xuân Thanh Hóa (gồm xã Xuân Hòa, Xuân Tín và thị trấn Lam Sơn cũ)"


def _months(*values: int) -> tuple[tuple[date, int | Decimal], ...]:
    return tuple(
        (date(2025, 1 + i % 12, 1).replace(year=2025 + i // 12), v) for i, v in enumerate(values)
    )


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def _texts(chart: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in chart.iter(f"{{{NS['svg']}}}text")]


def _shown(chart: ET.Element) -> list[str]:
    """What each label shows (its text, not its full-name tooltip)."""
    return [node.text or "" for node in chart.iter(f"{{{NS['svg']}}}text")]


def _view_width(chart: ET.Element) -> float:
    return float(chart.attrib["viewBox"].split()[2])


def test_a_monthly_chart_is_an_image_named_by_its_title() -> None:
    markup = monthly_chart("c1", "Hợp tác xã kiểu mới", (Line("HTX", _months(3, 5, 8)),), VI)
    chart = _parse(markup)

    assert chart.tag == "{http://www.w3.org/2000/svg}svg"
    assert chart.attrib["role"] == "img"
    assert chart.attrib["width"] == "100%"
    assert chart.attrib["aria-labelledby"] == "c1-title c1-desc"
    title = chart.find("svg:title", NS)
    assert title is not None
    assert title.text == "Hợp tác xã kiểu mới"
    assert "<script" not in markup


def test_month_ticks_and_values_are_written_the_vietnamese_way() -> None:
    points = _months(1200, 2500, 1234)
    chart = _parse(monthly_chart("c", "Sản lượng", (Line("Lúa", points),), VI))

    texts = _texts(chart)
    assert "01/2025" in texts
    assert "03/2025" in texts
    assert "1.234" in texts  # the last column's direct label
    assert "2.500" in texts  # and the highest one's
    assert any(text.startswith("3.000") for text in texts)  # an axis tick


def test_english_readers_get_english_months() -> None:
    chart = _parse(monthly_chart("c", "Output", (Line("Rice", _months(1, 2)),), EN))

    assert "Jan 2025" in _texts(chart)


def test_several_lines_are_named_by_direct_labels_not_by_colour_alone() -> None:
    lines = (Line("Kiểu mới", _months(2, 4, 6)), Line("Kiểu cũ", _months(9, 8, 7)))
    chart = _parse(monthly_chart("c", "HTX theo mô hình", lines, VI))

    texts = _texts(chart)
    assert "Kiểu mới: 6" in texts
    assert "Kiểu cũ: 7" in texts
    polylines = chart.findall(".//svg:polyline", NS)
    assert len(polylines) == 2
    # Told apart by their dash pattern as well as their colour (printed in grey).
    assert {p.get("stroke-dasharray") for p in polylines} == {None, "6 3"}


def test_percentages_are_written_with_a_comma_and_a_percent_sign() -> None:
    points = ((date(2026, 1, 1), Decimal("45.25")), (date(2026, 2, 1), Decimal("50")))
    chart = _parse(monthly_chart("c", "Tỷ lệ", (Line("Tỷ lệ", points),), VI, percent=True))

    assert "50 %" in _texts(chart)
    assert "100 %" in _texts(chart) or "60 %" in _texts(chart)


def test_a_chart_of_nothing_says_so() -> None:
    chart = _parse(monthly_chart("c", "Trống", (), VI, empty_text="Chưa có số liệu"))

    assert _texts(chart) == ["Chưa có số liệu"]


def test_labels_typed_by_people_are_escaped() -> None:
    name = 'HTX <script>alert("x")</script> & "Đồng"'
    markup = share_bars("s", "Tỷ lệ <b>", (ShareBar(name, 1, 2),), VI)

    assert "<script>" not in markup
    assert "<b>" not in markup
    chart = _parse(markup)
    assert _texts(chart)[0].endswith(name)  # as typed: shown whole, or whole in its title


def test_share_bars_write_the_percentage_and_n_of_N() -> None:
    bars = (ShareBar("Xã Thọ Xuân", 12, 30), ShareBar("Xã Hoằng Hóa", 1234, 2000))
    chart = _parse(share_bars("s", "Tham gia chuỗi", bars, VI))

    texts = _texts(chart)
    assert "40 % · 12/30" in texts
    assert "61,7 % · 1.234/2.000" in texts
    assert "Xã Thọ Xuân" in texts


def test_a_commune_with_no_cooperative_has_no_share_and_no_bar() -> None:
    chart = _parse(share_bars("s", "Tham gia chuỗi", (ShareBar("Xã Mới", 0, 0),), VI))

    assert "— · 0/0" in _texts(chart)
    filled = [r for r in chart.iter(f"{{{NS['svg']}}}rect") if r.get("fill") == "#2e6b3a"]
    assert filled == []


def test_a_long_vietnamese_name_is_cut_to_fit_and_kept_whole_in_its_title() -> None:
    chart = _parse(share_bars("s", "Tham gia chuỗi", (ShareBar(LONG_COMMUNE, 3, 4),), VI))

    name = next(n for n in chart.iter(f"{{{NS['svg']}}}text") if (n.text or "").startswith("Xã"))
    assert name.text is not None
    assert name.text.endswith("…")
    assert len(name.text) * GLYPH_WIDTH <= _view_width(chart)
    tooltip = name.find("svg:title", NS)
    assert tooltip is not None
    assert tooltip.text == LONG_COMMUNE


def test_every_label_of_a_long_monthly_chart_stays_inside_the_box() -> None:
    lines = (
        Line(LONG_COMMUNE, _months(*range(24))),
        Line("Kiểu cũ", _months(*range(24, 0, -1))),
    )
    chart = _parse(monthly_chart("c", "HTX", lines, VI))

    width = _view_width(chart)
    for node in chart.iter(f"{{{NS['svg']}}}text"):
        x, text = float(node.attrib["x"]), node.text or ""
        extent = len(text) * GLYPH_WIDTH
        anchor = node.get("text-anchor")
        left = x - extent if anchor == "end" else x - extent / 2 if anchor == "middle" else x
        assert left >= -1, text
        assert left + extent <= width + 1, text
    months = [text for text in _texts(chart) if "/20" in text]
    assert 2 <= len(months) <= 7  # a tick every few months, not 24 crowded labels


def test_fulfilment_bars_mark_100_percent_and_write_shipped_of_committed() -> None:
    bars = (
        FulfilmentBar("Lúa J02 — Công ty Lộc Trời", Decimal("50"), Decimal("41"), "t"),
        FulfilmentBar("Rau an toàn", Decimal("10"), Decimal("25"), "t"),
        FulfilmentBar("Chưa cam kết", Decimal("0"), Decimal("3"), "t"),
    )
    chart = _parse(fulfilment_bars("f", "Thực hiện hợp đồng", bars, VI))

    texts = _texts(chart)
    assert "100 %" in texts
    assert "82 % · 41/50 t" in texts
    assert "250 % · 25/10 t" in texts
    assert "— · 3/0 t" in texts
    marker = chart.find(".//svg:g[@class='marker']/svg:line", NS)
    assert marker is not None
    assert marker.get("stroke-dasharray") == "3 2"
    # Crossing each bar at the same place, and no row's words.
    for row in chart.iterfind(".//svg:g[@class='bar']", NS):
        crossing, words = row.find("svg:line", NS), row.findall("svg:text", NS)
        assert crossing is not None
        assert crossing.get("x1") == marker.get("x1")
        assert all(float(crossing.attrib["y1"]) > float(w.attrib["y"]) for w in words)
    # A bar beyond the track's end is drawn to its end, not past it.
    shipped = [r for r in chart.iter(f"{{{NS['svg']}}}rect") if r.get("fill") == "#1f4e8c"]
    assert all(
        float(r.attrib["x"]) + float(r.attrib["width"]) <= _view_width(chart) for r in shipped
    )


def test_counts_get_whole_ticks() -> None:
    chart = _parse(monthly_chart("c", "HTX", (Line("HTX", _months(2, 2, 1)),), VI))

    ticks = [text for text in _texts(chart) if text.replace(".", "").isdigit()]
    assert "0,5" not in _texts(chart)
    assert "1,5" not in _texts(chart)
    assert {"0", "1", "2"} <= set(ticks)


def test_a_lines_direct_label_gets_the_room_it_needs() -> None:
    lines = (
        Line("Hợp tác xã kiểu mới", _months(2, 2, 2)),
        Line("Hợp tác xã kiểu cũ", _months(0, 0, 0)),
    )
    chart = _parse(monthly_chart("c", "HTX theo mô hình", lines, VI))

    assert "Hợp tác xã kiểu mới: 2" in _shown(chart)
    assert "Hợp tác xã kiểu cũ: 0" in _shown(chart)
