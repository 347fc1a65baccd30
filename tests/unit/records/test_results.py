"""Typed results answer as the API always did, and a replayed answer decodes to the same types."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shared.records import results as r

A_BATCH = r.BatchResult(batch_id=uuid4(), code="TH-2026-000123")
EXAMPLES: list[r.Result] = [
    r.CooperativeResult(cooperative_id=uuid4()),
    r.EnterpriseResult(enterprise_id=uuid4()),
    r.OrganisationResult(organisation_id=uuid4()),
    r.ValueChainResult(value_chain_id=uuid4()),
    r.ContractResult(value_chain_id=uuid4(), contract_number="HDLK-01"),
    r.PlotResult(plot_id=uuid4()),
    A_BATCH,
    r.LabelResult(batch_id=uuid4(), code="TH-2026-000124", gtin="08934567890120", lot="L1"),
    r.TransformationResult(transformation_id=uuid4(), outputs=(A_BATCH,)),
    r.GtinResult(organisation_id=uuid4(), registered="prefix:893456"),
    r.LicenceResult(gtin="08934567890120", licensee_id=uuid4()),
]


@pytest.mark.parametrize("result", EXAMPLES, ids=lambda result: type(result).__name__)
def test_a_result_decodes_from_its_json_to_itself(result: r.Result) -> None:
    assert r.from_json(r.to_json(result)) == result


def test_a_transformation_answers_in_the_shape_the_api_always_had() -> None:
    answer = r.to_json(EXAMPLES[8])

    assert answer == {
        "transformation_id": str(EXAMPLES[8].transformation_id),  # type: ignore[union-attr]
        "outputs": [{"batch_id": str(A_BATCH.batch_id), "code": A_BATCH.code}],
    }


def test_an_answer_of_no_known_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="no result type"):
        r.from_json({"something": "else"})
