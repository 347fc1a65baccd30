"""A GTIN alone is resolved from PostgreSQL: the product, who labels it, its public lots."""

from __future__ import annotations

from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Position
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes


def test_a_labelled_gtin_names_its_product_labeller_and_lots(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)
    document = reader.by_code(chain.retail_lot)
    assert document is not None

    product = reader.by_gtin(chain.gtin)

    assert product is not None
    assert product["product"] == document["product"]
    assert [lot["code"] for lot in product["lots"]] == [chain.retail_lot]
    labelled = [step for step in document["timeline"] if step["kind"] == "labelled"]
    assert product["owner"] == labelled[-1]["organisation"]


def test_a_gtin_no_batch_carries_is_not_found(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)

    assert reader.by_gtin("09520123456788") is None


def _projected(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
