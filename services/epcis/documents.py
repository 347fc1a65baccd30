"""What the interface serves: events in an ``EPCISQueryDocument``, and the collections.

Events are stored as served, without ``@context``; the document carries the one context. An
organisation reads the events of its batches' ancestors too, but not other parties'
quantities: the entries of classes that name no batch it held keep their ``epcClass`` and lose
``quantity`` and ``uom``, which the standard makes optional for that reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def as_seen_by(event: dict[str, Any], readable: frozenset[str] | None) -> dict[str, Any]:
    """The event, with the quantities of classes not ``readable`` left out (None: none)."""
    if readable is None:
        return event
    seen = dict(event)
    for name in QUANTITY_LISTS:
        if name in event:
            seen[name] = [_entry(entry, readable) for entry in event[name]]
    return seen


def _entry(entry: dict[str, Any], readable: frozenset[str]) -> dict[str, Any]:
    if entry.get("epcClass") in readable:
        return entry
    return {k: v for k, v in entry.items() if k not in ("quantity", "uom")}


def query_document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": events},
            }
        },
    }


def collection(members: list[str]) -> dict[str, Any]:
    return {"@context": [EPCIS_CONTEXT], "type": "Collection", "member": members}
