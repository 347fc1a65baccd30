"""Capture refuses a lot that no GS1 Digital Link can carry, says why, and stores nothing."""

from __future__ import annotations

import pytest

from tests.builders import a_gtin, after_harvest
from tests.integration.capture.capture_api import CaptureApi, error_of


@pytest.mark.parametrize("lot", ['NEP"2025', "..", "."])
def test_a_lot_no_digital_link_can_carry_is_refused_with_a_clear_message(
    api: CaptureApi, lot: str
) -> None:
    code = api.harvest()
    body = {"gtin": a_gtin(), "lot": lot, "labels_issued": 10, "at": after_harvest(2).isoformat()}

    answer = api.post(f"/batches/{code}/labels", body, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "lot"
    assert "Digital Link" in error_of(answer)["message"]
    assert api.get(f"/batches/{code}", api.province).json()["lot"] is None


def test_a_lot_with_every_other_gs1_symbol_is_accepted(api: CaptureApi) -> None:
    code = api.harvest()
    gtin = a_gtin()  # a label carries a GTIN its holder registered
    api.post(f"/organisations/{api.cooperative.org}/gtins", {"gtin": gtin}, api.cooperative)
    body = {"gtin": gtin, "lot": "A/B?C%D&E+F", "labels_issued": 1}
    body["at"] = after_harvest(2).isoformat()

    answer = api.post(f"/batches/{code}/labels", body, api.cooperative)

    assert answer.status_code == 200, answer.text
