"""A trace's mass balance as one stacked bar: where what was produced is now.

What was produced at the chain's roots (and taken in from outside it) splits into what is on
hand, on the road, sold, given outside the chain, recovered under a recall, lost in processing
and unaccounted for; shipped and received are flows through the chain, not parts of it, so the page
states them as numbers only. The denominator (produced) is written at the bar's end, every part's
figure beside its colour; the same figures are in the page's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.charts import svg
from shared.i18n import Translator
from shared.trace.balance import MassBalance

WIDTH = 340
BAR_TOP, BAR_H = 28, 22
ROW = 20


@dataclass(frozen=True)
class _Part:
    key: str
    value: Decimal
    colour: str


def balance_picture(balance: MassBalance, t: Translator) -> str:
    every = (
        _Part("trace_balance_on_hand", balance.on_hand, "#2e6b3a"),
        _Part("trace_balance_on_road", balance.on_road, "#56b4e9"),
        _Part("trace_balance_sold", balance.sold, "#1f4e8c"),
        _Part("trace_balance_left", balance.left, "#cc79a7"),
        _Part("trace_balance_recovered", balance.recovered, "#4f5e53"),
        _Part("trace_balance_lost", balance.lost_in_processing, "#8a6a00"),
        _Part("trace_balance_unaccounted", balance.unaccounted, "#b00020"),
    )
    # The four every chain has are always listed; the others only when there are some.
    always = {"trace_balance_on_hand", "trace_balance_sold", "trace_balance_lost"}
    always.add("trace_balance_unaccounted")
    parts = tuple(part for part in every if part.key in always or part.value)
    unit = t.known("work_unit", balance.unit)
    height = BAR_TOP + BAR_H + 12 + ROW * len(parts)
    title = t("trace_balance_title")
    description = t("trace_balance_desc", produced=svg.number(t, balance.produced), unit=unit)
    root = svg.root("trace-balance", WIDTH, height, title, description)
    svg.label(root, 4, 16, description, room=WIDTH - 8, weight="bold")
    # produced + entered = every part (shared.trace.balance): the bar's whole.
    whole = balance.produced + balance.entered
    svg.rect(root, 4, BAR_TOP, WIDTH - 8, BAR_H, fill="#eef4ea", stroke="#4f5e53")
    x = 4.0
    for part in parts:
        if whole > 0 and part.value > 0:
            w = float(min(part.value / whole, Decimal(1))) * (WIDTH - 8)
            w = min(w, WIDTH - 4 - x)
            svg.rect(root, x, BAR_TOP, w, BAR_H, fill=part.colour)
            x += w
    for i, part in enumerate(parts):
        y = BAR_TOP + BAR_H + 12 + i * ROW
        svg.rect(root, 4, y, 12, 12, fill=part.colour)
        share = svg.percent(t, part.value * 100 / whole if whole > 0 else None)
        said = f"{t(part.key)}: {svg.number(t, part.value)} {unit} ({share})"
        svg.label(root, 22, y + 11, said, room=WIDTH - 26)
    return svg.serialize(root)
