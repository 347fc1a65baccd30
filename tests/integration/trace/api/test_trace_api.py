"""``GET /api/v1/trace/{ref}`` and ``?gtin=&lot=``: the JSON, who may ask, the errors."""

from __future__ import annotations

from typing import Any

import pytest

from shared.postgres.tokens import TokenStore
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of
from shared.readmodels.tracking import Position
from shared.records.actors import Role
from tests.integration.capture.capture_api import CaptureApi, Party, error_of
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes


@pytest.fixture
def chain(api: CaptureApi) -> Chain:
    made = a_chain(api.records)
    projections = Projections(connections_of(api.records))
    projections.reset()
    envelopes = all_envelopes(api.records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    return made


def _codes(answer: dict[str, Any]) -> set[str]:
    return {n["code"] for n in answer["nodes"]}


def test_staff_trace_a_lot_back_with_nodes_links_shipments_parties_plots_and_balance(
    api: CaptureApi, chain: Chain
) -> None:
    answer = api.get(f"/trace/{chain.retail_lot}", api.province, direction="back")

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert _codes(body) == {chain.retail_lot, chain.milled, chain.harvest_a, chain.harvest_b}
    assert len(body["links"]) == 3
    assert {p["organisation_id"] for p in body["parties"]} == {
        str(chain.cooperative_a),
        str(chain.cooperative_b),
        str(chain.miller),
        str(chain.retailer),
    }
    assert len(body["plots"]) == 2
    assert "Xã Xuân Lập" in body["communes"]
    assert body["balance"]["produced"] == "1800"
    assert body["balance"]["on_hand"] == "600"
    assert body["balance"]["complete"] is True


def test_a_labelled_lot_is_traced_by_its_gtin_and_lot(api: CaptureApi, chain: Chain) -> None:
    by_label = api.get("/trace", api.province, gtin=chain.gtin, lot=chain.lot)
    by_code = api.get(f"/trace/{chain.retail_lot}", api.province)

    assert by_label.status_code == 200, by_label.text
    assert by_label.json() == by_code.json()


def test_the_holders_token_sees_the_chain_with_others_quantities_hidden(
    api: CaptureApi, chain: Chain, tokens: TokenStore
) -> None:
    retailer = Party(tokens.create(Role.ENTERPRISE, chain.retailer), chain.retailer)

    answer = api.get(f"/trace/{chain.retail_lot}", retailer, direction="back")

    assert answer.status_code == 200, answer.text
    quantities = {n["code"]: n["quantity"] for n in answer.json()["nodes"]}
    assert quantities[chain.retail_lot] == {"amount": "500", "unit": "kg"}
    assert quantities[chain.harvest_a] is None
    assert answer.json()["balance"]["complete"] is False


def test_an_outsiders_token_is_refused(api: CaptureApi, chain: Chain) -> None:
    answer = api.get(f"/trace/{chain.retail_lot}", api.other_cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "trace_not_permitted"


def test_an_unknown_batch_is_404_and_an_unknown_label_too(api: CaptureApi, chain: Chain) -> None:
    unknown = api.get("/trace/TH-2026-999999", api.province)
    no_label = api.get("/trace", api.province, gtin=chain.gtin, lot="NOPE-1")

    assert (unknown.status_code, error_of(unknown)["code"]) == (404, "trace_batch_unknown")
    assert (no_label.status_code, error_of(no_label)["code"]) == (404, "trace_lot_unknown")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"as_of": "2025-13-01"}, "as_of"),
        ({"known_at": "2025-10-05T08:00:00"}, "known_at"),  # no offset
        ({"depth": "3"}, "depth"),  # not a parameter of the trace
    ],
)
def test_a_bad_parameter_is_422_naming_it(
    api: CaptureApi, chain: Chain, params: dict[str, str], field: str
) -> None:
    answer = api.get(f"/trace/{chain.retail_lot}", api.province, **params)

    assert answer.status_code == 422, answer.text
    assert error_of(answer)["field"] == field


def test_a_bad_reference_or_gtin_is_422_with_its_code(api: CaptureApi, chain: Chain) -> None:
    bad_ref = api.get("/trace/not-a-batch", api.province)
    bad_gtin = api.get("/trace", api.province, gtin="89312345678", lot=chain.lot)

    assert (bad_ref.status_code, error_of(bad_ref)["code"]) == (422, "batch_reference_format")
    assert bad_gtin.status_code == 422
    assert error_of(bad_gtin)["field"] == "gtin"


def test_a_trace_as_of_a_day_before_the_lot_existed_is_404(api: CaptureApi, chain: Chain) -> None:
    answer = api.get(f"/trace/{chain.retail_lot}", api.province, as_of="2025-10-05")

    assert (answer.status_code, error_of(answer)["code"]) == (404, "trace_before_batch")


def test_the_trace_is_documented_in_the_openapi_with_an_example(api: CaptureApi) -> None:
    document = api.client.get("/openapi.json").json()

    operation = document["paths"]["/api/v1/trace/{ref}"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"ref", "direction", "as_of", "known_at"}
    assert {"403", "404", "422"} <= set(operation["responses"])
    assert document["components"]["schemas"]["TraceOut"]["examples"]
