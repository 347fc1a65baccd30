"""Any token reads a batch's current state and its whole history, straight from its events."""

from __future__ import annotations

from tests.builders import after_harvest, processing_json
from tests.integration.capture.capture_api import CaptureApi, error_of


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


def test_an_unknown_batch_is_not_found(api: CaptureApi) -> None:
    answer = api.get("/batches/TH-2026-999999", api.province)

    assert answer.status_code == 404
    assert error_of(answer)["code"] == "not_found"


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

    answer = api.get(f"/batches/{code}/events", api.enterprise)

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
