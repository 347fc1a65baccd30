"""A retried request with the same Idempotency-Key gets the first answer and stores nothing."""

from __future__ import annotations

from tests.builders import cooperative_json, harvest_json, processing_json
from tests.integration.capture.capture_api import CaptureApi, error_of


def test_a_retried_harvest_returns_the_first_answer_and_stores_nothing_twice(
    api: CaptureApi,
) -> None:
    body = harvest_json(api.cooperative.plot)
    first = api.post("/batches", body, api.cooperative, key="phone-7f3a-0001")
    stored = api.events_stored()

    again = api.post("/batches", body, api.cooperative, key="phone-7f3a-0001")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Location"] == first.headers["Location"]
    assert api.events_stored() == stored


def test_the_same_key_with_another_body_is_refused(api: CaptureApi) -> None:
    api.post("/cooperatives", cooperative_json(), api.province, key="k-1")
    stored = api.events_stored()

    answer = api.post("/cooperatives", cooperative_json(), api.province, key="k-1")

    assert answer.status_code == 422
    assert error_of(answer)["code"] == "idempotency_key_reused"
    assert api.events_stored() == stored


def test_the_same_key_and_body_for_another_batch_is_another_request(api: CaptureApi) -> None:
    first, second = api.harvest(), api.harvest()
    api.post(f"/batches/{first}/processing", processing_json(), api.cooperative, key="dry-1")

    answer = api.post(
        f"/batches/{second}/processing", processing_json(), api.cooperative, key="dry-1"
    )

    assert answer.status_code == 422
    assert error_of(answer)["code"] == "idempotency_key_reused"


def test_keys_belong_to_the_token_that_sent_them(api: CaptureApi) -> None:
    stored = api.events_stored()

    mine = api.post("/cooperatives", cooperative_json(), api.province, key="shared-key")
    theirs = api.post("/cooperatives", cooperative_json(), api.admin, key="shared-key")

    assert mine.status_code == theirs.status_code == 201
    assert api.events_stored() == stored + 2


def test_a_refused_request_does_not_use_up_its_key(api: CaptureApi) -> None:
    code = api.harvest()
    refused = api.post(
        f"/batches/{code}/processing", processing_json("5000"), api.cooperative, key="retry-me"
    )

    fixed = api.post(
        f"/batches/{code}/processing", processing_json("900"), api.cooperative, key="retry-me"
    )

    assert refused.status_code == 409
    assert fixed.status_code == 200
