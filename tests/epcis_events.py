"""Builders of the EPCIS 2.0 events a trading partner sends (JSON-LD compact form, as GS1's
examples write them), for the capture tests."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from shared.domain import clock, identifiers
from shared.epcis import identifiers as uris

_serial = itertools.count(1)


def a_gln() -> str:
    body = f"893{next(_serial):09d}"
    return body + str(identifiers.check_digit(body))


def a_partner_class() -> str:
    """A partner's own lot class, as its system names lots."""
    return f"urn:acme:lot:{next(_serial)}"


def days_ago(days: float) -> datetime:
    return clock.now() - timedelta(days=days)


def _time(at: datetime) -> str:
    return clock.in_vietnam(at).isoformat(timespec="milliseconds")


def _element(epc_class: str, amount: float | None, uom: str | None = "KGM") -> dict[str, Any]:
    element: dict[str, Any] = {"epcClass": epc_class}
    if amount is not None:
        element["quantity"] = amount
    if uom is not None and amount is not None:
        element["uom"] = uom
    return element


def harvest_event(
    epc_class: str, plot_gln: str, at: datetime, amount: float = 1000, **ilmd: Any
) -> dict[str, Any]:
    where = {"id": uris.location(plot_gln)}
    return {
        "type": "ObjectEvent",
        "eventTime": _time(at),
        "eventTimeZoneOffset": "+07:00",
        "epcList": [],
        "quantityList": [_element(epc_class, amount)],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": where,
        "bizLocation": where,
        "ilmd": {"nguon:commodity": "rice", "nguon:variety": "Nếp cái hoa vàng", **ilmd},
    }


def observe_event(
    epc_class: str,
    at: datetime,
    biz_step: str,
    *,
    where_gln: str | None = None,
    amount: float | None = None,
    disposition: str | None = None,
    extensions: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": _time(at),
        "eventTimeZoneOffset": "+07:00",
        "epcList": [],
        "quantityList": [_element(epc_class, amount)],
        "action": "OBSERVE",
        "bizStep": biz_step,
    }
    if disposition is not None:
        event["disposition"] = disposition
    if where_gln is not None:
        event["readPoint"] = {"id": uris.location(where_gln)}
    event.update(extra)
    event.update(extensions or {})
    return event


def shipping_event(
    epc_class: str, at: datetime, *, sender_gln: str, receiver_gln: str, amount: float | None = None
) -> dict[str, Any]:
    receiver = uris.party(receiver_gln)
    return observe_event(
        epc_class,
        at,
        "shipping",
        where_gln=sender_gln,
        amount=amount,
        disposition="in_transit",
        destinationList=[
            {"type": "owning_party", "destination": receiver},
            {"type": "possessing_party", "destination": receiver},
        ],
        bizTransactionList=[{"type": "bol", "bizTransaction": "urn:acme:bol:VD-0042"}],
    )


def receiving_event(epc_class: str, at: datetime, *, gln: str, amount: float) -> dict[str, Any]:
    return observe_event(
        epc_class, at, "receiving", where_gln=gln, amount=amount, disposition="in_progress"
    )


def transformation_event(
    inputs: list[tuple[str, float]],
    output: tuple[str, float],
    at: datetime,
    *,
    gln: str,
    transformation_id: str,
    step: str = "milling",
    commodity: str = "rice",
) -> dict[str, Any]:
    where = {"id": uris.location(gln)}
    return {
        "type": "TransformationEvent",
        "eventTime": _time(at),
        "eventTimeZoneOffset": "+07:00",
        "inputQuantityList": [_element(c, amount) for c, amount in inputs],
        "outputQuantityList": [_element(*output)],
        "transformationID": transformation_id,
        "bizStep": "other",
        "disposition": "active",
        "readPoint": where,
        "bizLocation": where,
        "ilmd": {"nguon:commodity": commodity},
        "nguon:step": step,
    }


def labelling_event(
    epc_class: str, at: datetime, *, gln: str, gtin14: str, lot: str, labels: int = 200
) -> dict[str, Any]:
    where = {"id": uris.location(gln)}
    return {
        "type": "TransformationEvent",
        "eventTime": _time(at),
        "eventTimeZoneOffset": "+07:00",
        "inputQuantityList": [{"epcClass": epc_class}],
        "outputQuantityList": [{"epcClass": uris.lot_class(gtin14, lot)}],
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": where,
        "bizLocation": where,
        "nguon:labelsIssued": labels,
    }
