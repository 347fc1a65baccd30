"""Charts drawn on the server as SVG: monthly series, shares by commune, contracts' fulfilment.

Pure functions from plain data (names already in the reader's language, numbers, months) and a
``Translator`` (for ``1.234,5`` and ``03/2026``) to an ``<svg>`` string; no database, no
JavaScript. Every chart is an image named by its ``<title>`` (``role="img"``), scales to its
container's width over a fixed ``viewBox`` (a 360 px phone included), says its numbers in text
rather than by colour alone, and escapes every label. Pages put the same numbers in a table
beside the chart.
"""

from shared.charts.bars import FulfilmentBar, ShareBar, fulfilment_bars, share_bars
from shared.charts.series import Line, monthly_chart

__all__ = [
    "FulfilmentBar",
    "Line",
    "ShareBar",
    "fulfilment_bars",
    "monthly_chart",
    "share_bars",
]
