"""Bad input is answered with 422 naming the field (or 404/405 for wrong addresses), never 500."""

from __future__ import annotations

from typing import Any

import pytest

from services.capture.validation import CODES, OWN
from tests.builders import cooperative_json, harvest_json
from tests.integration.capture.capture_api import CaptureApi, error_of


def _refused(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    return error_of(answer)


def test_a_body_that_is_not_json_is_malformed(api: CaptureApi) -> None:
    answer = api.client.post(
        "/api/v1/cooperatives",
        content=b'{"name": "HTX", ',
        headers=api.province.auth | {"Content-Type": "application/json"},
    )

    error = _refused(answer)
    assert error["code"] == "malformed_json"
    assert "not valid JSON" in error["message"]


def test_a_body_that_is_a_list_is_refused(api: CaptureApi) -> None:
    assert api.post("/cooperatives", [cooperative_json()], api.province).status_code == 422


def test_a_missing_body_is_refused_naming_the_body(api: CaptureApi) -> None:
    answer = api.client.post("/api/v1/cooperatives", headers=api.province.auth)

    assert _refused(answer)["field"] == "body"


def test_a_missing_field_is_named(api: CaptureApi) -> None:
    body = harvest_json(api.cooperative.plot)
    del body["commodity"]

    error = _refused(api.post("/batches", body, api.cooperative))

    assert error["field"] == "commodity"
    assert error["hint"]


def test_an_unknown_field_is_named(api: CaptureApi) -> None:
    body = harvest_json(api.cooperative.plot, weight_kg=1000)

    assert _refused(api.post("/batches", body, api.cooperative))["field"] == "weight_kg"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": {"amount": "một tấn", "unit": "kg"}}, "quantity.amount"),
        ({"quantity": {"amount": "-5", "unit": "kg"}}, "quantity.amount"),
        ({"quantity": {"amount": "NaN", "unit": "kg"}}, "quantity.amount"),
        ({"quantity": {"amount": "5", "unit": "bao"}}, "quantity.unit"),
        ({"quantity": "1000 kg"}, "quantity"),
        ({"harvested_on": "05/10/2025"}, "harvested_on"),
        ({"harvested_on": 1759622400}, "harvested_on"),
        ({"at": "2025-10-05T08:00:00"}, "at"),
        ({"at": 1759622400}, "at"),
        ({"plot_ids": ["not-a-uuid"]}, "plot_ids[0]"),
        ({"plot_ids": []}, "plot_ids"),
        ({"commodity": 42}, "commodity"),
        ({"commodity": "   "}, "commodity"),
    ],
)
def test_a_harvest_with_a_wrong_value_is_refused_naming_the_field(
    api: CaptureApi, change: dict[str, Any], field: str
) -> None:
    stored = api.events_stored()

    error = _refused(
        api.post("/batches", harvest_json(api.cooperative.plot, **change), api.cooperative)
    )

    assert error["field"] == field
    assert (
        error["code"] in CODES.values() or error["code"] in OWN
    )  # a specific code, not one for all
    assert error["params"]["field"] == field
    assert api.events_stored() == stored


def test_a_count_given_as_text_is_refused(api: CaptureApi) -> None:
    error = _refused(api.post("/cooperatives", cooperative_json(members_count="40"), api.province))

    assert error["field"] == "members_count"


def test_a_decimal_may_be_a_number_or_a_string(api: CaptureApi) -> None:
    as_number = harvest_json(api.cooperative.plot, quantity={"amount": 1250.5, "unit": "kg"})

    assert api.post("/batches", as_number, api.cooperative).status_code == 201


def test_an_id_in_the_path_that_is_not_a_uuid_is_refused_naming_it(api: CaptureApi) -> None:
    answer = api.post(
        "/cooperatives/htx-1/status", {"status": "active", "reason": "x"}, api.province
    )

    assert _refused(answer)["field"] == "cooperative_id"


def test_an_idempotency_key_longer_than_200_characters_is_refused(api: CaptureApi) -> None:
    answer = api.post("/cooperatives", cooperative_json(), api.province, key="k" * 201)

    assert _refused(answer)["field"] == "Idempotency-Key"


def test_an_unknown_path_is_a_json_404(api: CaptureApi) -> None:
    answer = api.get("/farms", api.province)

    assert answer.status_code == 404
    assert error_of(answer)["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(api: CaptureApi) -> None:
    answer = api.client.delete("/api/v1/cooperatives", headers=api.province.auth)

    assert answer.status_code == 405
    assert error_of(answer)["code"] == "method_not_allowed"


def test_the_api_describes_itself_in_openapi_with_a_summary_for_every_route(
    api: CaptureApi,
) -> None:
    schema = api.client.get("/openapi.json").json()

    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert (
        len(operations) == 66
    )  # 36, 3 monitoring reads, the registry's 8, a cooperative's consent, a plot's diary (2),
    # 3 of households, a GTIN's product, a recall's 5 (read, notice, acknowledge, returns, lift),
    # GLNs' 3 (register, read, list)
    assert all(op.get("summary") and op.get("tags") for op in operations)


# What the read models, the wire and PostgreSQL cannot hold is refused at the door -------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"members_count": 2_147_483_648}, "members_count"),
        ({"members_count": -1}, "members_count"),
        ({"name": "HTX\x00Thiệu Trung"}, "name"),
        ({"commune": "x" * 201}, "commune"),
        ({"founded": "0001-01-01"}, "founded"),
        ({"founded": "9999-12-31"}, "founded"),
    ],
)
def test_a_cooperative_with_a_value_the_read_models_cannot_hold_is_refused(
    api: CaptureApi, change: dict[str, Any], field: str
) -> None:
    stored = api.events_stored()

    error = _refused(api.post("/cooperatives", cooperative_json(**change), api.province))

    assert error["field"] == field
    assert api.events_stored() == stored


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": {"amount": "1" * 13, "unit": "kg"}}, "quantity.amount"),
        ({"quantity": {"amount": "1E+30", "unit": "kg"}}, "quantity.amount"),
        ({"quantity": {"amount": "0.0000001", "unit": "kg"}}, "quantity.amount"),
        ({"quantity": {"amount": 1e308, "unit": "kg"}}, "quantity.amount"),
        ({"at": "0001-01-01T00:00:00+01:00"}, "at"),
        ({"at": "9999-12-31T23:59:59-05:00"}, "at"),
        ({"variety": "\x00"}, "variety"),
    ],
)
def test_a_harvest_with_a_value_the_read_models_cannot_hold_is_refused(
    api: CaptureApi, change: dict[str, Any], field: str
) -> None:
    stored = api.events_stored()

    body = harvest_json(api.cooperative.plot, **change)
    error = _refused(api.post("/batches", body, api.cooperative))

    assert error["field"] == field
    assert api.events_stored() == stored


def test_a_fact_with_a_nul_character_is_refused(api: CaptureApi) -> None:
    code = api.harvest()
    body = {"lab": "Vinacontrol", "result": "pass", "parameters": {"moisture\x00": "14%"}}

    error = _refused(api.post(f"/batches/{code}/inspections", body, api.cooperative))

    assert error["field"].startswith("parameters")


def test_the_largest_count_postgresql_holds_is_accepted(api: CaptureApi) -> None:
    body = cooperative_json(members_count=2_147_483_647)

    assert api.post("/cooperatives", body, api.province).status_code == 201


def test_the_api_document_shows_the_bounds_of_counts_texts_and_amounts(api: CaptureApi) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]

    cooperative = schemas["RegisterCooperativeBody"]["properties"]
    assert cooperative["members_count"]["maximum"] == 2_147_483_647
    assert cooperative["name"]["maxLength"] == 200
    assert cooperative["name"]["pattern"] == r"^[^\x00]*$"
    amount = schemas["QuantityIn"]["properties"]["amount"]
    assert amount["anyOf"] == [
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10**12},
        {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,6})?$"},
    ]


def test_a_body_that_is_not_utf8_is_refused_as_malformed_not_400(api: CaptureApi) -> None:
    answer = api.client.post(
        "/api/v1/enterprises",
        content=b"~a\xff\xfets",
        headers=api.province.auth | {"Content-Type": "application/json"},
    )

    error = _refused(answer)
    assert error["code"] in ("malformed_body", "malformed_json")
    assert error["field"] == "body"
