"""What a buyer sees of a retail lot: its origin, its journey, and nothing private."""

from __future__ import annotations

import json
from datetime import date

from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, PositionWaiter
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes


def _projected(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))


def _retail_document(reader: PostgresProvenanceReader, chain: Chain) -> ProvenanceDocument:
    document = reader.by_code(chain.retail_lot)
    assert document is not None
    return document


def test_the_retail_lot_names_both_origin_plots_communes_and_cooperatives(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)

    document = _retail_document(reader, chain)

    plots = {p["id"]: p for p in document["origin_plots"]}
    assert set(plots) == {str(chain.plot_a), str(chain.plot_b)}
    assert {p["commune"] for p in plots.values()} == {"Xã Thiệu Trung", "Xã Xuân Lập"}
    assert plots[str(chain.plot_a)]["location"] == {
        "type": "Point",
        "coordinates": [105.681234, 19.901234],
    }
    assert plots[str(chain.plot_b)]["location"]["type"] == "Polygon"
    assert plots[str(chain.plot_a)]["planting_area_code"] == "VT-38-01-001"
    cooperatives = {c["id"]: c for c in document["cooperatives"]}
    assert set(cooperatives) == {str(chain.cooperative_a), str(chain.cooperative_b)}
    assert cooperatives[str(chain.cooperative_b)]["address"] == "Xã Xuân Lập, Thọ Xuân, Thanh Hóa"
    assert document["harvest_dates"] == ["2025-10-05"]
    assert document["holder"] is not None
    assert document["holder"]["name"] == "Siêu thị Hạc Thành"
    assert (document["gtin"], document["lot"]) == (chain.gtin, chain.lot)
    assert document["product"] == "rice — Nếp cái hoa vàng"
    assert document["quantity"] == "500 kg"
    assert document["status"] == "active"


def test_the_retail_lots_timeline_goes_back_to_both_harvests_with_organisation_names(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)

    timeline = _retail_document(reader, chain)["timeline"]

    steps = [(s["kind"], s["batch_code"]) for s in timeline]
    for code in (chain.harvest_a, chain.harvest_b):
        assert ("harvested", code) in steps
        assert ("processed", code) in steps
        assert ("shipped", code) in steps
        assert ("received", code) in steps
    assert ("transformed", chain.milled) in steps
    assert ("transformed", chain.retail_lot) in steps
    assert steps[-3:] == [
        ("shipped", chain.retail_lot),
        ("received", chain.retail_lot),
        ("labelled", chain.retail_lot),
    ]
    assert timeline[0]["kind"] == "harvested"
    shipped = next(s for s in timeline if s["kind"] == "shipped")
    assert shipped["summary"] == {"to": "Công ty CP Gạo Xứ Thanh"}
    milling = next(
        s for s in timeline if s["batch_code"] == chain.milled and s["kind"] == "transformed"
    )
    assert milling["summary"]["sources"] == f"{chain.harvest_a}, {chain.harvest_b}"
    assert milling["organisation"] is not None
    assert milling["organisation"]["name"] == "Công ty CP Gạo Xứ Thanh"


def test_inspections_certifications_and_chains_that_fed_the_lot_are_shown(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)

    document = _retail_document(reader, chain)

    assert [(i["batch_code"], i["result"], i["document"]) for i in document["inspections"]] == [
        (chain.milled, "pass", "KQ-2025-001")
    ]
    held = {(c["scheme"], c["holder"], c["certificate"]) for c in document["certifications"]}
    assert ("organic", chain.milled, "ORG-2025-7") in held
    assert ("VietGAP", "HTX Nông nghiệp Thiệu Trung", "VG-A01") in held
    assert ("VietGAP", "VT-38-01-001", "VG-P01") in held
    (value_chain,) = document["value_chains"]
    roles = {(p["name"], p["role"]) for p in value_chain["partners"]}  # type: ignore[attr-defined]
    assert ("Công ty CP Gạo Xứ Thanh", "lead") in roles
    assert ("Siêu thị Hạc Thành", "retailer") in roles


def test_a_parents_inspection_after_the_milling_stays_off_the_childrens_pages(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)

    harvest = reader.by_code(chain.harvest_a)
    lot = _retail_document(reader, chain)

    assert harvest is not None
    assert [i["document"] for i in harvest["inspections"]] == ["KQ-LATER"]
    assert "KQ-LATER" not in json.dumps(lot)


def test_no_private_data_appears_in_any_document(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    _projected(records, projections)

    with connect() as conn:
        documents = [row[0] for row in conn.execute("SELECT document FROM rm_provenance")]

    assert len(documents) == 5
    published = json.dumps(documents, ensure_ascii=False)
    for secret in (*chain.household_refs, *chain.transport_documents):
        assert secret not in published
    for document in documents:
        for step in document["timeline"]:
            assert not {"quantity", "amount", "quantity_after", "transport_document"} & set(
                step["summary"]
            )


def test_certificate_validity_is_judged_on_the_day_the_page_is_read(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    _projected(records, projections)
    later = PostgresProvenanceReader(
        connect, PositionWaiter(connect), today=lambda: date(2027, 6, 1)
    )

    document = later.by_code(chain.retail_lot)

    assert document is not None
    validity = {c["certificate"]: c["valid_now"] for c in document["certifications"]}
    assert validity["ORG-2025-7"] is False  # until 2027-01-01
    assert validity["VG-A01"] is True  # until 2028-01-01


def test_a_labelled_lot_is_found_by_its_gtin_and_lot(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    _projected(records, projections)

    document = reader.by_gtin_lot(chain.gtin, chain.lot)

    assert document is not None
    assert document["code"] == chain.retail_lot
    assert reader.by_gtin_lot(chain.gtin, "NO-SUCH-LOT") is None
