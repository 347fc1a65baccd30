"""``POST /epcis/events``: one event, captured at once (201 and its URL), answered 409 with the
stored event's URL when sent again, refused with its code and field, nothing stored then."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from shared.epcis import vocabulary
from tests.epcis_events import a_gln, a_partner_class, days_ago, harvest_event, shipping_event
from tests.integration.epcis_capture_http.conftest import World, a_document

__all__: list[str] = []


def _post(world: World, event: dict[str, Any], token: dict[str, str] | None = None) -> Any:
    headers = (token or world.cooperative) | {"Content-Type": "application/ld+json"}
    return world.client.post("/epcis/events", content=json.dumps(event), headers=headers)


def _harvest(world: World, plot_gln: str | None = None) -> dict[str, Any]:
    event = harvest_event(a_partner_class(), plot_gln or world.partners.plot_gln, days_ago(1))
    return {"@context": vocabulary.CONTEXT, **event}


def test_an_event_is_captured_with_201_and_its_url(world: World) -> None:
    before = world.records.position()
    answer = _post(world, _harvest(world))
    assert answer.status_code == 201, answer.text
    location = answer.headers["Location"]
    assert location.startswith("/epcis/events/ni%3A%2F%2F%2Fsha-256%3B")
    assert answer.headers["GS1-EPCIS-Capture-Limit"] == "1000"
    assert world.records.position() > before


def test_an_event_sent_again_is_answered_409_with_the_stored_events_url(world: World) -> None:
    event = _harvest(world)
    created = _post(world, event)
    position = world.records.position()
    again = _post(world, event)
    assert again.status_code == 409
    assert again.json()["type"] == "epcisException:ResourceAlreadyExistsException"
    assert again.headers["Location"] == created.headers["Location"]
    assert world.records.position() == position


def test_an_event_captured_in_a_document_is_a_duplicate_here_too(world: World) -> None:
    event = harvest_event(a_partner_class(), world.partners.plot_gln, days_ago(1))
    headers = world.cooperative | {"Content-Type": "application/ld+json"}
    job = world.client.post(
        "/epcis/capture", content=json.dumps(a_document(event)), headers=headers
    ).json()
    [captured] = job["nguon:events"]
    again = _post(world, {"@context": vocabulary.CONTEXT, **event})
    assert again.status_code == 409
    assert again.headers["Location"] == f"/epcis/events/{quote(captured['eventID'], safe='')}"


def test_a_refused_event_is_answered_with_its_code_and_field_and_stores_nothing(
    world: World,
) -> None:
    before = world.records.position()
    answer = _post(world, _harvest(world, plot_gln=a_gln()))
    assert answer.status_code == 400, answer.text
    problem = answer.json()
    assert problem["type"] == "epcisException:ValidationException"
    assert problem["code"]
    assert problem["field"].startswith("$.")
    assert not problem["field"].startswith("$.epcisBody")  # a path in the event that was sent
    assert problem["detail"]
    assert world.records.position() == before


def test_an_event_breaking_the_schema_is_refused_with_422_naming_the_path(world: World) -> None:
    event = _harvest(world)
    event["action"] = "JUMP"
    answer = _post(world, event)
    assert answer.status_code == 422
    assert "$.action" in [e["path"] for e in answer.json()["errors"]]


def test_a_document_sent_to_events_is_pointed_to_capture(world: World) -> None:
    answer = _post(world, a_document(_harvest(world)))
    assert answer.status_code == 422
    assert "POST /epcis/capture" in answer.json()["detail"]


def test_an_event_as_xml_is_refused_with_415(world: World) -> None:
    headers = world.cooperative | {"Content-Type": "application/xml"}
    answer = world.client.post("/epcis/events", content="<ObjectEvent/>", headers=headers)
    assert answer.status_code == 415
    assert "application/ld+json" in answer.json()["detail"]


def test_an_event_on_a_batch_another_organisation_holds_is_forbidden(world: World) -> None:
    paddy = a_partner_class()
    harvest = harvest_event(paddy, world.partners.plot_gln, days_ago(2))
    assert _post(world, {"@context": vocabulary.CONTEXT, **harvest}).status_code == 201
    before = world.records.position()
    shipping = shipping_event(
        paddy,
        days_ago(1),
        sender_gln=world.partners.mill_gln,
        receiver_gln=world.partners.cooperative_gln,
    )
    answer = _post(world, {"@context": vocabulary.CONTEXT, **shipping}, token=world.mill)
    assert answer.status_code == 403, answer.text
    assert answer.json()["type"] == "epcisException:SecurityException"
    assert answer.json()["code"] == "not_custodian"
    assert world.records.position() == before
