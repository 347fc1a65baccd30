"""Every refusal of capture names the field at fault by its JSON path, a code and what to do,
and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from shared.domain import clock
from shared.epcis import identifiers as uris
from shared.records.application import Records
from tests.epcis_events import (
    a_gln,
    a_partner_class,
    days_ago,
    harvest_event,
    labelling_event,
    observe_event,
    receiving_event,
    shipping_event,
)
from tests.integration.epcis_capture.partners import Partners, partners, send
from tests.platform_world import database, records

__all__ = ["database", "records"]

Event = dict[str, Any]
Case = Callable[[Partners, str], Event]  # (partners, a lot the cooperative harvested) → event


def _without(event: Event, *path: str) -> Event:
    copy = {k: (dict(v) if isinstance(v, dict) else v) for k, v in event.items()}
    inner = copy
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    return copy


def _aggregation(w: Partners, lot: str) -> Event:
    return {
        "type": "AggregationEvent",
        "eventTime": "2026-01-05T08:00:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "parentID": "urn:epc:id:sscc:0614141.1234567890",
        "childQuantityList": [{"epcClass": lot, "quantity": 10, "uom": "KGM"}],
        "action": "ADD",
    }


def _instances(w: Partners, lot: str) -> Event:
    event = observe_event(lot, days_ago(0.5), "receiving", where_gln=w.cooperative_gln)
    event["epcList"] = ["urn:epc:id:sgtin:0614141.107346.2017"]
    return event


def _no_uom(w: Partners, lot: str) -> Event:
    event = receiving_event(lot, days_ago(0.5), gln=w.cooperative_gln, amount=10)
    return event | {"quantityList": [{"epcClass": lot, "quantity": 10}]}


def _grams(w: Partners, lot: str) -> Event:
    event = receiving_event(lot, days_ago(0.5), gln=w.cooperative_gln, amount=10)
    return event | {"quantityList": [{"epcClass": lot, "quantity": 10, "uom": "GRM"}]}


def _future(w: Partners, lot: str) -> Event:
    return observe_event(lot, clock.now() + timedelta(days=2), "retail_selling")


def _error_declaration(w: Partners, lot: str) -> Event:
    event = observe_event(lot, days_ago(0.5), "retail_selling")
    event["errorDeclaration"] = {
        "declarationTime": "2026-01-05T08:00:00Z",
        "reason": "incorrect_data",
    }
    return event


def _no_commodity(w: Partners, lot: str) -> Event:
    return _without(
        harvest_event(a_partner_class(), w.plot_gln, days_ago(0.5)), "ilmd", "nguon:commodity"
    )


def _no_lab(w: Partners, lot: str) -> Event:
    return observe_event(lot, days_ago(0.5), "inspecting", disposition="conformant")


def _a_long_variety(w: Partners, lot: str) -> Event:
    variety: dict[str, Any] = {"nguon:variety": "x" * 201}
    return harvest_event(a_partner_class(), w.plot_gln, days_ago(0.5), **variety)


def _a_long_facility(w: Partners, lot: str) -> Event:
    return observe_event(lot, days_ago(0.5), "storing", extensions={"nguon:facility": "K" * 201})


def _too_many_parameters(w: Partners, lot: str) -> Event:
    parameters = {f"p{n}": "1" for n in range(101)}
    return observe_event(
        lot, days_ago(0.5), "inspecting", disposition="conformant",
        extensions={"nguon:lab": "Lab", "nguon:parameters": parameters},
    )  # fmt: skip


def _no_labels_count(w: Partners, lot: str) -> Event:
    event = labelling_event(lot, days_ago(0.5), gln=w.cooperative_gln, gtin14=w.gtin14, lot="L1")
    return _without(event, "nguon:labelsIssued")


def _unknown_party(w: Partners, lot: str) -> Event:
    return shipping_event(lot, days_ago(0.5), sender_gln=w.cooperative_gln, receiver_gln=a_gln())


def _unknown_location(w: Partners, lot: str) -> Event:
    return observe_event(lot, days_ago(0.5), "retail_selling", where_gln=a_gln())


def _another_organisations_premises(w: Partners, lot: str) -> Event:
    return observe_event(lot, days_ago(0.5), "retail_selling", where_gln=w.mill_gln)


def _recall_reaching_it(w: Partners, lot: str) -> Event:
    return observe_event(
        lot, days_ago(0.5), "holding", disposition="recalled",
        extensions={"nguon:reason": "aflatoxin", "nguon:recalledCode": "TH-2026-999999"},
    )  # fmt: skip


def _association(w: Partners, lot: str) -> Event:
    return _aggregation(w, lot) | {"type": "AssociationEvent"}


def _unknown_step(w: Partners, lot: str) -> Event:
    return observe_event(lot, days_ago(0.5), "repairing")


def _unknown_lot(w: Partners, lot: str) -> Event:
    return observe_event(a_partner_class(), days_ago(0.5), "retail_selling")


def _known_lot(w: Partners, lot: str) -> Event:
    return harvest_event(lot, w.plot_gln, days_ago(0.5))


NOT_MAPPABLE = "not_mappable"
CASES: dict[str, tuple[Case, str, str]] = {
    "an aggregation": (_aggregation, NOT_MAPPABLE, "type"),
    "an association": (_association, NOT_MAPPABLE, "type"),
    "an unknown business step": (_unknown_step, NOT_MAPPABLE, "bizStep"),
    "instances instead of a class": (_instances, NOT_MAPPABLE, "epcList"),
    "a quantity without its unit": (_no_uom, NOT_MAPPABLE, "quantityList[0].uom"),
    "a unit the platform does not count in": (_grams, NOT_MAPPABLE, "quantityList[0].uom"),
    "an event in the future": (_future, NOT_MAPPABLE, "eventTime"),
    "an error declaration": (_error_declaration, NOT_MAPPABLE, "errorDeclaration"),
    "a harvest without its commodity": (_no_commodity, "missing_field", "ilmd['nguon:commodity']"),
    "an inspection without its lab": (_no_lab, "missing_field", "['nguon:lab']"),
    "a labelling without its count": (_no_labels_count, "missing_field", "['nguon:labelsIssued']"),
    # What the API refuses as too long, capture refuses too (shared.limits).
    "a variety longer than the API takes": (
        _a_long_variety, "text_too_long", "ilmd['nguon:variety']"
    ),
    "a facility longer than the API takes": (
        _a_long_facility, "text_too_long", "['nguon:facility']"
    ),
    "more lab parameters than the API takes": (
        _too_many_parameters, "text_too_long", "['nguon:parameters']"
    ),
    "an unknown lot": (_unknown_lot, "unknown_lot", "quantityList[0].epcClass"),
    "a harvest of a known lot": (_known_lot, "lot_known", "quantityList[0].epcClass"),
    "a shipment to an unknown party": (
        _unknown_party, "unknown_party", "destinationList[0].destination"
    ),
    "an unknown location": (_unknown_location, "unknown_location", "readPoint.id"),
    "another organisation's premises": (
        _another_organisations_premises, "not_your_location", "readPoint.id"
    ),
    "a recall that reaches the lot from another": (
        _recall_reaching_it, "recall_implied", "['nguon:recalledCode']"
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_an_event_that_cannot_be_recorded_is_refused_naming_its_field(
    records: Records, case: str
) -> None:
    world = partners(records)
    lot = a_partner_class()
    assert send(
        records, world.cooperative, [harvest_event(lot, world.plot_gln, days_ago(1))]
    ).success
    build, code, field = CASES[case]
    good = observe_event(
        lot, days_ago(0.9), "storing", amount=1000, extensions={"nguon:facility": "Kho"}
    )
    stored = records.position()

    outcome = send(records, world.cooperative, [good, build(world, lot)])

    assert [e.status for e in outcome.events] == ["rolled_back", "refused"]
    [refusal] = outcome.refusals
    assert (refusal.index, refusal.code) == (1, code)
    separator = "" if field.startswith("[") else "."
    assert refusal.field == f"$.epcisBody.eventList[1]{separator}{field}"
    assert refusal.message
    assert records.position() == stored


def test_a_location_named_by_the_platforms_own_urn_resolves(records: Records) -> None:
    world = partners(records)
    lot = a_partner_class()
    harvest = harvest_event(lot, world.plot_gln, days_ago(1))
    harvest["readPoint"] = harvest["bizLocation"] = {"id": uris.plot(str(world.plot_id))}
    sold = observe_event(lot, days_ago(0.5), "retail_selling")
    sold["readPoint"] = {"id": uris.organisation(str(world.cooperative_id))}

    outcome = send(records, world.cooperative, [harvest, sold])

    assert outcome.success, outcome.refusals
