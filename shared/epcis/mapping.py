"""One domain envelope to its EPCIS 2.0 events: the mapping, versioned.

The projection (:mod:`shared.readmodels.units.epcis`) keeps the facts a mapping needs (which
identifier a batch has, which party and location an organisation or plot is) and hands them over
as a :class:`MappingContext`; the mapping itself is a pure function, pinned by golden files
(``tests/golden/epcis/``). Over ~300 lines: one small mapper per domain event, kept together so
the table in docs/epcis.md can be read against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import quote

from shared.epcis import identifiers, vocabulary
from shared.wire.envelope import Envelope

# Bumped whenever any event's EPCIS form changes: its eventID (a hash of that form) changes with
# it, and the projection keeps the ids exported under earlier versions resolving.
MAPPING_VERSION = 1


@dataclass(frozen=True)
class BatchRef:
    """What EPCIS names a batch by, as it stood when the event happened."""

    batch_id: str
    code: str
    epc_class: str  # a GS1 Digital Link URI once labelled, else the platform's own URI
    unit: str  # the domain unit of its quantities (kg, t, L, piece, bundle)


@dataclass(frozen=True)
class Place:
    """A party or a location: its URI (GLN-based where registered) and geography if known."""

    uri: str
    geo: dict[str, Any] | None = None  # GeoJSON, WGS84


class MappingContext(Protocol):
    """The master data a mapping reads, each as it stood at the event's position."""

    def batch(self, batch_id: str) -> BatchRef | None: ...

    def party(self, organisation_id: str) -> Place: ...

    def location_of_organisation(self, organisation_id: str) -> Place: ...

    def plot(self, plot_id: str) -> Place: ...

    def amended(self, batch_id: str, version: int) -> Envelope | None:
        """The facts of the batch event a correction recorded here amends, as they stand:
        another correction of it recorded earlier stands in its place (see ``corrected_facts``)."""
        ...


@dataclass(frozen=True)
class MappedEvent:
    """One EPCIS event (a JSON object, without ``eventID``) and what the query interface indexes."""

    event: dict[str, Any]
    # The batches it concerns, for who may read it: the event's own batch first, then (for a
    # TransformationEvent that made it) the batches it was made from, as its inputs list them.
    batch_ids: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    def lots(self) -> list[tuple[str, str]]:
        """Which batch each epcClass of its quantity lists names, as (batch id, epcClass)."""
        [own, *inputs] = self.batch_ids
        if not inputs:  # one batch: every class names it (Labelled names it twice)
            return sorted({(own, q["epcClass"]) for q in _quantities(self.event)})
        made_from = zip(inputs, self.event["inputQuantityList"], strict=True)
        made = self.event["outputQuantityList"]
        return sorted(
            {(b, q["epcClass"]) for b, q in made_from} | {(own, q["epcClass"]) for q in made}
        )


_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def _quantities(event: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for name in _QUANTITY_LISTS for q in event.get(name, [])]


def map_envelope(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    """The EPCIS events of one domain event, in order; ``[]`` for master data and the rest."""
    mapper = _MAPPERS.get(envelope.type)
    return mapper(envelope, context) if mapper else []


# Batch events that map to nothing, and why (docs/epcis.md says the same).
UNMAPPED = {
    # Its facts are in the Produced events of the same transformation, which list every input
    # with the amount it gave: one TransformationEvent per output, sharing a transformationID.
    "Batch.TransformedOut": "in the outputs' TransformationEvents",
    # A message between organisations about a recall, not something that happened to the goods.
    "Batch.RecallAcknowledged": "a message, not an event of the goods",
}

_Mapper = Callable[[Envelope, MappingContext], list[MappedEvent]]
_EAST = timezone(timedelta(hours=7))


def _time(at: str) -> str:
    """``at`` (UTC) as Vietnam's wall-clock time with its offset, to the millisecond."""
    moment = datetime.fromisoformat(at).astimezone(_EAST)
    return moment.isoformat(timespec="milliseconds")


def _number(amount: str) -> int | float:
    value = Decimal(amount)
    return int(value) if value == value.to_integral_value() else float(value)


def _quantity(epc_class: str, amount: str | None, unit: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"epcClass": epc_class}
    if amount is not None and unit is not None:
        element["quantity"] = _number(amount)
        element["uom"] = vocabulary.UOM[unit]
    return element


def _class_of(envelope: Envelope, context: MappingContext) -> str:
    found = context.batch(envelope.aggregate_id)
    if found is not None:
        return found.epc_class
    # Only a batch's own creation precedes its first event, so this is that event (Harvested,
    # Produced) or a batch the projection never saw created: named by its code or its id.
    return identifiers.batch_class(envelope.payload.get("code") or envelope.aggregate_id)


def _base(envelope: Envelope, kind: str, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "eventTime": _time(envelope.payload["at"]),
        "eventTimeZoneOffset": vocabulary.VIETNAM_OFFSET,
    }
    event.update({k: v for k, v in fields.items() if v is not None})
    return event


def _observe(
    envelope: Envelope,
    context: MappingContext,
    *,
    biz_step: str,
    disposition: str | None,
    quantity: dict[str, Any] | None = None,
    where: str | None = None,
    **extra: Any,
) -> list[MappedEvent]:
    p = envelope.payload
    epc_class = _class_of(envelope, context)
    amount = (quantity or {}).get("amount")
    unit = (quantity or {}).get("unit")
    place = where or p.get("by")
    event = _base(
        envelope,
        "ObjectEvent",
        epcList=[],
        quantityList=[_quantity(epc_class, amount, unit)],
        action="OBSERVE",
        bizStep=biz_step,
        disposition=disposition,
        readPoint=_point(context, place),
        bizLocation=_point(context, place),
    )
    event.update({f"nguon:{k}": v for k, v in extra.items() if v is not None})
    return [MappedEvent(event, (envelope.aggregate_id,))]


def _point(context: MappingContext, organisation_id: str | None) -> dict[str, str] | None:
    if organisation_id is None:
        return None
    return {"id": context.location_of_organisation(organisation_id).uri}


def _harvested(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    epc_class = identifiers.batch_class(p["code"])
    plots = [context.plot(plot_id).uri for plot_id in p["plot_ids"]]
    where = {"id": plots[0]} if plots else _point(context, p["holder_id"])
    ilmd = {
        "cbvmda:lotNumber": p["code"],
        "cbvmda:countryOfOrigin": "VN",
        "cbvmda:harvestStartDate": p["harvested_on"],
        "cbvmda:harvestEndDate": p["harvested_on"],
        "nguon:commodity": p["commodity"],
        "nguon:variety": p["variety"],
        "nguon:plots": plots,
        "nguon:valueChains": [f"urn:uuid:{c}" for c in p["value_chain_ids"]],
    }
    event = _base(
        envelope,
        "ObjectEvent",
        epcList=[],
        quantityList=[_quantity(epc_class, p["quantity"]["amount"], p["quantity"]["unit"])],
        action="ADD",
        bizStep="commissioning",
        disposition="active",
        readPoint=where,
        bizLocation=where,
        ilmd={k: v for k, v in ilmd.items() if v is not None},
    )
    event["nguon:owner"] = context.party(p["holder_id"]).uri
    return [MappedEvent(event, (envelope.aggregate_id,))]


def _produced(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    inputs = []
    for parent in p["parents"]:
        known = context.batch(parent["batch_id"])
        parent_class = known.epc_class if known else identifiers.batch_class(parent["code"])
        inputs.append(_quantity(parent_class, parent["amount"], parent["unit"]))
    output = identifiers.batch_class(p["code"])
    step = p["step"]
    event = _base(
        envelope,
        "TransformationEvent",
        inputQuantityList=inputs,
        outputQuantityList=[_quantity(output, p["quantity"]["amount"], p["quantity"]["unit"])],
        transformationID=identifiers.TRANSFORMATION + p["transformation_id"],
        bizStep=vocabulary.PROCESSING_STEPS.get(step, vocabulary.OTHER) if step else None,
        disposition="active",
        readPoint=_point(context, p["holder_id"]),
        bizLocation=_point(context, p["holder_id"]),
        ilmd={
            "cbvmda:lotNumber": p["code"],
            "nguon:commodity": p["commodity"],
            **({"nguon:variety": p["variety"]} if p["variety"] else {}),
        },
    )
    if step:
        event["nguon:step"] = step
    parents = tuple(parent["batch_id"] for parent in p["parents"])
    return [MappedEvent(event, (envelope.aggregate_id, *parents))]


def _processed(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    step = p["step"]
    return _observe(
        envelope,
        context,
        biz_step=vocabulary.PROCESSING_STEPS.get(step, vocabulary.OTHER),
        disposition="active",
        quantity=p["quantity_after"],
        step=step,
        facility=p["facility"],
        commodityAfter=p["commodity_after"],
    )


def _shipped(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    [mapped] = _observe(
        envelope, context, biz_step="shipping", disposition="in_transit", quantity=p["quantity"]
    )
    event = dict(mapped.event)
    sender, receiver = context.party(p["by"]).uri, context.party(p["to"]).uri
    event.pop("bizLocation")  # on its way: no longer at the sender's, not yet at the receiver's
    event["sourceList"] = [
        {"type": "owning_party", "source": sender},
        {"type": "possessing_party", "source": sender},
    ]
    event["destinationList"] = [
        {"type": "owning_party", "destination": receiver},
        {"type": "possessing_party", "destination": receiver},
    ]
    if p["transport_document"]:
        document = "urn:nguon:transport-document:" + quote(p["transport_document"], safe="")
        event["bizTransactionList"] = [{"type": "bol", "bizTransaction": document}]
    return [MappedEvent(event, mapped.batch_ids)]


def _received(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    [mapped] = _observe(
        envelope, context, biz_step="receiving", disposition="in_progress", quantity=p["quantity"]
    )
    event = dict(mapped.event)
    receiver = context.party(p["by"]).uri
    event["destinationList"] = [
        {"type": "owning_party", "destination": receiver},
        {"type": "possessing_party", "destination": receiver},
    ]
    return [MappedEvent(event, mapped.batch_ids)]


def _inspected(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    return _observe(
        envelope,
        context,
        biz_step="inspecting",
        disposition="conformant" if p["result"] == "pass" else "non_conformant",
        lab=p["lab"],
        parameters=p["parameters"] or None,
        document=p["document"],
    )


def _certified(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    [mapped] = _observe(
        envelope,
        context,
        biz_step="inspecting",
        disposition=None,
        scheme=p["scheme"],
        validFrom=p["valid_from"],
        validUntil=p["valid_until"],
    )
    event = dict(mapped.event)
    event["certificationInfo"] = (
        f"urn:nguon:certificate:{quote(p['scheme'], safe='')}:{quote(p['certificate'], safe='')}"
    )
    return [MappedEvent(event, mapped.batch_ids)]


def _labelled(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    """The platform's URI becomes the Digital Link one: a commissioning TransformationEvent
    relating the two, so a partner following either finds the other."""
    p = envelope.payload
    before = _class_of(envelope, context)
    after = identifiers.lot_class(p["gtin"], p["lot"])
    event = _base(
        envelope,
        "TransformationEvent",
        inputQuantityList=[{"epcClass": before}],
        outputQuantityList=[{"epcClass": after}],
        bizStep="commissioning",
        disposition="active",
        readPoint=_point(context, p["by"]),
        bizLocation=_point(context, p["by"]),
        ilmd={"cbvmda:lotNumber": p["lot"]},
    )
    event["nguon:labelsIssued"] = p["labels_issued"]
    return [MappedEvent(event, (envelope.aggregate_id,))]


def _sold(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    return _observe(
        envelope, context, biz_step="retail_selling", disposition="retail_sold",
        outcome=p["outcome"],
    )  # fmt: skip


def _recalled(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    return _observe(
        envelope, context, biz_step="holding", disposition="recalled",
        reason=p.get("reason"), recalledCode=p.get("recalled_code"),
    )  # fmt: skip


def _withdrawn(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    return _observe(
        envelope, context, biz_step="removing", disposition="recalled", quantity=p["quantity"],
        recall=identifiers.TRANSFORMATION + p["recall_id"],
    )  # fmt: skip


def _destroyed(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    return _observe(
        envelope, context, biz_step="destroying", disposition="destroyed", quantity=p["quantity"],
        recall=identifiers.TRANSFORMATION + p["recall_id"],
    )  # fmt: skip


def _recall_lifted(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    p = envelope.payload
    return _observe(
        envelope, context, biz_step="holding", disposition="active",
        reason=p["reason"], recalledCode=p["recalled_code"],
    )  # fmt: skip


# Identifiers, times and codes name other things: a correction of them is not a correction of
# this event's facts (the domain does not refuse them, so they stay in nguon:changes alone).
_NOT_CORRECTED_IN_PLACE = frozenset({"at", "by", "to", "code", "parents"})
_QUANTITY_FIELDS = ("quantity", "quantity_after")


def corrected_facts(amended: Envelope, correction: Envelope) -> Envelope:
    """The amended event as the correction says it should have been: each change that names a
    text field of its payload replaces it, and a corrected quantity replaces its quantity."""
    payload = dict(amended.payload)
    for name, value in correction.payload["changes"].items():
        if name in payload and _text_fact(name, payload[name]):
            payload[name] = value
    quantity = correction.payload.get("quantity")
    if quantity is not None:
        for name in _QUANTITY_FIELDS:
            if payload.get(name) is not None:
                payload[name] = quantity
    return replace(amended, payload=payload)


def _text_fact(name: str, value: Any) -> bool:
    named = name in _NOT_CORRECTED_IN_PLACE or name.endswith("_id")
    return not named and (value is None or isinstance(value, str))


def _corrected(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    """The corrective events: the amended event's form with the corrected facts, recorded now.

    The error declaration itself goes on the amended events (``declared``): the
    projection adds it to their stored documents once it knows these events' ids."""
    p = envelope.payload
    amended = context.amended(envelope.aggregate_id, p["amends_version"])
    mapper = _MAPPERS.get(amended.type) if amended is not None else None
    if amended is None or mapper is None:
        return []  # it amends a message or a part of a transformation: no EPCIS event to amend
    corrective = []
    for mapped in mapper(corrected_facts(amended, envelope), context):
        event = {**mapped.event, "nguon:changes": dict(p["changes"])}
        corrective.append(MappedEvent(event, mapped.batch_ids))
    return corrective


def declared(correction: Envelope, corrective_ids: list[str]) -> dict[str, Any]:
    """What an amended event's document gains from the correction: its error declaration
    (when, why, what replaces it), and the declaration's time as its ``recordTime``, as a copy
    re-sent with the declaration is recorded then (EPCIS 2.0 7.4.1.5). ``eventID`` stays.

    ``incorrect_data``: a correction says the event happened with other facts. The domain has
    no way to say an event did not happen at all (``did_not_occur``)."""
    declaration: dict[str, Any] = {
        "declarationTime": _time(correction.payload["at"]),
        "reason": "incorrect_data",
        "nguon:reason": correction.payload["reason"],
    }
    if corrective_ids:
        declaration["correctiveEventIDs"] = corrective_ids
    return {"errorDeclaration": declaration, "recordTime": correction.occurred_at}


_MAPPERS: dict[str, _Mapper] = {
    "Batch.Harvested": _harvested,
    "Batch.Produced": _produced,
    "Batch.Processed": _processed,
    "Batch.Shipped": _shipped,
    "Batch.Received": _received,
    "Batch.Inspected": _inspected,
    "Batch.Certified": _certified,
    "Batch.Labelled": _labelled,
    "Batch.Sold": _sold,
    "Batch.Recalled": _recalled,
    "Batch.RecallReached": _recalled,
    "Batch.Withdrawn": _withdrawn,
    "Batch.Destroyed": _destroyed,
    "Batch.RecallLifted": _recall_lifted,
    "Batch.Corrected": _corrected,
}
MAPPED = frozenset(_MAPPERS)


def document(events: list[dict[str, Any]], *, created: str) -> dict[str, Any]:
    """An EPCISDocument carrying ``events`` (each with its eventID)."""
    return {
        "@context": vocabulary.CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created,
        "epcisBody": {"eventList": events},
    }
