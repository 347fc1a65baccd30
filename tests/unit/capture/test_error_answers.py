"""Every refusal answers with one JSON shape and a status that says whose move it is."""

from __future__ import annotations

import json

import pytest
from fastapi.exceptions import RequestValidationError

from services.capture.errors import (
    ProjectionsBehind,
    RowRefused,
    Unauthenticated,
    domain_error_response,
    status_of,
    validation_error_response,
)
from shared.domain.errors import (
    ConcurrentChange,
    DomainError,
    InvalidValue,
    NotFound,
    NotPermitted,
    RuleViolated,
)
from shared.records.application import CommandRefused, IdempotencyKeyReused


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidValue("quantity", "x"), 422),
        (IdempotencyKeyReused("x"), 422),
        (RuleViolated("x", code="mass_balance"), 409),
        (ConcurrentChange("x"), 409),
        (NotFound("x"), 404),
        (NotPermitted("x", code="not_custodian"), 403),
        (Unauthenticated("x", token_sent=False), 401),
        (ProjectionsBehind("x"), 503),
        (DomainError("x"), 400),
    ],
)
def test_each_kind_of_refusal_has_its_status(error: DomainError, status: int) -> None:
    assert status_of(error) == status


def _body(response: object) -> dict[str, object]:
    raw = response.body  # type: ignore[attr-defined]
    error: dict[str, object] = json.loads(raw)["error"]
    return error


def test_a_refused_command_of_a_bulk_request_names_its_index_and_the_rule() -> None:
    refused = CommandRefused(3, RuleViolated("TH-2026-000001 holds 1000 kg", code="mass_balance"))

    response = domain_error_response(refused)

    assert response.status_code == 409
    body = _body(response)
    assert body["code"] == "mass_balance"
    assert body["index"] == 3
    assert body["field"] is None
    assert str(body["hint"]).startswith("Nothing of this request was stored")


def test_a_refused_row_names_the_row_and_the_field() -> None:
    response = domain_error_response(RowRefused(0, 2, InvalidValue("unit", "unknown unit")))

    body = _body(response)
    assert response.status_code == 422
    assert (body["row"], body["field"], body["index"]) == (2, "unit", 0)


def test_a_bulk_validation_error_names_the_command_and_its_field() -> None:
    error = RequestValidationError(
        [
            {
                "type": "greater_than",
                "loc": ("body", "commands", 7, "harvest", "quantity", "amount"),
                "msg": "Input should be greater than 0",
            }
        ]
    )

    body = _body(validation_error_response(error))

    assert body["field"] == "commands[7].quantity.amount"
    assert body["index"] == 7
    assert body["code"] == "number_too_small"
    assert body["message"] == "commands[7].quantity.amount: Input should be greater than 0"


def test_an_unauthenticated_answer_challenges_for_a_bearer_token() -> None:
    sent = domain_error_response(Unauthenticated("unknown", token_sent=True))
    missing = domain_error_response(Unauthenticated("missing", token_sent=False))

    assert sent.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert missing.headers["WWW-Authenticate"] == "Bearer"
