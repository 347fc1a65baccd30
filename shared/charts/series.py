"""Values month by month: columns for one series, lines for several.

Several lines are told apart by their dash pattern and marker as well as their colour, and each
is named by a direct label at its last point (no legend to match colours against), so the chart
reads the same printed in black and white.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.charts import svg
from shared.i18n import Translator

WIDTH = 360
HEIGHT = 240
TOP = 16
BOTTOM = 34  # room for the month ticks
LEFT = 46  # room for the value ticks
MOST_END_LABEL = 0.45  # of the width: the direct labels of several lines, at most
MOST_MONTH_TICKS = 6
# Ink that prints distinguishably in grey, with a pattern for each line besides its colour.
STROKES = ("#2e6b3a", "#8a4b00", "#1f4e8c", "#6b2e6b", "#4f5e53")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")
COLUMN_FILL = "#2e6b3a"
GRID = "#cfd9cb"


@dataclass(frozen=True)
class Line:
    """One series: its name in the reader's language and its (month, value) points."""

    label: str
    points: tuple[tuple[date, int | Decimal], ...]


def monthly_chart(
    chart_id: str,
    title: str,
    lines: tuple[Line, ...],
    t: Translator,
    *,
    percent: bool = False,
    empty_text: str = "",
) -> str:
    """An SVG of ``lines`` over their months; ``percent`` writes values as ``45,3 %``."""
    months = sorted({day for one in lines for day, _ in one.points})
    description = _description(title, lines, t, percent)
    chart = svg.root(chart_id, WIDTH, HEIGHT, title, description)
    if not months:
        svg.label(chart, WIDTH / 2, HEIGHT / 2, empty_text, room=WIDTH - 20, anchor="middle")
        return svg.serialize(chart)
    several = len(lines) > 1
    right = WIDTH - (_end_room(lines, t, percent) if several else 12)
    bottom = HEIGHT - BOTTOM
    highest = max(float(value) for one in lines for _, value in one.points)
    counts = all(isinstance(value, int) for one in lines for _, value in one.points)
    top = max(highest, 100.0 if percent and highest > 90 else highest)
    ticks = svg.nice_ticks(top, whole=counts)
    top_value = ticks[-1]

    def x_of(index: int) -> float:
        if len(months) == 1:
            return (LEFT + right) / 2
        return LEFT + slot / 2 + index * slot

    slot = (right - LEFT) / len(months)

    def y_of(value: float) -> float:
        return bottom - (value / top_value) * (bottom - TOP) if top_value else bottom

    _axes(chart, t, ticks, y_of, right, percent)
    _month_ticks(chart, t, months, x_of, bottom, slot, right)
    index_of = {day: i for i, day in enumerate(months)}
    if several:
        _lines(chart, t, lines, index_of, x_of, y_of, right, percent)
    else:
        _columns(chart, t, lines[0], index_of, x_of, y_of, slot, bottom, percent)
    return svg.serialize(chart)


def _end_room(lines: tuple[Line, ...], t: Translator, percent: bool) -> float:
    """Room at the right for "name: last value" of each line, up to a share of the width."""
    widest = 0
    for one in lines:
        if one.points:
            value = sorted(one.points)[-1][1]
            shown = svg.percent(t, value) if percent else svg.number(t, value)
            widest = max(widest, len(f"{one.label}: {shown}"))
    return min(widest * svg.GLYPH_WIDTH + 10, WIDTH * MOST_END_LABEL)


def _description(title: str, lines: tuple[Line, ...], t: Translator, percent: bool) -> str:
    """What a screen reader hears: each line's span of months and its last value."""
    parts = [title]
    for one in lines:
        if not one.points:
            continue
        ordered = sorted(one.points)
        first, last = ordered[0], ordered[-1]
        value = svg.percent(t, last[1]) if percent else svg.number(t, last[1])
        parts.append(
            f"{one.label}: {svg.month(t, first[0])} – {svg.month(t, last[0])}, "
            f"{svg.month(t, last[0])}: {value}"
        )
    return ". ".join(parts)


def _axes(
    chart: ET.Element,
    t: Translator,
    ticks: list[float],
    y_of: Callable[[float], float],
    right: float,
    percent: bool,
) -> None:
    axis = ET.SubElement(chart, "g", {"class": "axis", "aria-hidden": "true"})
    for tick in ticks:
        y = y_of(tick)
        svg.line(axis, LEFT, y, right, y, stroke=GRID, stroke_width="1")
        text = svg.percent(t, tick) if percent else svg.number(t, tick)
        svg.label(axis, LEFT - 4, y + 4, text, room=LEFT - 4, anchor="end")


def _month_ticks(
    chart: ET.Element,
    t: Translator,
    months: list[date],
    x_of: Callable[[int], float],
    bottom: float,
    slot: float,
    right: float,
) -> None:
    group = ET.SubElement(chart, "g", {"class": "months", "aria-hidden": "true"})
    widest = max(len(svg.month(t, day)) for day in months) * svg.GLYPH_WIDTH + 10
    # As few ticks as leave each month's name room enough, and never more than six.
    every = max(1, -(-len(months) // MOST_MONTH_TICKS), math.ceil(widest / slot))
    room = max(slot * every, widest)
    # Counted back from the last month, so the latest one (the one people ask about) is named.
    for index in range(len(months) - 1, -1, -every):
        svg.label(
            group, x_of(index), bottom + 16, svg.month(t, months[index]), room=room, anchor="middle"
        )
    # The baseline ends where the plot does: the direct labels to its right stay clear of it.
    svg.line(group, LEFT, bottom, right, bottom, stroke="#1c2a1e", stroke_width="1")


def _columns(
    chart: ET.Element,
    t: Translator,
    one: Line,
    index_of: dict[date, int],
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    slot: float,
    bottom: float,
    percent: bool,
) -> None:
    group = ET.SubElement(chart, "g", {"class": "columns"})
    width = max(2.0, slot * 0.7)
    ordered = sorted(one.points)
    for day, value in ordered:
        y = y_of(float(value))
        svg.rect(group, x_of(index_of[day]) - width / 2, y, width, bottom - y, fill=COLUMN_FILL)
    # Direct labels on the last and the highest column: the values people ask about.
    last_day, last_value = ordered[-1]
    highest_day, highest_value = max(ordered, key=lambda point: (point[1], point[0]))
    for day, value in {last_day: last_value, highest_day: highest_value}.items():
        text = svg.percent(t, value) if percent else svg.number(t, value)
        x = min(max(x_of(index_of[day]), LEFT + 20), WIDTH - 30)
        svg.label(group, x, y_of(float(value)) - 4, text, room=60, anchor="middle", weight="700")


def _lines(
    chart: ET.Element,
    t: Translator,
    lines: tuple[Line, ...],
    index_of: dict[date, int],
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    right: float,
    percent: bool,
) -> None:
    ends: list[tuple[float, str]] = []
    for number, one in enumerate(lines):
        if not one.points:
            continue
        stroke = STROKES[number % len(STROKES)]
        dash = DASHES[number % len(DASHES)]
        ordered = sorted(one.points)
        points = [(x_of(index_of[day]), y_of(float(value))) for day, value in ordered]
        group = ET.SubElement(chart, "g", {"class": "line"})
        style = {"fill": "none", "stroke": stroke, "stroke-width": "2"}
        if dash:
            style["stroke-dasharray"] = dash
        ET.SubElement(
            group, "polyline", {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points), **style}
        )
        for x, y in points:
            _marker(group, number, x, y, stroke)
        value = ordered[-1][1]
        text = f"{one.label}: {svg.percent(t, value) if percent else svg.number(t, value)}"
        ends.append((points[-1][1], text))
    # Direct labels at the right edge, pushed apart so none overlaps another.
    ends.sort()
    placed: list[float] = []
    for end, _text in ends:
        placed.append(max(end + 4, (placed[-1] + 14) if placed else TOP))
    for (_y, text), y in zip(ends, placed, strict=True):
        svg.label(chart, right + 6, min(y, HEIGHT - BOTTOM), text, room=WIDTH - right - 8)


def _marker(group: ET.Element, number: int, x: float, y: float, stroke: str) -> None:
    """A circle, square, triangle or diamond: each line its own shape besides its colour."""
    shape = number % 4
    if shape == 0:
        ET.SubElement(
            group, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "3", "fill": stroke}
        )
    elif shape == 1:
        svg.rect(group, x - 3, y - 3, 6, 6, fill=stroke)
    else:
        if shape == 2:
            corners = [(x, y - 4), (x + 4, y + 3), (x - 4, y + 3)]
        else:
            corners = [(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)]
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)
        ET.SubElement(group, "polygon", {"points": points, "fill": stroke})
