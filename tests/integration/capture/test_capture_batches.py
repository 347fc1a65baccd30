"""What happens to a batch, through the API: only its holder acts on it, in time order."""

from __future__ import annotations

from typing import Any

from tests.builders import a_gtin, after_harvest, harvest_json, processing_json
from tests.integration.capture.capture_api import CaptureApi, error_of


def _at(hours: int) -> str:
    return after_harvest(hours).isoformat()


def _ship_to_enterprise(api: CaptureApi, code: str) -> None:
    answer = api.post(
        f"/batches/{code}/shipments",
        {"to": api.enterprise.org, "transport_document": "PXK-0917", "at": _at(3)},
        api.cooperative,
    )
    assert answer.status_code == 200, answer.text


def _state(api: CaptureApi, code: str) -> dict[str, Any]:
    state: dict[str, Any] = api.get(f"/batches/{code}", api.province).json()
    return state


def test_a_cooperative_records_a_harvest_and_gets_the_batch_code_and_its_location(
    api: CaptureApi,
) -> None:
    stored = api.events_stored()

    answer = api.post("/batches", harvest_json(api.cooperative.plot), api.cooperative)

    assert answer.status_code == 201
    result = answer.json()["results"][0]
    assert result["code"].startswith("TH-")
    assert answer.headers["Location"] == f"/api/v1/batches/{result['code']}"
    assert answer.json()["position"] == stored + 1


def test_harvesting_from_another_cooperatives_plot_is_refused(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post("/batches", harvest_json(api.other_cooperative.plot), api.cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "plot_not_owned"
    assert api.events_stored() == stored


def test_staff_do_not_harvest(api: CaptureApi) -> None:
    answer = api.post("/batches", harvest_json(api.cooperative.plot), api.province)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "organisation_only"


def test_a_harvest_dated_in_the_future_is_refused(api: CaptureApi) -> None:
    body = harvest_json(api.cooperative.plot, harvested_on="2099-01-01")
    del body["at"]

    answer = api.post("/batches", body, api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "time_in_future"


def test_the_holder_processes_a_batch_in_place(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(f"/batches/{code}/processing", processing_json("880"), api.cooperative)

    assert answer.status_code == 200
    assert _state(api, code)["quantity"] == {"amount": "880", "unit": "kg"}


def test_processing_into_more_than_the_batch_holds_is_refused(api: CaptureApi) -> None:
    code = api.harvest()
    stored = api.events_stored()

    answer = api.post(f"/batches/{code}/processing", processing_json("1200"), api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "mass_balance"
    assert api.events_stored() == stored


def test_another_cooperative_may_not_process_a_batch_it_does_not_hold(api: CaptureApi) -> None:
    code = api.harvest()
    stored = api.events_stored()

    answer = api.post(f"/batches/{code}/processing", processing_json(), api.other_cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_custodian"
    assert api.events_stored() == stored


def test_an_unknown_processing_step_is_refused_naming_the_field(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        f"/batches/{code}/processing", processing_json(step="dancing"), api.cooperative
    )

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "step"


def test_an_event_before_the_batchs_last_one_is_refused(api: CaptureApi) -> None:
    code = api.harvest()
    api.post(f"/batches/{code}/processing", processing_json(hours=5), api.cooperative)

    answer = api.post(f"/batches/{code}/processing", processing_json(hours=4), api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "time_order"


def test_a_batch_is_found_by_its_id_as_well_as_its_code(api: CaptureApi) -> None:
    code = api.harvest()
    batch_id = _state(api, code)["batch_id"]

    answer = api.post(f"/batches/{batch_id}/processing", processing_json(), api.cooperative)

    assert answer.status_code == 200
    assert answer.json()["results"][0]["code"] == code


def test_acting_on_an_unknown_batch_is_not_found(api: CaptureApi) -> None:
    answer = api.post("/batches/TH-2026-999999/processing", processing_json(), api.cooperative)

    assert answer.status_code == 404


def test_a_reference_that_is_neither_code_nor_id_is_refused_naming_the_batch(
    api: CaptureApi,
) -> None:
    answer = api.post("/batches/lo-gao-so-1/processing", processing_json(), api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "batch"


def test_a_shipped_batch_is_received_by_its_addressee(api: CaptureApi) -> None:
    code = api.harvest()
    _ship_to_enterprise(api, code)

    answer = api.post(
        f"/batches/{code}/receipts",
        {"quantity": {"amount": "995", "unit": "kg"}, "at": _at(6)},
        api.enterprise,
    )

    assert answer.status_code == 200
    state = _state(api, code)
    assert state["holder_id"] == api.enterprise.org
    assert state["status"] == "active"


def test_only_the_addressee_receives_a_shipment(api: CaptureApi) -> None:
    code = api.harvest()
    _ship_to_enterprise(api, code)

    answer = api.post(
        f"/batches/{code}/receipts",
        {"quantity": {"amount": "1000", "unit": "kg"}},
        api.other_cooperative,
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_addressee"


def test_a_batch_in_transit_can_only_be_received(api: CaptureApi) -> None:
    code = api.harvest()
    _ship_to_enterprise(api, code)

    answer = api.post(f"/batches/{code}/processing", processing_json(hours=4), api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "in_transit"


def test_shipping_to_an_unknown_organisation_is_not_found(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        f"/batches/{code}/shipments",
        {"to": "3f1d5a8e-0000-4000-8000-000000000000"},
        api.cooperative,
    )

    assert answer.status_code == 404


def test_the_holder_records_an_inspection(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        f"/batches/{code}/inspections",
        {
            "lab": "Trung tâm Kiểm nghiệm Thanh Hóa",
            "result": "pass",
            "parameters": {"moisture_percent": "13.5", "aflatoxin_ppb": "<2"},
            "document": "KN-2025-1187",
            "at": _at(2),
        },
        api.cooperative,
    )

    assert answer.status_code == 200


def test_an_inspection_result_other_than_pass_or_fail_is_refused(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(f"/batches/{code}/inspections", {"lab": "x", "result": "ok"}, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "result"


def test_the_holder_records_a_batch_certification(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        f"/batches/{code}/certifications",
        {"scheme": "VietGAP", "certificate": "VG-0917", "valid_from": "2025-01-01", "at": _at(2)},
        api.cooperative,
    )

    assert answer.status_code == 200


def test_the_holder_labels_a_batch_with_a_gtin_and_lot(api: CaptureApi) -> None:
    code = api.harvest()
    gtin = a_gtin()
    api.post(f"/organisations/{api.cooperative.org}/gtins", {"gtin": gtin}, api.cooperative)

    answer = api.post(
        f"/batches/{code}/labels",
        {"gtin": gtin, "lot": "NEP-2025-10", "labels_issued": 400, "at": _at(2)},
        api.cooperative,
    )

    assert answer.status_code == 200
    assert answer.json()["results"][0]["gtin"] == "0" + gtin
    assert _state(api, code)["lot"] == "NEP-2025-10"


def test_a_gtin_with_a_wrong_check_digit_is_refused_naming_the_field(api: CaptureApi) -> None:
    code = api.harvest()
    gtin = a_gtin()
    wrong = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)

    answer = api.post(
        f"/batches/{code}/labels", {"gtin": wrong, "lot": "A1", "labels_issued": 1}, api.cooperative
    )

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "gtin"


def test_the_holder_recalls_a_batch(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(f"/batches/{code}/recall", {"reason": "Dư lượng thuốc BVTV"}, api.cooperative)

    assert answer.status_code == 200
    assert _state(api, code)["recalled"] is True


def test_provincial_staff_recall_any_batch(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(f"/batches/{code}/recall", {"reason": "Cảnh báo ATTP"}, api.province)

    assert answer.status_code == 200


def test_another_cooperative_may_not_recall_a_batch(api: CaptureApi) -> None:
    code = api.harvest()
    stored = api.events_stored()

    answer = api.post(f"/batches/{code}/recall", {"reason": "x"}, api.other_cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "recall_not_permitted"
    assert api.events_stored() == stored


def test_a_recalled_batch_goes_no_further(api: CaptureApi) -> None:
    code = api.harvest()
    api.post(f"/batches/{code}/recall", {"reason": "x"}, api.cooperative)

    answer = api.post(f"/batches/{code}/sale", {}, api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "recalled"


def test_the_holder_records_a_sale_and_the_batch_takes_no_more_steps(api: CaptureApi) -> None:
    code = api.harvest()

    sold = api.post(f"/batches/{code}/sale", {"at": _at(2)}, api.cooperative)
    after = api.post(f"/batches/{code}/processing", processing_json(hours=3), api.cooperative)

    assert sold.status_code == 200
    assert _state(api, code)["status"] == "sold"
    assert after.status_code == 409
    assert error_of(after)["code"] == "batch_finished"


def test_the_holder_corrects_an_earlier_event(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        f"/batches/{code}/corrections",
        {"amends_version": 1, "reason": "Cân nhầm", "quantity": {"amount": "980", "unit": "kg"}},
        api.cooperative,
    )

    assert answer.status_code == 200
    assert _state(api, code)["quantity"]["amount"] == "980"


def test_correcting_an_event_the_batch_does_not_have_is_refused(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        f"/batches/{code}/corrections",
        {"amends_version": 7, "reason": "x", "changes": {"variety": "Bắc thơm số 7"}},
        api.cooperative,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "nothing_to_correct"


def test_a_batch_is_split_into_two_new_batches(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        "/transformations",
        {
            "step": "splitting",
            "inputs": [{"batch": code, "quantity": {"amount": "1000", "unit": "kg"}}],
            "outputs": [
                {"commodity": "rice", "quantity": {"amount": "600", "unit": "kg"}},
                {"commodity": "rice", "quantity": {"amount": "400", "unit": "kg"}},
            ],
            "at": _at(2),
        },
        api.cooperative,
    )

    assert answer.status_code == 201
    outputs = answer.json()["results"][0]["outputs"]
    assert len(outputs) == 2
    assert answer.headers["Location"] == f"/api/v1/batches/{outputs[0]['code']}"
    assert _state(api, code)["status"] == "depleted"
    assert _state(api, outputs[1]["code"])["parent_ids"] == [_state(api, code)["batch_id"]]


def test_two_batches_are_merged_and_milled_into_packs_with_a_declared_conversion(
    api: CaptureApi,
) -> None:
    first, second = api.harvest(), api.harvest()

    answer = api.post(
        "/transformations",
        {
            "step": "packing",
            "inputs": [
                {"batch": first, "quantity": {"amount": "1", "unit": "t"}},
                {"batch": second, "quantity": {"amount": "500", "unit": "kg"}},
            ],
            "outputs": [{"commodity": "gạo nếp", "quantity": {"amount": 300, "unit": "piece"}}],
            "conversion": {"from_unit": "kg", "to_unit": "piece", "factor": "0.2"},
            "at": _at(2),
        },
        api.cooperative,
    )

    assert answer.status_code == 201, answer.text
    assert _state(api, second)["quantity"]["amount"] == "500"


def test_a_transformation_giving_more_than_went_in_is_refused(api: CaptureApi) -> None:
    code = api.harvest()
    stored = api.events_stored()

    answer = api.post(
        "/transformations",
        {
            "step": "splitting",
            "inputs": [{"batch": code, "quantity": {"amount": "100", "unit": "kg"}}],
            "outputs": [{"commodity": "rice", "quantity": {"amount": "150", "unit": "kg"}}],
        },
        api.cooperative,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "mass_balance"
    assert api.events_stored() == stored


def test_only_the_holder_transforms_a_batch(api: CaptureApi) -> None:
    code = api.harvest()

    answer = api.post(
        "/transformations",
        {
            "step": "splitting",
            "inputs": [{"batch": code, "quantity": {"amount": "100", "unit": "kg"}}],
            "outputs": [{"commodity": "rice", "quantity": {"amount": "100", "unit": "kg"}}],
        },
        api.other_cooperative,
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_custodian"
