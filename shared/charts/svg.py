"""The pieces every chart is drawn with: an SVG root that scales to its container, text that
cannot overflow, numbers and months in the reader's language.

Elements are built with ``xml.etree`` so every label typed by a person (a commune's, a
cooperative's or a chain's name) is escaped by the serializer, never pasted into markup.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from shared.i18n import EN, Translator

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_SIZE = 12
# An average glyph of a system sans-serif at 12 px is at most about 7 px wide (DejaVu Sans, the
# widest of the usual ones; Vietnamese diacritics sit above and below a letter, they do not
# widen it): enough to know where a label must stop.
GLYPH_WIDTH = 7.0
ELLIPSIS = "…"
_MONTH_PATTERN = {EN: "MMM yyyy"}
_VIETNAMESE_MONTH = "MM/yyyy"


def root(chart_id: str, width: int, height: int, title: str, description: str) -> ET.Element:
    """An ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``.

    Its width is the container's (``width="100%"`` over a fixed ``viewBox``), so it fits a
    360 px phone and grows on a desktop; the page's style sheet caps how far.
    """
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "class": "chart",
            "viewBox": f"0 0 {width} {height}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-family": "system-ui, sans-serif",
            "font-size": str(FONT_SIZE),
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description
    return svg


def serialize(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode")


def fitted(text: str, room: float) -> str:
    """``text`` cut to what fits in ``room`` pixels, ending in an ellipsis when cut."""
    most = max(1, int(room // GLYPH_WIDTH))
    if len(text) <= most:
        return text
    return text[: max(1, most - 1)].rstrip() + ELLIPSIS


def label(
    parent: ET.Element,
    x: float,
    y: float,
    text: str,
    *,
    room: float,
    anchor: str = "start",
    weight: str | None = None,
) -> ET.Element:
    """A text label that stays inside ``room`` pixels; when cut, its ``<title>`` holds it whole."""
    shown = fitted(text, room)
    attributes = {"x": _n(x), "y": _n(y), "text-anchor": anchor}
    if weight:
        attributes["font-weight"] = weight
    element = ET.SubElement(parent, "text", attributes)
    element.text = shown
    if shown != text:
        ET.SubElement(element, "title").text = text
    return element


def rect(parent: ET.Element, x: float, y: float, w: float, h: float, **style: str) -> None:
    attributes = {"x": _n(x), "y": _n(y), "width": _n(max(w, 0.0)), "height": _n(h)}
    attributes.update({k.replace("_", "-"): v for k, v in style.items()})
    ET.SubElement(parent, "rect", attributes)


def line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, **style: str) -> None:
    attributes = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2)}
    attributes.update({k.replace("_", "-"): v for k, v in style.items()})
    ET.SubElement(parent, "line", attributes)


def number(t: Translator, value: Decimal | int | float) -> str:
    """``1.234,5`` in Vietnamese; at most one decimal, as a chart has room for."""
    if isinstance(value, int):
        return t.number(value)
    rounded = Decimal(str(value)).quantize(Decimal("0.1"))
    return t.number(rounded.normalize() if rounded == rounded.to_integral() else rounded)


def percent(t: Translator, value: Decimal | float | None) -> str:
    return "—" if value is None else f"{number(t, value)} %"


def month(t: Translator, day: date) -> str:
    """``03/2026`` in Vietnamese, ``Mar 2026`` in English."""
    return format_date(day, _MONTH_PATTERN.get(t.lang, _VIETNAMESE_MONTH), locale=t.lang)


def nice_ticks(highest: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round axis ticks from 0 to at least ``highest``: steps of 1, 2, 2.5 or 5 times 10^k;
    ``whole`` (counts of things) never steps by less than one, nor by 2.5."""
    if highest <= 0:
        return [0.0, 1.0]
    raw = highest / count
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    if whole:
        step = max(1.0, round(step))
    top = math.ceil(highest / step - 1e-9) * step
    ticks: list[float] = []
    value = 0.0
    while value <= top + step / 1000:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _n(value: float) -> str:
    """Coordinates to one decimal: shorter markup, no visible difference."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
