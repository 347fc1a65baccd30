"""The registry read from the real projections: search, filters, pages, details and scope."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shared.domain.clock import today_in_vietnam
from shared.domain.errors import NotFound, NotPermitted
from shared.readmodels.projections import Projections
from shared.readmodels.registry import (
    ChainFilters,
    OrganisationFilters,
    Paging,
    PlotFilters,
    RegistryReader,
)
from shared.readmodels.tracking import Connect
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.registry_world import World, a_registry, project

STAFF = Actor(Role.PROVINCE)


@pytest.fixture
def world(records: Records, projections: Projections) -> World:
    world = a_registry(records)
    project(records, projections)
    return world


@pytest.fixture
def registry(connect: Connect) -> RegistryReader:
    return RegistryReader(connect)


def names(page: object) -> list[str]:
    assert isinstance(page, dict)
    return [line["name"] for line in page["items"]]


def test_a_search_ignores_case_and_vietnamese_accents(
    world: World, registry: RegistryReader
) -> None:
    found = registry.organisations(
        STAFF, "cooperative", OrganisationFilters(search="hoang loc"), Paging()
    )
    assert names(found) == ["HTX Dịch vụ Hoằng Lộc"]
    upper = registry.organisations(
        STAFF, "cooperative", OrganisationFilters(search="THIỆU TRUNG"), Paging()
    )
    assert names(upper) == ["HTX Nông nghiệp Thiệu Trung"]


def test_cooperatives_filter_by_model_commune_and_chain(
    world: World, registry: RegistryReader
) -> None:
    old = registry.organisations(STAFF, "cooperative", OrganisationFilters(model="old"), Paging())
    assert names(old) == ["HTX Dịch vụ Hoằng Lộc"]
    in_commune = registry.organisations(
        STAFF, "cooperative", OrganisationFilters(commune="Xã Thiệu Trung"), Paging()
    )
    assert names(in_commune) == ["HTX Nông nghiệp Thiệu Trung"]
    in_chain = registry.organisations(
        STAFF, "cooperative", OrganisationFilters(value_chain=world.chain), Paging()
    )
    assert in_chain["total"] == 2


def test_a_page_holds_its_limit_and_the_total_counts_them_all(
    world: World, registry: RegistryReader
) -> None:
    first = registry.organisations(STAFF, "cooperative", OrganisationFilters(), Paging(1, 1))
    second = registry.organisations(STAFF, "cooperative", OrganisationFilters(), Paging(2, 1))
    beyond = registry.organisations(STAFF, "cooperative", OrganisationFilters(), Paging(3, 1))
    assert (first["total"], second["total"], beyond["total"]) == (2, 2, 2)
    assert names(first) + names(second) == ["HTX Dịch vụ Hoằng Lộc", "HTX Nông nghiệp Thiệu Trung"]
    assert beyond["items"] == []


def test_a_cooperatives_page_has_its_chains_contracts_support_plots_batches_and_history(
    world: World, registry: RegistryReader
) -> None:
    page = registry.organisation(STAFF, "cooperative", world.thieu)
    assert [m["roles"] for m in page["chains"]] == [["producer"]]
    assert [k["contract_number"] for k in page["contracts"]] == [world.contract]
    assert [s["amount_vnd"] for s in page["support"]] == ["300000000"]
    assert [c["certificate"] for c in page["certifications"]] == ["VG-THIEU-1"]
    assert [p["id"] for p in page["plots"]] == [str(world.plot_thieu)]
    assert [b["code"] for b in page["batches"]] == [world.batch]
    kinds = [line["type"] for line in reversed(page["history"])]
    assert kinds == [
        "Cooperative.Registered",
        "ValueChain.ParticipantJoined",
        "ValueChain.LinkageContractSigned",
        "Cooperative.SupportReceived",
        "Cooperative.CertificationGranted",
    ]
    assert all(line["occurred_at"] for line in page["history"])


def test_a_chains_page_lists_its_participants_with_roles_and_its_lead(
    world: World, registry: RegistryReader
) -> None:
    page = registry.chain(STAFF, world.chain)
    assert page["facts"]["lead_name"] == "Công ty CP Lương thực Xứ Thanh"
    roles = sorted(p["role"] for p in page["participants"])
    assert roles == ["lead", "producer", "producer"]
    assert page["contracts"][0]["ends_on"] == "2026-12-31"


def test_a_plots_page_lists_the_batches_harvested_from_it(
    world: World, registry: RegistryReader
) -> None:
    page = registry.plot(STAFF, world.plot_thieu)
    assert page["facts"]["certified"] is True
    assert [b["code"] for b in page["batches"]] == [world.batch]
    assert registry.plot(STAFF, world.plot_hoang)["batches"] == []


def test_a_plots_history_shows_its_events_without_the_member_household(
    world: World, registry: RegistryReader
) -> None:
    history = registry.plot(STAFF, world.plot_thieu)["history"]

    assert {line["type"] for line in history} >= {"Plot.Registered", "Plot.Certified"}
    assert all(not key.startswith("household") for line in history for key in line["payload"])
    assert "HH-" not in str(history)


def test_plots_filter_by_certification_crop_and_cooperative(
    world: World, registry: RegistryReader
) -> None:
    certified = registry.plots(STAFF, PlotFilters(certified=True), Paging())
    assert [p["id"] for p in certified["items"]] == [str(world.plot_thieu)]
    uncertified = registry.plots(STAFF, PlotFilters(certified=False), Paging())
    assert [p["id"] for p in uncertified["items"]] == [str(world.plot_hoang)]
    by_crop = registry.plots(STAFF, PlotFilters(search="rau cai"), Paging())
    assert by_crop["total"] == 1
    assert registry.plots(STAFF, PlotFilters(cooperative=world.hoang), Paging())["total"] == 1


def test_a_cooperative_reads_its_own_plots_and_no_one_elses(
    world: World, registry: RegistryReader
) -> None:
    thieu = Actor(Role.COOPERATIVE, world.thieu)
    own = registry.plots(thieu, PlotFilters(), Paging())
    assert [p["id"] for p in own["items"]] == [str(world.plot_thieu)]
    with pytest.raises(NotPermitted):
        registry.plot(thieu, world.plot_hoang)
    with pytest.raises(NotPermitted):
        registry.plots(thieu, PlotFilters(cooperative=world.hoang), Paging())
    with pytest.raises(NotPermitted):
        registry.organisation(thieu, "cooperative", world.hoang)
    listed = registry.organisations(thieu, "cooperative", OrganisationFilters(), Paging())
    assert names(listed) == ["HTX Nông nghiệp Thiệu Trung"]


def test_an_enterprise_reads_the_chains_it_is_in_and_not_others(
    world: World, records: Records, projections: Projections, registry: RegistryReader
) -> None:
    enterprise = Actor(Role.ENTERPRISE, world.enterprise)
    assert registry.chains(enterprise, ChainFilters(), Paging())["total"] == 1
    assert registry.chain(enterprise, world.chain)["facts"]["name"] == "Chuỗi lúa gạo Thiệu Hóa"
    other = Actor(Role.ENTERPRISE, uuid4())
    assert registry.chains(other, ChainFilters(), Paging())["total"] == 0
    with pytest.raises(NotPermitted):
        registry.chain(other, world.chain)


def test_an_unknown_record_is_not_found(world: World, registry: RegistryReader) -> None:
    with pytest.raises(NotFound):
        registry.organisation(STAFF, "cooperative", uuid4())
    with pytest.raises(NotFound):
        registry.organisation(STAFF, "enterprise", world.thieu)  # a cooperative, not one
    with pytest.raises(NotFound):
        registry.plot(STAFF, uuid4())


def test_the_pick_lists_offer_what_the_registry_has_seen(
    world: World, registry: RegistryReader
) -> None:
    choices = registry.choices()
    assert choices["communes"] == ["Phường Hạc Thành", "Xã Hoằng Lộc", "Xã Thiệu Trung"]
    assert choices["sectors"] == ["rice", "vegetables"]
    assert choices["commodities"] == ["rice"]
    assert len(choices["organisations"]) == 3


def test_a_participant_that_left_stays_on_the_chains_page_with_the_day_it_left(
    world: World, records: Records, projections: Projections, registry: RegistryReader
) -> None:
    left = c.LeaveValueChain(
        value_chain_id=world.chain,
        organisation_id=world.hoang,
        reason="Chuyển sang trồng rau",
        left_on=today_in_vietnam(),
    )
    records.execute(STAFF, [left])
    project(records, projections)
    page = registry.chain(STAFF, world.chain)
    gone = [p for p in page["participants"] if p["organisation_id"] == str(world.hoang)]
    assert [(p["left_on"], p["left_reason"]) for p in gone] == [
        (today_in_vietnam().isoformat(), "Chuyển sang trồng rau")
    ]
    assert page["facts"]["participants"] == 2  # the lead and Thiệu Trung
    assert registry.organisation(STAFF, "cooperative", world.hoang)["chains"] == []
    hoang = Actor(Role.COOPERATIVE, world.hoang)
    with pytest.raises(NotPermitted):
        registry.chain(hoang, world.chain)


def test_a_search_finds_a_registration_number_or_a_tax_code(
    world: World, registry: RegistryReader
) -> None:
    thieu = registry.organisation(STAFF, "cooperative", world.thieu)["facts"]
    number = thieu["registration_number"]
    assert number is not None
    found = registry.organisations(
        STAFF, "cooperative", OrganisationFilters(search=number[-6:]), Paging()
    )
    assert names(found) == ["HTX Nông nghiệp Thiệu Trung"]
    lead = registry.organisation(STAFF, "enterprise", world.enterprise)["facts"]
    assert lead["tax_code"] is not None
    by_tax = registry.organisations(
        STAFF, "enterprise", OrganisationFilters(search=lead["tax_code"]), Paging()
    )
    assert by_tax["total"] == 1
    assert (
        registry.organisations(STAFF, "cooperative", OrganisationFilters(search="100%"), Paging())[
            "items"
        ]
        == []
    )
