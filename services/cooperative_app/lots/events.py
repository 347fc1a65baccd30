"""A lot's events in a person's words: what happened, with the one or two facts that matter
(how much, which step, to whom, why), never the identifiers behind them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.i18n.translator import Translator
from shared.readmodels.my_lots import LotDetail, LotEvent


def details(event: LotEvent, lot: LotDetail, t: Translator) -> str:
    """The event's facts as one short line ("" when its name says it all)."""
    p = event.payload
    names = {partner.organisation_id: partner.name for partner in lot.shipments}
    if event.name == "Harvested":
        line = t("lots_detail_harvested", quantity=_quantity(p["quantity"], t),
                 day=t.date(str(p.get("harvested_on", ""))))  # fmt: skip
        if p.get("interval_override"):
            line += " · " + t("lots_detail_override", reason=p["interval_override"])
        return line
    if event.name == "Processed":
        step = t.known("work_step", str(p.get("step", "")))
        return f"{step} → {_quantity(p['quantity_after'], t)}"
    if event.name == "Shipped":
        return t("lots_detail_shipped", name=names.get(str(p.get("to")), "—"))
    if event.name in ("Received", "TransformedOut") and isinstance(
        p.get("quantity") or p.get("quantity_taken"), dict
    ):
        return _quantity(p.get("quantity") or p["quantity_taken"], t)
    if event.name == "Inspected":
        return f"{p.get('lab', '')} · {t.known('lots_result', str(p.get('result', '')))}"
    if event.name in ("Recalled", "Corrected"):
        return str(p.get("reason", ""))
    if event.name == "Sold":
        return t.known("status", str(p.get("outcome", "")))
    return ""


def _quantity(raw: Any, t: Translator) -> str:
    return f"{t.number(Decimal(str(raw['amount'])))} {t.known('work_unit', str(raw['unit']))}"
