"""A recall's process through the API: reading it, the holders' steps and their refusals."""

from __future__ import annotations

from typing import Any

from tests.integration.capture.capture_api import CaptureApi, error_of


def _kg(amount: str) -> dict[str, str]:
    return {"amount": amount, "unit": "kg"}


def _recall(api: CaptureApi, code: str, **extra: Any) -> str:
    answer = api.post(f"/batches/{code}/recall", {"reason": "Nấm mốc", **extra}, api.cooperative)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["results"][0]["recall_id"])


def test_the_recall_answers_its_id_and_reads_back_with_the_harvest_as_its_one_lot(
    api: CaptureApi,
) -> None:
    harvest = api.harvest()
    recall_id = _recall(api, harvest)

    shown = api.get(f"/recalls/{recall_id}", api.province).json()

    assert shown["state"] == "open"
    assert [(lot["code"], lot["outstanding"]) for lot in shown["lots"]] == [(harvest, _kg("1000"))]


def test_an_organisation_with_no_part_in_the_recall_cannot_read_it(api: CaptureApi) -> None:
    recall_id = _recall(api, api.harvest())

    answer = api.get(f"/recalls/{recall_id}", api.enterprise)

    assert answer.status_code == 404


def test_reporting_more_than_the_lot_held_is_refused_and_nothing_is_stored(
    api: CaptureApi,
) -> None:
    harvest = api.harvest()
    recall_id = _recall(api, harvest)
    stored = api.events_stored()

    answer = api.post(
        f"/recalls/{recall_id}/returns",
        {"batch": harvest, "destroyed": _kg("1001")},
        api.cooperative,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "report_exceeds_lot"
    assert api.events_stored() == stored


def test_the_whole_lot_destroyed_closes_the_recall_and_a_second_report_is_refused(
    api: CaptureApi,
) -> None:
    harvest = api.harvest()
    recall_id = _recall(api, harvest)
    body = {"batch": harvest, "destroyed": _kg("1000")}

    first = api.post(f"/recalls/{recall_id}/returns", body, api.cooperative)
    again = api.post(f"/recalls/{recall_id}/returns", body, api.cooperative)

    assert first.json()["results"][0]["state"] == "closed"
    assert error_of(again)["code"] == "recall_not_open"


def test_a_drill_leaves_the_batch_unrecalled(api: CaptureApi) -> None:
    harvest = api.harvest()

    _recall(api, harvest, drill=True)

    assert api.get(f"/batches/{harvest}", api.cooperative).json()["recalled"] is False


def test_only_the_issuer_or_the_province_lifts_a_recall(api: CaptureApi) -> None:
    harvest = api.harvest()
    recall_id = _recall(api, harvest)

    refused = api.post(f"/recalls/{recall_id}/lift", {"reason": "x"}, api.other_cooperative)
    lifted = api.post(f"/recalls/{recall_id}/lift", {"reason": "Mẫu lại đạt"}, api.province)

    assert error_of(refused)["code"] == "lift_not_permitted"
    assert lifted.json()["results"][0]["state"] == "lifted"
    assert api.get(f"/batches/{harvest}", api.cooperative).json()["recalled"] is False
