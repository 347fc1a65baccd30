"""Tracing a lot back to its harvests and a harvest forward to its lots; listing batches."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from shared.domain.identifiers import batch_id
from shared.readmodels.directory import Directory
from shared.readmodels.lineage import trace_back, trace_forward
from shared.readmodels.postgres_readers import PostgresBatchCatalogue
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, session
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes


def _projected(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))


def test_a_retail_lot_traces_back_through_milling_to_both_harvests_with_quantities(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    _projected(records, projections)

    with session(connect) as conn:
        links = trace_back(conn, batch_id(chain.retail_lot))

    assert [(x["parent_code"], x["child_code"], x["depth"]) for x in links] == [
        (chain.milled, chain.retail_lot, 1),
        (chain.harvest_a, chain.milled, 2),
        (chain.harvest_b, chain.milled, 2),
    ]
    taken = {x["parent_code"]: (Decimal(x["amount"]), x["unit"]) for x in links}
    assert taken[chain.harvest_a] == (Decimal(800), "kg")
    assert taken[chain.harvest_b] == (Decimal(720), "kg")


def test_a_harvest_traces_forward_to_everything_made_from_it(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    _projected(records, projections)

    with session(connect) as conn:
        links = trace_forward(conn, batch_id(chain.harvest_b))

    assert {(x["parent_code"], x["child_code"]) for x in links} == {
        (chain.harvest_b, chain.milled),
        (chain.milled, chain.retail_lot),
        (chain.milled, chain.other_lot),
    }
    with session(connect) as conn:
        assert trace_forward(conn, batch_id(chain.retail_lot)) == []


def test_the_catalogue_lists_a_holders_batches_by_commodity_and_status(
    records: Records, projections: Projections, catalogue: PostgresBatchCatalogue, chain: Chain
) -> None:
    _projected(records, projections)

    held_by_miller = catalogue.search(chain.miller, None, None, 50, None)
    active_rice = catalogue.search(chain.miller, "rice", "active", 50, None)
    in_retail = catalogue.search(chain.retailer, None, None, 50, None)

    assert {s["code"] for s in held_by_miller} == {
        chain.harvest_a,
        chain.harvest_b,
        chain.milled,
        chain.other_lot,
    }
    assert {s["code"] for s in active_rice} == {chain.harvest_a, chain.other_lot}
    (lot,) = in_retail
    assert (lot["code"], lot["quantity"], lot["unit"], lot["status"]) == (
        chain.retail_lot,
        "500",
        "kg",
        "active",
    )
    assert (lot["gtin"], lot["lot"], lot["recalled"]) == (chain.gtin, chain.lot, False)
    milled = next(s for s in held_by_miller if s["code"] == chain.milled)
    assert milled["status"] == "depleted"
    harvest_a = next(s for s in held_by_miller if s["code"] == chain.harvest_a)
    assert harvest_a["quantity"] == "100"
    assert catalogue.search(None, "coffee", None, 50, None) == []


def test_the_catalogue_pages_through_batches_in_code_order(
    records: Records, projections: Projections, catalogue: PostgresBatchCatalogue
) -> None:
    a_chain(records, "01")
    a_chain(records, "02")
    _projected(records, projections)

    everything = [s["code"] for s in catalogue.search(None, None, None, 100, None)]
    pages: list[list[str]] = []
    after: str | None = None
    while page := [s["code"] for s in catalogue.search(None, None, None, 3, after)]:
        pages.append(page)
        after = page[-1]

    assert len(everything) == 10
    assert everything == sorted(everything)
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert [code for page in pages for code in page] == everything


def test_the_directory_lists_cooperatives_with_their_model_status_and_chains(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    _projected(records, projections)
    directory = Directory(connect)

    cooperatives = directory.organisations(kind="cooperative")
    old_model = directory.organisations(kind="cooperative", model="old")
    miller = directory.organisation(chain.miller)

    assert [(c["name"], c["former_district"], c["model"], c["status"]) for c in cooperatives] == [
        ("HTX Dịch vụ Nông nghiệp Xuân Lập", "Thọ Xuân", "old", "active"),
        ("HTX Nông nghiệp Thiệu Trung", "Thiệu Hóa", "new", "active"),
    ]
    assert [c["id"] for c in old_model] == [str(chain.cooperative_b)]
    assert cooperatives[1]["chains"][0]["roles"] == ["producer"]
    assert cooperatives[1]["members_count"] == 40
    assert miller is not None
    assert miller["kind"] == "enterprise"
    assert miller["chains"][0]["roles"] == ["lead"]
    assert directory.organisation(UUID(int=1)) is None
    assert directory.cooperatives_in_chains() == {"active": 2, "in_chains": 2}
