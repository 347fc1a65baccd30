"""Timeline steps: one public line per event of the journey, with the organisation that acted.

Each summary is an allow-list of public facts. Nothing here copies a payload wholesale: no
transport document, no quantities of other batches, no prices, no household references.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shared.readmodels.documents import OrganisationRef, TimelineStep
from shared.readmodels.events import BatchEvent
from shared.readmodels.snapshot import Organisation

Summary = Callable[[dict[str, Any], Mapping[str, Organisation]], dict[str, str]]

KINDS = {
    "Harvested": "harvested",
    "Produced": "transformed",
    "Processed": "processed",
    "TransformedOut": "transformed",
    "Shipped": "shipped",
    "Received": "received",
    "Inspected": "inspected",
    "Certified": "certified",
    "Labelled": "labelled",
    "Recalled": "recalled",
    "Corrected": "corrected",
}


def _public(**values: Any) -> dict[str, str]:
    return {k: str(v) for k, v in values.items() if v not in (None, "", [])}


def _harvested(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(
        commodity=p.get("commodity"), variety=p.get("variety"), harvested_on=p.get("harvested_on")
    )


def _produced(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    sources = ", ".join(str(parent["code"]) for parent in p.get("parents") or [])
    return _public(
        step=p.get("step"),
        code=p.get("code"),
        commodity=p.get("commodity"),
        variety=p.get("variety"),
        sources=sources,
    )


def _processed(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(
        step=p.get("step"), facility=p.get("facility"), commodity=p.get("commodity_after")
    )


def _transformed_out(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(into=", ".join(str(c) for c in p.get("output_codes") or []))


def _shipped(p: dict[str, Any], organisations: Mapping[str, Organisation]) -> dict[str, str]:
    to = organisations.get(str(p.get("to")))
    return _public(to=to.name if to else None)


def _inspected(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(lab=p.get("lab"), result=p.get("result"))


def _certified(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(
        scheme=p.get("scheme"),
        certificate=p.get("certificate"),
        valid_from=p.get("valid_from"),
        valid_until=p.get("valid_until"),
    )


def _labelled(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(gtin=p.get("gtin"), lot=p.get("lot"))


def _recalled(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    return _public(reason=p.get("reason"), by=None if p.get("by") else "province")


def _corrected(p: dict[str, Any], _: Mapping[str, Organisation]) -> dict[str, str]:
    # Which facts were corrected, not their values: a correction may touch private fields.
    fields = sorted(p.get("changes") or {}) + (["quantity"] if p.get("quantity") else [])
    return _public(
        reason=p.get("reason"), amends_version=p.get("amends_version"), fields=", ".join(fields)
    )


def _nothing(_: dict[str, Any], __: Mapping[str, Organisation]) -> dict[str, str]:
    return {}


SUMMARIES: dict[str, Summary] = {
    "Harvested": _harvested,
    "Produced": _produced,
    "Processed": _processed,
    "TransformedOut": _transformed_out,
    "Shipped": _shipped,
    "Received": _nothing,
    "Inspected": _inspected,
    "Certified": _certified,
    "Labelled": _labelled,
    "Recalled": _recalled,
    "Sold": _nothing,
    "Corrected": _corrected,
}


def actor_id(event: BatchEvent) -> str | None:
    """Who acted: the harvester or producer for created events, ``by`` for the others."""
    value = event.payload.get("holder_id") if event.name in ("Harvested", "Produced") else None
    value = value or event.payload.get("by")
    return str(value) if value else None


def step(
    event: BatchEvent, code: str, organisations: Mapping[str, Organisation], *, own: bool
) -> TimelineStep | None:
    """The public line for ``event`` of the batch ``code``; None for what is not shown.

    An ancestor's ``TransformedOut`` is not shown: the ``Produced`` step of the batch it fed
    tells the same moment from the receiving side.
    """
    summary = SUMMARIES.get(event.name)
    if summary is None or (event.name == "TransformedOut" and not own):
        return None
    kind = str(event.payload.get("outcome")) if event.name == "Sold" else KINDS[event.name]
    acted = actor_id(event)
    organisation: OrganisationRef | None = None
    if acted and acted in organisations:
        organisation = organisations[acted].reference
    return TimelineStep(
        at=event.at,
        kind=kind,
        batch_code=code,
        organisation=organisation,
        summary=summary(event.payload, organisations),
    )
