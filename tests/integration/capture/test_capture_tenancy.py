"""Who may act, checked before anything about a batch is revealed: chains, standing, custody."""

from __future__ import annotations

import pytest

from tests.builders import after_harvest, harvest_json, processing_json
from tests.integration.capture.capture_api import CaptureApi, error_of


def _at(hours: int) -> str:
    return after_harvest(hours).isoformat()


def test_a_cooperative_cannot_harvest_into_a_value_chain_it_never_joined(api: CaptureApi) -> None:
    chain = api.value_chain()
    stored = api.events_stored()

    answer = api.post("/batches", {**_harvest_body(api), "value_chain_id": chain}, api.cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_chain_participant"
    assert api.events_stored() == stored


def test_a_cooperative_harvests_into_a_value_chain_it_takes_part_in(api: CaptureApi) -> None:
    chain = api.value_chain(api.cooperative)

    code = api.harvest(value_chain_id=chain)

    state = api.get(f"/batches/{code}", api.cooperative).json()
    assert state["value_chain_ids"] == [chain]


@pytest.mark.parametrize(
    ("status", "code"),
    [("suspended", "organisation_suspended"), ("dissolved", "organisation_closed")],
)
def test_a_suspended_or_dissolved_cooperative_may_not_process_or_ship_its_batch(
    api: CaptureApi, status: str, code: str
) -> None:
    batch = api.harvest()
    _change_cooperative_status(api, status)
    stored = api.events_stored()

    processed = api.post(f"/batches/{batch}/processing", processing_json(), api.cooperative)
    shipped = api.post(
        f"/batches/{batch}/shipments", {"to": api.enterprise.org, "at": _at(3)}, api.cooperative
    )

    assert (processed.status_code, shipped.status_code) == (409, 409)
    assert error_of(processed)["code"] == error_of(shipped)["code"] == code
    assert api.events_stored() == stored


def test_a_suspended_cooperative_may_still_recall_its_batch(api: CaptureApi) -> None:
    batch = api.harvest()
    _change_cooperative_status(api, "suspended")

    answer = api.post(f"/batches/{batch}/recall", {"reason": "Nấm mốc"}, api.cooperative)

    assert answer.status_code == 200, answer.text


def test_a_suspended_enterprise_may_not_sell_what_it_received(api: CaptureApi) -> None:
    batch = api.harvest()
    _ship_to_enterprise(api, batch)
    received = api.post(
        f"/batches/{batch}/receipts",
        {"quantity": {"amount": "1000", "unit": "kg"}, "at": _at(4)},
        api.enterprise,
    )
    assert received.status_code == 200, received.text
    suspended = api.post(
        f"/enterprises/{api.enterprise.org}/status",
        {"status": "suspended", "reason": "Giấy phép kinh doanh bị đình chỉ"},
        api.province,
    )
    assert suspended.status_code == 200, suspended.text

    answer = api.post(f"/batches/{batch}/sale", {"at": _at(5)}, api.enterprise)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "organisation_suspended"


def test_only_staff_change_an_enterprises_status(api: CaptureApi) -> None:
    answer = api.post(
        f"/enterprises/{api.enterprise.org}/status",
        {"status": "suspended", "reason": "x"},
        api.enterprise,
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "staff_only"


def test_an_outsider_shipping_a_batch_in_transit_learns_only_that_it_is_not_the_holder(
    api: CaptureApi,
) -> None:
    batch = api.harvest()
    _ship_to_enterprise(api, batch)

    answer = api.post(
        f"/batches/{batch}/shipments", {"to": api.enterprise.org}, api.other_cooperative
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_custodian"


def test_an_outsider_recalling_a_recalled_batch_learns_only_that_it_may_not(
    api: CaptureApi,
) -> None:
    batch = api.harvest()
    api.post(f"/batches/{batch}/recall", {"reason": "Nấm mốc"}, api.cooperative)

    answer = api.post(f"/batches/{batch}/recall", {"reason": "x"}, api.other_cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "recall_not_permitted"


def test_an_outsider_selling_a_sold_batch_learns_only_that_it_is_not_the_holder(
    api: CaptureApi,
) -> None:
    batch = api.harvest()
    api.post(f"/batches/{batch}/sale", {"at": _at(2)}, api.cooperative)

    answer = api.post(f"/batches/{batch}/sale", {}, api.other_cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_custodian"


def _harvest_body(api: CaptureApi) -> dict[str, object]:
    return harvest_json(api.cooperative.plot)


def _change_cooperative_status(api: CaptureApi, status: str) -> None:
    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/status",
        {"status": status, "reason": "Nghị quyết đại hội thành viên"},
        api.province,
    )
    assert answer.status_code == 200, answer.text


def _ship_to_enterprise(api: CaptureApi, batch: str) -> None:
    answer = api.post(
        f"/batches/{batch}/shipments",
        {"to": api.enterprise.org, "transport_document": "PXK-1", "at": _at(3)},
        api.cooperative,
    )
    assert answer.status_code == 200, answer.text
