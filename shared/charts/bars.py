"""Horizontal bars: a share for each commune (or chain, or sector), and contracts' fulfilment.

Each bar sits under its own name, on a track drawn to 100 %, with the value written at the
right of the name's line ("45,3 % · 12/30"): the number is always text, the bar only shows
it. A name too long for a phone is cut with an ellipsis and kept whole in its ``<title>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from shared.charts import svg
from shared.i18n import Translator

WIDTH = 340
ROW = 38  # a name's line, then its bar
BAR = 14
LEFT = 4
FILL = "#2e6b3a"
SHIPPED_FILL = "#1f4e8c"
TRACK = "#eef4ea"
TRACK_EDGE = "#4f5e53"
MARKER = {"stroke": "#1c2a1e", "stroke_width": "1.5", "stroke_dasharray": "3 2"}
FULFILMENT_SCALE = 150.0  # a track from 0 to 150 % of what was committed; more is shown as ≥


@dataclass(frozen=True)
class ShareBar:
    """A part of a whole: ``numerator`` of ``denominator`` (a zero whole has no share)."""

    label: str
    numerator: int | Decimal
    denominator: int | Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return Decimal(self.numerator) * 100 / Decimal(self.denominator)


@dataclass(frozen=True)
class FulfilmentBar:
    """What a contract (or a chain's contracts) committed, and what was shipped under it."""

    label: str
    committed: Decimal | int
    shipped: Decimal | int
    unit: str = ""  # e.g. "t", already in the reader's language

    @property
    def percent(self) -> Decimal | None:
        if not self.committed:
            return None
        return Decimal(self.shipped) * 100 / Decimal(self.committed)


def share_bars(
    chart_id: str, title: str, bars: tuple[ShareBar, ...], t: Translator, *, empty_text: str = ""
) -> str:
    """One bar for each share, the percentage and "n/N" written beside it."""
    height = max(1, len(bars)) * ROW + 8
    lines = [f"{bar.label}: {_share_text(t, bar)}" for bar in bars]
    chart = svg.root(chart_id, WIDTH, height, title, ". ".join([title, *lines]))
    if not bars:
        svg.label(chart, WIDTH / 2, height / 2 + 4, empty_text, room=WIDTH - 20, anchor="middle")
        return svg.serialize(chart)
    track = WIDTH - LEFT * 2
    for index, bar in enumerate(bars):
        top = index * ROW + 4
        row = ET.SubElement(chart, "g", {"class": "bar"})
        _name_and_value(row, top, bar.label, _share_text(t, bar))
        y = top + 18
        svg.rect(row, LEFT, y, track, BAR, fill=TRACK, stroke=TRACK_EDGE, stroke_width="0.5")
        share = bar.percent
        if share is not None:
            svg.rect(row, LEFT, y, track * min(float(share), 100.0) / 100, BAR, fill=FILL)
    return svg.serialize(chart)


def fulfilment_bars(
    chart_id: str,
    title: str,
    bars: tuple[FulfilmentBar, ...],
    t: Translator,
    *,
    empty_text: str = "",
) -> str:
    """Shipped against committed, per contract or chain, with a marked 100 % line."""
    height = max(1, len(bars)) * ROW + 24
    lines = [f"{bar.label}: {_fulfilment_text(t, bar)}" for bar in bars]
    chart = svg.root(chart_id, WIDTH, height, title, ". ".join([title, *lines]))
    if not bars:
        svg.label(chart, WIDTH / 2, height / 2 + 4, empty_text, room=WIDTH - 20, anchor="middle")
        return svg.serialize(chart)
    track = WIDTH - LEFT * 2
    hundred = LEFT + track * 100 / FULFILMENT_SCALE
    for index, bar in enumerate(bars):
        top = index * ROW + 20
        row = ET.SubElement(chart, "g", {"class": "bar"})
        _name_and_value(row, top, bar.label, _fulfilment_text(t, bar))
        y = top + 18
        svg.rect(row, LEFT, y, track, BAR, fill=TRACK, stroke=TRACK_EDGE, stroke_width="0.5")
        share = bar.percent
        if share is not None:
            length = track * min(float(share), FULFILMENT_SCALE) / FULFILMENT_SCALE
            svg.rect(row, LEFT, y, length, BAR, fill=SHIPPED_FILL)
        # The 100 % marker crosses each bar, not the words above it.
        svg.line(row, hundred, y - 3, hundred, y + BAR + 3, **MARKER)
    marker = ET.SubElement(chart, "g", {"class": "marker"})
    svg.line(marker, hundred, 13, hundred, 18, **MARKER)
    svg.label(marker, hundred, 11, "100 %", room=60, anchor="middle", weight="700")
    return svg.serialize(chart)


def _name_and_value(row: ET.Element, top: float, name: str, value: str) -> None:
    """The name at the left, cut to leave room for the value, which is never cut."""
    value_width = len(value) * svg.GLYPH_WIDTH
    svg.label(row, LEFT, top + 12, name, room=WIDTH - LEFT * 2 - value_width - 8)
    svg.label(row, WIDTH - LEFT, top + 12, value, room=WIDTH, anchor="end", weight="700")


def _share_text(t: Translator, bar: ShareBar) -> str:
    whole = f"{svg.number(t, bar.numerator)}/{svg.number(t, bar.denominator)}"
    return f"{svg.percent(t, bar.percent)} · {whole}"


def _fulfilment_text(t: Translator, bar: FulfilmentBar) -> str:
    unit = f" {bar.unit}" if bar.unit else ""
    return (
        f"{svg.percent(t, bar.percent)} · "
        f"{svg.number(t, bar.shipped)}/{svg.number(t, bar.committed)}{unit}"
    )
