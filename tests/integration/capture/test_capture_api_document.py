"""The OpenAPI document describes the refusals the API really gives, for every operation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from tests.builders import harvest_json, plot_json
from tests.integration.capture.capture_api import CaptureApi


@pytest.fixture
def document(api: CaptureApi) -> dict[str, Any]:
    found: dict[str, Any] = api.client.get("/openapi.json").json()
    return found


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def _conforms(document: dict[str, Any], method: str, path: str, answer: httpx.Response) -> None:
    """The answer's body fits what the document says this operation answers with its status."""
    responses = document["paths"][path][method]["responses"]
    assert str(answer.status_code) in responses, (
        f"{method} {path}: {answer.status_code} undocumented"
    )
    schema = responses[str(answer.status_code)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator(schema | {"components": document["components"]})
    validator.validate(answer.json())


def test_the_document_never_mentions_fastapis_validation_error(document: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in str(document)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_operation_documents_its_refusals_as_the_apis_error_answer(
    document: dict[str, Any],
) -> None:
    operations = _operations(document)

    assert operations
    for method, path, operation in operations:
        expected = {"401", "403", "404", "422", "503"} | ({"409"} if method == "post" else set())
        responses = operation["responses"]
        assert expected <= set(responses), f"{method} {path}"
        for status in expected:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorAnswer"}, f"{method} {path}"


def test_real_refusals_conform_to_the_document(api: CaptureApi, document: dict[str, Any]) -> None:
    code = api.harvest()
    bad_harvest = harvest_json(api.cooperative.plot, quantity={"amount": "-1", "unit": "kg"})
    sold = api.post(f"/batches/{code}/sale", {}, api.cooperative)
    assert sold.status_code == 200, sold.text
    answers = [
        ("post", "/api/v1/batches", api.client.post("/api/v1/batches", json={})),
        ("post", "/api/v1/batches", api.post("/batches", bad_harvest, api.cooperative)),
        (
            "post",
            "/api/v1/plots",
            api.post("/plots", plot_json(api.other_cooperative.org), api.cooperative),
        ),
        ("get", "/api/v1/batches/{ref}", api.get("/batches/TH-2026-999999", api.province)),
        (
            "post",
            "/api/v1/batches/{ref}/sale",
            api.post(f"/batches/{code}/sale", {}, api.cooperative),
        ),
        ("get", "/api/v1/batches", api.get("/batches", api.cooperative, after_position=10**9)),
    ]

    assert [a.status_code for _, _, a in answers] == [401, 422, 403, 404, 409, 422]
    for method, path, answer in answers:
        _conforms(document, method, path, answer)


def test_a_bulk_refusal_with_its_index_conforms_to_the_document(
    api: CaptureApi, document: dict[str, Any]
) -> None:
    commands = [
        harvest_json(api.cooperative.plot, type="harvest"),
        {"type": "sell", "batch": "TH-2026-999999"},
    ]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code in (404, 409, 422)
    assert answer.json()["error"]["index"] == 1
    _conforms(document, "post", "/api/v1/bulk", answer)
