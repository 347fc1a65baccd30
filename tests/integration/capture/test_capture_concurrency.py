"""Two requests changing the same batch at the same moment: one wins, the other is told to retry.

The barrier sits where the race is decided: both requests have loaded the batch at the same
version and are about to save, so exactly one of the two inserts of the next version succeeds.
"""

from __future__ import annotations

import threading

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.builders import processing_json
from tests.integration.capture.capture_api import CaptureApi, Party, error_of
from tests.integration.capture.conftest import RacingRecords


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_processing_of_one_batch_stores_one_event_and_refuses_the_other(
    api: CaptureApi, racing: tuple[RacingRecords, TestClient], attempt: int
) -> None:
    records, client = racing
    code = api.harvest()
    stored = api.events_stored()
    records.barrier = threading.Barrier(2, timeout=10)
    answers: list[httpx.Response] = []

    def process(party: Party, amount: str) -> None:
        answers.append(
            client.post(
                f"/api/v1/batches/{code}/processing",
                json=processing_json(amount),
                headers=party.auth,
            )
        )

    threads = [
        threading.Thread(target=process, args=(api.cooperative, amount))
        for amount in ("900", "950")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert error_of(refused)["code"] == "concurrent_change"
    assert refused.headers["Retry-After"] == "1"
    won = next(a for a in answers if a.status_code == 200)
    history = api.get(f"/batches/{code}/events", api.cooperative).json()["events"]
    assert api.events_stored() == stored + 1
    assert [e["type"] for e in history] == ["Batch.Harvested", "Batch.Processed"]
    assert history[1]["position"] == won.json()["position"]
