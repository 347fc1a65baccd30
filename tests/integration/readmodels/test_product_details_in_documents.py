"""The labelled GTIN's product details reach the buyer's document, whenever they are said."""

from __future__ import annotations

from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Position
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes


def _describe(records: Records, chain: Chain, name_vi: str, **more: object) -> None:
    command = c.DescribeProduct(gtin=chain.gtin, name_vi=name_vi, **more)  # type: ignore[arg-type]
    records.execute(Actor(Role.ENTERPRISE, chain.retailer), [command])


def _projected(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))


def _document(reader: PostgresProvenanceReader, code: str) -> ProvenanceDocument:
    document = reader.by_code(code)
    assert document is not None
    return document


def test_a_product_described_after_labelling_reaches_the_labelled_lots_document(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)
    assert _document(reader, chain.retail_lot).get("product_details") is None

    _describe(records, chain, "Gạo nếp cái hoa vàng", name_en="Yellow-flower rice", brand="Hạc")
    _projected(records, projections)
    _describe(records, chain, "Gạo nếp Thiệu Hóa", brand="Hạc", shelf_life_days=365)
    _projected(records, projections)

    details = _document(reader, chain.retail_lot).get("product_details")
    assert details == {
        "name_vi": "Gạo nếp Thiệu Hóa",
        "name_en": None,
        "brand": "Hạc",
        "shelf_life_days": 365,
        "photo": None,
    }
    assert _document(reader, chain.other_lot).get("product_details") is None
