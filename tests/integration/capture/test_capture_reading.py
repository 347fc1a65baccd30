"""A batch's current state and history, straight from its events: in full for staff and the
organisations that hold or held it or were sent it, the public view for any other token."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.builders import after_harvest, processing_json
from tests.integration.capture.capture_api import CaptureApi, Party, error_of


def test_a_batch_reads_as_its_current_state(api: CaptureApi) -> None:
    code = api.harvest()
    api.post(f"/batches/{code}/processing", processing_json("910"), api.cooperative)

    answer = api.get(f"/batches/{code}", api.cooperative)

    assert answer.status_code == 200
    state = answer.json()
    assert state["code"] == code
    assert state["commodity"] == "rice"
    assert state["variety"] == "Nếp cái hoa vàng"
    assert state["quantity"] == {"amount": "910", "unit": "kg"}
    assert state["holder_id"] == api.cooperative.org
    assert state["status"] == "active"
    assert state["recalled"] is False
    assert state["plot_ids"] == [api.cooperative.plot]
    assert state["harvested_on"] == "2025-10-05"
    assert state["version"] == 2


def test_every_role_may_read_a_batch(api: CaptureApi) -> None:
    code = api.harvest()

    readers = [api.admin, api.province, api.enterprise, api.other_cooperative]

    assert all(api.get(f"/batches/{code}", r).status_code == 200 for r in readers)


def test_an_unknown_batch_is_not_found_naming_the_code_sent(api: CaptureApi) -> None:
    for path in ("/batches/TH-2026-999999", "/batches/TH-2026-999999/events"):
        answer = api.get(path, api.province)

        assert answer.status_code == 404
        assert error_of(answer)["code"] == "not_found"
        assert "TH-2026-999999" in error_of(answer)["message"]


def test_an_organisations_id_is_not_a_batch(api: CaptureApi) -> None:
    assert api.get(f"/batches/{api.cooperative.org}", api.province).status_code == 404
    assert api.get(f"/batches/{api.cooperative.org}/events", api.province).status_code == 404


def test_the_history_lists_every_event_in_order_with_the_positions_writes_answered(
    api: CaptureApi,
) -> None:
    harvested = api.post(
        "/batches", {**_harvest(api), "at": after_harvest(1).isoformat()}, api.cooperative
    )
    code = harvested.json()["results"][0]["code"]
    positions = [harvested.json()["position"]]
    for hours in (2, 3, 4):
        answer = api.post(
            f"/batches/{code}/processing",
            processing_json(str(1000 - hours * 10), hours=hours),
            api.cooperative,
        )
        positions.append(answer.json()["position"])
    api.harvest()  # another batch's event, not in this history

    answer = api.get(f"/batches/{code}/events", api.cooperative)

    assert answer.status_code == 200
    history = answer.json()
    assert history["code"] == code
    events = history["events"]
    assert [e["type"] for e in events] == ["Batch.Harvested"] + ["Batch.Processed"] * 3
    assert [e["aggregate_version"] for e in events] == [1, 2, 3, 4]
    assert [e["position"] for e in events] == positions
    assert events[3]["payload"]["quantity_after"] == {"amount": "960", "unit": "kg"}
    assert all(e["aggregate_id"] == history["batch_id"] for e in events)


def _harvest(api: CaptureApi) -> dict[str, object]:
    from tests.builders import harvest_json

    return harvest_json(api.cooperative.plot)


def _ship_to_enterprise(api: CaptureApi, code: str) -> None:
    body = {"to": api.enterprise.org, "transport_document": "PXK-0917", "at": _at(3)}
    answer = api.post(f"/batches/{code}/shipments", body, api.cooperative)
    assert answer.status_code == 200, answer.text


def _at(hours: int) -> str:
    return after_harvest(hours).isoformat()


def test_an_unrelated_cooperative_reads_only_the_public_view_of_a_batch(api: CaptureApi) -> None:
    code = api.harvest()
    _ship_to_enterprise(api, code)

    state = api.get(f"/batches/{code}", api.other_cooperative).json()

    assert state["view"] == "public"
    assert state["quantity"] is None
    assert state["holder_id"] is None
    assert state["in_transit_to"] is None
    assert state["commodity"] == "rice"
    assert state["status"] == "in_transit"


def test_an_unrelated_cooperative_reads_no_event_payloads_only_their_digests(
    api: CaptureApi,
) -> None:
    code = api.harvest()
    _ship_to_enterprise(api, code)
    full = api.get(f"/batches/{code}/events", api.province).json()

    public = api.get(f"/batches/{code}/events", api.other_cooperative).json()

    assert public["view"] == "public"
    assert [e["payload"] for e in public["events"]] == [None, None]
    assert "PXK-0917" not in str(public)
    assert api.enterprise.org not in str(public)
    assert [e["digest"] for e in public["events"]] == [e["digest"] for e in full["events"]]


@pytest.mark.parametrize("reader", ["cooperative", "enterprise", "province", "admin"])
def test_holders_past_and_present_the_addressee_and_staff_read_a_batch_in_full(
    api: CaptureApi, reader: str
) -> None:
    code = api.harvest()
    _ship_to_enterprise(api, code)
    party: Party = getattr(api, reader)

    state = api.get(f"/batches/{code}", party).json()
    history = api.get(f"/batches/{code}/events", party).json()

    assert state["view"] == history["view"] == "full"
    assert state["quantity"] == {"amount": "1000", "unit": "kg"}
    assert state["in_transit_to"] == api.enterprise.org
    assert history["events"][1]["payload"]["transport_document"] == "PXK-0917"


def test_a_digest_is_the_sha256_of_the_events_canonical_envelope(api: CaptureApi) -> None:
    code = api.harvest()

    (event,) = api.get(f"/batches/{code}/events", api.cooperative).json()["events"]

    envelope = {k: v for k, v in event.items() if k != "digest"}
    canonical = json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert event["digest"] == hashlib.sha256(canonical.encode()).hexdigest()


def test_a_list_after_a_position_no_write_has_reached_is_refused_at_once(
    api: CaptureApi,
) -> None:
    beyond = api.records.position() + 1

    answer = api.get("/batches", api.cooperative, after_position=beyond)

    assert answer.status_code == 422  # at once: the catalogue here fails if asked to wait
    error = error_of(answer)
    assert error["code"] == "position_not_stored"
    assert error["field"] == "after_position"
    assert str(beyond) in error["message"]
