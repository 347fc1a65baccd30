"""The registry's reads over HTTP: lists with filters and pages, details, and role scoping."""

from __future__ import annotations

from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.capture.app import create_app
from services.capture.context import connections_of
from services.capture.settings import CaptureSettings
from shared.postgres.tokens import TokenStore
from shared.readmodels.postgres_readers import PostgresBatchCatalogue
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import PositionWaiter
from shared.records.actors import Role
from tests.builders import cooperative_json
from tests.integration.capture.capture_api import CaptureApi, Party
from tests.registry_world import World, a_registry, project


@pytest.fixture
def world(api: CaptureApi) -> World:
    world = a_registry(api.records)
    projections = Projections(connections_of(api.records))
    projections.reset()
    project(api.records, projections)
    return world


@pytest.fixture
def thieu(world: World, tokens: TokenStore) -> Party:
    return Party(tokens.create(Role.COOPERATIVE, world.thieu), world.thieu)


def test_staff_list_cooperatives_with_search_filters_and_pages(
    api: CaptureApi, world: World
) -> None:
    found = api.get("/cooperatives", api.province, search="hoang loc")
    assert found.status_code == 200, found.text
    assert [c["name"] for c in found.json()["items"]] == ["HTX Dịch vụ Hoằng Lộc"]
    page = api.get("/cooperatives", api.province, value_chain=str(world.chain), limit=1, page=2)
    assert page.json()["total"] == 2
    assert len(page.json()["items"]) == 1
    assert api.get("/cooperatives", api.province, model="old").json()["total"] >= 1


def test_a_cooperatives_page_answers_its_chains_contracts_and_history(
    api: CaptureApi, world: World
) -> None:
    answer = api.get(f"/cooperatives/{world.thieu}", api.province)
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["facts"]["name"] == "HTX Nông nghiệp Thiệu Trung"
    assert [k["contract_number"] for k in page["contracts"]] == [world.contract]
    assert page["history"][-1]["type"] == "Cooperative.Registered"


def test_a_cooperative_cannot_read_another_cooperatives_plot_or_page(
    api: CaptureApi, world: World, thieu: Party
) -> None:
    own = api.get("/plots", thieu)
    assert [p["id"] for p in own.json()["items"]] == [str(world.plot_thieu)]
    other_plot = api.get(f"/plots/{world.plot_hoang}", thieu)
    assert other_plot.status_code == 403
    assert other_plot.json()["error"]["code"] == "not_own"
    assert api.get(f"/cooperatives/{world.hoang}", thieu).status_code == 403
    assert api.get("/plots", thieu, cooperative=str(world.hoang)).status_code == 403
    assert api.get(f"/plots/{world.plot_thieu}", thieu).status_code == 200


def test_an_enterprise_reads_its_chain_and_a_stranger_is_refused(
    api: CaptureApi, world: World, tokens: TokenStore
) -> None:
    lead = Party(tokens.create(Role.ENTERPRISE, world.enterprise), world.enterprise)
    assert api.get(f"/value-chains/{world.chain}", lead).status_code == 200
    assert api.get(f"/value-chains/{world.chain}", api.enterprise).status_code == 403
    assert api.get("/value-chains", api.enterprise).json()["total"] == 0


def test_an_unknown_record_is_404_in_the_apis_error_shape(api: CaptureApi, world: World) -> None:
    answer = api.get(f"/enterprises/{uuid4()}", api.province)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert api.get(f"/value-chains/{uuid4()}", api.province).status_code == 404


def test_a_bad_filter_is_refused_with_422(api: CaptureApi, world: World) -> None:
    answer = api.get("/cooperatives", api.province, status="sleeping")
    assert answer.status_code == 422
    assert api.get("/plots", api.province, limit=0).status_code == 422


def test_a_read_after_a_position_not_stored_yet_is_refused_at_once(
    api: CaptureApi, world: World
) -> None:
    beyond = api.records.position() + 10
    answer = api.get("/cooperatives", api.province, after_position=beyond)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "position_not_stored"
    detail = api.get(f"/plots/{world.plot_thieu}", api.province, after_position=beyond)
    assert detail.status_code == 422


def test_a_read_after_a_write_waits_for_it_or_answers_503(
    api: CaptureApi,
    world: World,
    settings: CaptureSettings,
    tokens: TokenStore,
) -> None:
    connect = connections_of(api.records)
    catalogue = PostgresBatchCatalogue(connect, PositionWaiter(connect))
    quick = settings.model_copy(update={"read_wait_timeout_seconds": 0.2})
    with TestClient(create_app(quick, api.records, tokens, catalogue)) as client:
        auth = api.province.auth
        seen = client.get(
            "/api/v1/cooperatives", headers=auth, params={"after_position": world.position}
        )
        assert seen.status_code == 200, seen.text
        written = api.post("/cooperatives", cooperative_json(), api.province)
        position = written.json()["position"]
        behind = client.get(
            "/api/v1/cooperatives", headers=auth, params={"after_position": position}
        )
        assert behind.status_code == 503
        assert behind.json()["error"]["code"] == "projections_behind"
