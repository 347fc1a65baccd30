"""A recall through the API reaches every batch made from the recalled one, on real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import after_harvest
from tests.integration.capture.capture_api import CaptureApi, error_of


def _at(hours: int) -> str:
    return after_harvest(hours).isoformat()


def _split(api: CaptureApi, code: str, *amounts: str, hours: int) -> list[str]:
    answer = api.post(
        "/transformations",
        {
            "step": "packing",
            "inputs": [{"batch": code, "quantity": {"amount": "1000", "unit": "kg"}}],
            "outputs": [
                {"commodity": "gạo", "quantity": {"amount": a, "unit": "kg"}} for a in amounts
            ],
            "at": _at(hours),
        },
        api.cooperative,
    )
    assert answer.status_code == 201, answer.text
    return [str(o["code"]) for o in answer.json()["results"][0]["outputs"]]


def _state(api: CaptureApi, code: str) -> dict[str, Any]:
    state: dict[str, Any] = api.get(f"/batches/{code}", api.cooperative).json()
    return state


@pytest.fixture
def recalled_bag(api: CaptureApi) -> tuple[str, str]:
    """A harvest milled into one lot packed into bags; the harvest is then recalled."""
    harvest = api.harvest()
    (milled,) = _split(api, harvest, "1000", hours=2)
    bag, _ = _split(api, milled, "500", "500", hours=3)
    answer = api.post(
        f"/batches/{harvest}/recall", {"reason": "Dư lượng thuốc BVTV", "at": _at(4)}, api.province
    )
    assert answer.status_code == 200, answer.text
    return harvest, bag


def test_a_bag_made_from_a_recalled_harvest_cannot_be_sold(
    api: CaptureApi, recalled_bag: tuple[str, str]
) -> None:
    harvest, bag = recalled_bag
    stored = api.events_stored()

    answer = api.post(f"/batches/{bag}/sale", {"at": _at(5)}, api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "recalled"
    assert harvest in error_of(answer)["message"]
    assert api.events_stored() == stored


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("shipments", {"transport_document": "PXK-1"}),
        ("processing", {"step": "sorting", "facility": "Kho", "quantity_after": "x"}),
        ("labels", {"gtin": "8930000000019", "lot": "L1", "labels_issued": 10}),
    ],
)
def test_a_bag_made_from_a_recalled_harvest_goes_nowhere(
    api: CaptureApi, recalled_bag: tuple[str, str], path: str, body: dict[str, Any]
) -> None:
    _, bag = recalled_bag
    body = body | {"at": _at(5)}
    if path == "shipments":
        body["to"] = api.enterprise.org
    if path == "processing":
        body["quantity_after"] = {"amount": "400", "unit": "kg"}

    answer = api.post(f"/batches/{bag}/{path}", body, api.cooperative)

    assert answer.status_code == 409, answer.text
    assert error_of(answer)["code"] == "recalled"


def test_a_bag_made_from_a_recalled_harvest_cannot_be_transformed(
    api: CaptureApi, recalled_bag: tuple[str, str]
) -> None:
    _, bag = recalled_bag

    answer = api.post(
        "/transformations",
        {
            "step": "packing",
            "inputs": [{"batch": bag, "quantity": {"amount": "500", "unit": "kg"}}],
            "outputs": [{"commodity": "gạo", "quantity": {"amount": "500", "unit": "kg"}}],
            "at": _at(5),
        },
        api.cooperative,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "recalled"


def test_the_bags_state_says_it_is_recalled_the_moment_the_recall_is_answered(
    api: CaptureApi, recalled_bag: tuple[str, str]
) -> None:
    _, bag = recalled_bag

    assert _state(api, bag)["recalled"] is True


def test_a_bag_made_from_a_recalled_harvest_still_takes_a_correction(
    api: CaptureApi, recalled_bag: tuple[str, str]
) -> None:
    _, bag = recalled_bag

    answer = api.post(
        f"/batches/{bag}/corrections",
        {"amends_version": 1, "reason": "Cân lại", "quantity": {"amount": "490", "unit": "kg"}},
        api.cooperative,
    )

    assert answer.status_code == 200, answer.text


def test_the_recall_is_recorded_on_each_descendant_in_the_same_answer(api: CaptureApi) -> None:
    harvest = api.harvest()
    (milled,) = _split(api, harvest, "1000", hours=2)
    stored = api.events_stored()

    answer = api.post(f"/batches/{harvest}/recall", {"reason": "Nấm mốc"}, api.cooperative)

    # The harvest's Recalled, the bag's RecallReached, and the Recall process's Opened.
    assert api.events_stored() == stored + 3
    assert answer.json()["position"] == stored + 3
    history = api.get(f"/batches/{milled}/events", api.cooperative).json()["events"]
    assert history[-1]["type"] == "Batch.RecallReached"
