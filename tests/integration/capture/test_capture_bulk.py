"""Bulk capture: many commands in one transaction; a refusal names the first refused command."""

from __future__ import annotations

from typing import Any

from tests.builders import after_harvest, harvest_json, processing_json
from tests.integration.capture.capture_api import CaptureApi, error_of


def _harvest(api: CaptureApi, ref: str, **overrides: Any) -> dict[str, Any]:
    return {"type": "harvest", "ref": ref, **harvest_json(api.cooperative.plot, **overrides)}


def _process(batch: str, amount: str = "900", hours: int = 2) -> dict[str, Any]:
    return {"type": "process", "batch": batch, **processing_json(amount, hours)}


def _ship(batch: str, to: str) -> dict[str, Any]:
    return {"type": "ship", "batch": batch, "to": to, "at": after_harvest(3).isoformat()}


def test_a_harvest_then_its_processing_and_shipment_in_one_request_using_refs(
    api: CaptureApi,
) -> None:
    stored = api.events_stored()
    commands = [_harvest(api, "h1"), _process("$h1"), _ship("$h1", api.enterprise.org)]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert len(results) == 3
    assert results[0]["code"] == results[1]["code"] == results[2]["code"]
    assert api.events_stored() == stored + 3
    assert answer.json()["position"] == stored + 3
    state = api.get(f"/batches/{results[0]['code']}", api.enterprise).json()
    assert state["status"] == "in_transit"


def test_a_refused_command_stores_nothing_of_the_request_and_names_its_index(
    api: CaptureApi,
) -> None:
    stored = api.events_stored()
    commands = [
        _harvest(api, "a"),
        _harvest(api, "b"),
        _process("$a", "900"),
        _process("$b", "1500"),  # more than the batch holds
        _process("$a", "800", hours=3),
    ]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 409
    error = error_of(answer)
    assert error["index"] == 3
    assert error["code"] == "mass_balance"
    assert "Nothing of this request was stored" in error["hint"]
    assert api.events_stored() == stored


def test_a_malformed_command_is_named_by_index_and_field(api: CaptureApi) -> None:
    commands = [_harvest(api, "a"), _harvest(api, "b", quantity={"amount": "-1", "unit": "kg"})]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 422
    error = error_of(answer)
    assert error["index"] == 1
    assert error["field"] == "commands[1].quantity.amount"


def test_a_command_of_unknown_type_is_refused(api: CaptureApi) -> None:
    answer = api.post("/bulk", {"commands": [{"type": "plant", "crop": "lúa"}]}, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "commands[0].type"
    assert error_of(answer)["index"] == 0


def test_a_command_without_a_type_is_refused(api: CaptureApi) -> None:
    answer = api.post("/bulk", {"commands": [harvest_json(api.cooperative.plot)]}, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "commands[0].type"


def test_a_ref_naming_no_earlier_command_is_refused(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post(
        "/bulk", {"commands": [_harvest(api, "h1"), _process("$h2")]}, api.cooperative
    )

    assert answer.status_code == 422
    assert error_of(answer)["index"] == 1
    assert error_of(answer)["field"] == "batch"
    assert api.events_stored() == stored


def test_a_command_the_actor_may_not_give_is_refused_with_its_index(api: CaptureApi) -> None:
    code = api.harvest(api.other_cooperative)
    stored = api.events_stored()

    answer = api.post(
        "/bulk", {"commands": [_harvest(api, "mine"), _process(code)]}, api.cooperative
    )

    assert answer.status_code == 403
    assert error_of(answer)["index"] == 1
    assert api.events_stored() == stored


def test_staff_register_organisations_and_a_chain_in_one_request(api: CaptureApi) -> None:
    from tests.builders import cooperative_json, enterprise_json

    enterprise = enterprise_json()
    commands = [
        {"type": "register_cooperative", **cooperative_json()},
        {"type": "register_enterprise", **enterprise},
    ]

    answer = api.post("/bulk", {"commands": commands}, api.province)

    assert answer.status_code == 200
    assert [set(r) for r in answer.json()["results"]] == [{"cooperative_id"}, {"enterprise_id"}]


def test_an_empty_bulk_request_is_refused(api: CaptureApi) -> None:
    assert api.post("/bulk", {"commands": []}, api.cooperative).status_code == 422


def test_more_than_five_thousand_commands_are_refused(api: CaptureApi) -> None:
    commands = [_process("$x")] * 5001

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "commands"


def test_a_retried_bulk_request_stores_nothing_twice(api: CaptureApi) -> None:
    body = {"commands": [_harvest(api, "h"), _process("$h")]}
    first = api.post("/bulk", body, api.cooperative, key="upload-2025-10-05")
    stored = api.events_stored()

    again = api.post("/bulk", body, api.cooperative, key="upload-2025-10-05")

    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.events_stored() == stored


def test_five_thousand_harvests_are_stored_in_one_request(api: CaptureApi) -> None:
    stored = api.events_stored()
    commands = [_harvest(api, f"h{i}") for i in range(5000)]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 200
    assert len({r["code"] for r in answer.json()["results"]}) == 5000
    assert api.events_stored() == stored + 5000
