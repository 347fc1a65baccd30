"""A label's best-before date (GS1 AI 15) through the API: stored with the labelling, refused
with its own code when already past, and nothing stored then."""

from __future__ import annotations

from datetime import timedelta

import httpx

from shared.domain.clock import today_in_vietnam
from tests.builders import a_gtin, after_harvest
from tests.integration.capture.capture_api import CaptureApi, error_of


def _label(api: CaptureApi, code: str, gtin: str, best_before: str) -> httpx.Response:
    body = {
        "gtin": gtin,
        "lot": "L1",
        "labels_issued": 50,
        "at": after_harvest(2).isoformat(),
        "best_before": best_before,
    }
    return api.post(f"/batches/{code}/labels", body, api.cooperative)


def test_a_batch_is_labelled_with_its_best_before_date(api: CaptureApi) -> None:
    gtin = a_gtin()
    api.post(f"/organisations/{api.cooperative.org}/gtins", {"gtin": gtin}, api.cooperative)
    stored = api.events_stored()
    day = today_in_vietnam() + timedelta(days=300)

    answer = _label(api, api.harvest(), gtin, day.isoformat())

    assert answer.status_code == 200, answer.text
    assert api.events_stored() > stored


def test_a_best_before_date_already_past_is_refused_and_nothing_is_stored(
    api: CaptureApi,
) -> None:
    gtin = a_gtin()
    api.post(f"/organisations/{api.cooperative.org}/gtins", {"gtin": gtin}, api.cooperative)
    code = api.harvest()
    stored = api.events_stored()

    answer = _label(api, code, gtin, "2001-01-01")

    assert answer.status_code == 422, answer.text
    assert error_of(answer)["code"] == "best_before_past"
    assert api.events_stored() == stored
