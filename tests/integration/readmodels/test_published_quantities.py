"""Buyers see a bulk lot's quantity only where its holder agreed; retail units show theirs."""

from __future__ import annotations

from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Position
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes


def _quantity_on_the_page(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, code: str
) -> str | None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    document = reader.by_code(code)
    assert document is not None
    return document["quantity"]


def test_a_bulk_lot_shows_no_quantity_until_its_holder_agrees(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    assert _quantity_on_the_page(records, projections, reader, chain.other_lot) is None


def test_a_bulk_lot_shows_its_quantity_once_its_holder_publishes_quantities(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    miller = Actor(Role.ENTERPRISE, chain.miller)
    records.execute(
        miller, [c.ChangePublication(organisation_id=chain.miller, publish_quantities=True)]
    )

    assert _quantity_on_the_page(records, projections, reader, chain.other_lot) is not None


def test_a_retail_unit_labelled_with_a_gtin_shows_its_net_quantity(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    assert _quantity_on_the_page(records, projections, reader, chain.retail_lot) == "500 kg"
