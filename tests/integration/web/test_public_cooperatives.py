"""The cooperatives' public pages over the real read models: only those that agreed, only
public facts. The rice chain records household references, transport documents, quantities,
a contract's committed volume and a support amount; none may reach these pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from services.web.app import create_app
from shared.domain.quantities import Quantity
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.public_directory import PostgresPublicDirectory
from shared.readmodels.tracking import Connect, Position
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.integration.readmodels.readmodel_chain import STAFF, Chain, all_envelopes

BASE = "https://nguon.thanhhoa.example"
COMMITTED = "98765.4"
SUPPORT_VND = Decimal("487650000")


@pytest.fixture
def site(
    records: Records,
    projections: Projections,
    reader: PostgresProvenanceReader,
    connect: Connect,
    chain: Chain,
) -> TestClient:
    """Cooperative A agreed to be shown; B (old-model, a partner in the same chain) did not."""
    records.execute(
        Actor(Role.COOPERATIVE, chain.cooperative_a),
        [c.ChangeProfileVisibility(cooperative_id=chain.cooperative_a, show_profile=True)],
    )
    records.execute(
        STAFF,
        [
            c.SignLinkageContract(
                value_chain_id=chain.value_chain,
                contract_number="HĐLK-2025-017",
                parties=[chain.cooperative_a, chain.miller],
                commodity="rice",
                committed_volume=Quantity.positive(COMMITTED, "kg"),
                starts_on=date(2025, 1, 1),
                ends_on=date(2026, 12, 31),
            ),
            c.RecordSupport(
                cooperative_id=chain.cooperative_a,
                kind="fund_loan",
                on=date(2025, 3, 1),
                programme="Quỹ hỗ trợ phát triển HTX",
                amount_vnd=SUPPORT_VND,
            ),
        ],
    )
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    settings = NguonSettings(public_base_url=BASE)
    app = create_app(settings, reader, directory=PostgresPublicDirectory(connect))
    return TestClient(app)


def _private_facts(chain: Chain) -> list[str]:
    return [
        *chain.household_refs,
        *chain.transport_documents,
        " kg",  # no quantity at all: neither batches' nor the contract's
        COMMITTED,
        "98.765",
        "HĐLK-2025-017",
        str(SUPPORT_VND),
        "487.650.000",
        "Quỹ hỗ trợ",
    ]


def test_the_public_list_and_page_show_no_private_fact(site: TestClient, chain: Chain) -> None:
    listing = site.get("/htx")
    page = site.get(f"/htx/{chain.cooperative_a}")

    assert listing.status_code == page.status_code == 200
    for private in _private_facts(chain):
        assert private not in listing.text
        assert private not in page.text


def test_the_list_holds_the_cooperative_that_agreed_and_not_the_others(
    site: TestClient, chain: Chain
) -> None:
    listing = site.get("/htx").text

    assert f"/htx/{chain.cooperative_a}" in listing
    assert f"/htx/{chain.cooperative_b}" not in listing
    assert "HTX Dịch vụ Nông nghiệp Xuân Lập" not in listing


def test_a_cooperative_that_did_not_agree_has_no_page(site: TestClient, chain: Chain) -> None:
    hidden = site.get(f"/htx/{chain.cooperative_b}")
    an_enterprise = site.get(f"/htx/{chain.miller}")

    assert hidden.status_code == an_enterprise.status_code == 404
    assert "Xuân Lập" not in hidden.text


def test_the_page_shows_its_place_chain_partners_certificate_and_products(
    site: TestClient, chain: Chain
) -> None:
    page = site.get(f"/htx/{chain.cooperative_a}").text

    assert "Xã Thiệu Trung (huyện cũ: Thiệu Hóa)" in page
    assert "Chuỗi gạo nếp Thanh Hóa" in page
    assert "Công ty CP Gạo Xứ Thanh" in page  # the chain's lead
    assert "Siêu thị Hạc Thành" in page
    assert "HTX Dịch vụ Nông nghiệp Xuân Lập" in page  # a partner, named, not linked
    assert f"/htx/{chain.cooperative_b}" not in page
    assert "VG-A01" in page
    for code in (chain.harvest_a, chain.milled, chain.retail_lot):
        assert f'href="{BASE}/b/{code}"' in page
    assert chain.harvest_b not in page  # B's own harvest is not A's product


def test_the_list_filters_by_commune_and_commodity(site: TestClient, chain: Chain) -> None:
    def listed(**params: str) -> bool:
        return f"/htx/{chain.cooperative_a}" in site.get("/htx", params=params).text

    assert listed(commune="Xã Thiệu Trung")
    assert not listed(commune="Xã Xuân Lập")
    assert listed(commodity="rice")
    assert not listed(commodity="vegetables")


def test_the_provenance_page_links_the_cooperative_that_agreed(
    site: TestClient, chain: Chain
) -> None:
    page = site.get(f"/b/{chain.retail_lot}").text

    assert f'href="{BASE}/htx/{chain.cooperative_a}"' in page
    assert f"/htx/{chain.cooperative_b}" not in page


def test_withdrawing_consent_takes_the_page_down(
    site: TestClient,
    chain: Chain,
    records: Records,
    projections: Projections,
) -> None:
    records.execute(
        STAFF,
        [c.ChangeProfileVisibility(cooperative_id=chain.cooperative_a, show_profile=False)],
    )
    envelopes = all_envelopes(records)
    projections.apply(envelopes[-1:], Position(envelopes[-1].position))

    assert site.get(f"/htx/{chain.cooperative_a}").status_code == 404
    assert f"/htx/{chain.cooperative_a}" not in site.get("/htx").text


def _apply_new(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))


def test_a_partner_that_left_the_chain_is_no_longer_shown_as_a_partner(
    site: TestClient, chain: Chain, records: Records, projections: Projections
) -> None:
    records.execute(
        STAFF,
        [
            c.LeaveValueChain(
                value_chain_id=chain.value_chain,
                organisation_id=chain.retailer,
                reason="hết hợp đồng",
            )
        ],
    )
    _apply_new(records, projections)

    page = site.get(f"/htx/{chain.cooperative_a}").text

    assert "Siêu thị Hạc Thành" not in page
    assert "HTX Dịch vụ Nông nghiệp Xuân Lập" in page


def test_a_cooperative_that_left_its_only_chain_leaves_the_list_but_keeps_its_page(
    site: TestClient, chain: Chain, records: Records, projections: Projections
) -> None:
    records.execute(
        STAFF,
        [
            c.LeaveValueChain(
                value_chain_id=chain.value_chain,
                organisation_id=chain.cooperative_a,
                reason="chuyển sang chuỗi khác",
            )
        ],
    )
    _apply_new(records, projections)

    page = site.get(f"/htx/{chain.cooperative_a}")

    assert f"/htx/{chain.cooperative_a}" not in site.get("/htx").text
    assert page.status_code == 200
    assert "Chuỗi gạo nếp Thanh Hóa" not in page.text
