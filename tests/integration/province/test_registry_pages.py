"""The province's registry pages over HTTP, on a real database and the real records: lists,
pages, and forms that store through the same commands as the API or refuse and store nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.province.app import create_app
from shared.database import DatabaseUrls, prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, connector
from shared.records import commands as c
from shared.records.actors import Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.registry_world import HeaderGate, World, a_registry, project

STAFF = {HeaderGate.HEADER: "province"}
CSRF = "csrf-province"


@pytest.fixture
def settings(fresh_database_admin_url: str) -> NguonSettings:
    return NguonSettings(**on_database(fresh_database_admin_url), read_wait_timeout_seconds=0.2)


@pytest.fixture
def database(settings: NguonSettings) -> DatabaseUrls:
    return prepare(settings)


@pytest.fixture
def records(database: DatabaseUrls) -> Iterator[Records]:
    app = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    yield app
    app.close()


@pytest.fixture
def connect(database: DatabaseUrls) -> Connect:
    return connector(database.app)


@pytest.fixture
def projections(connect: Connect) -> Projections:
    projections = Projections(connect)
    projections.reset()
    return projections


@pytest.fixture
def world(records: Records, projections: Projections) -> World:
    world = a_registry(records)
    project(records, projections)
    return world


@pytest.fixture
def client(
    settings: NguonSettings, records: Records, connect: Connect, world: World
) -> Iterator[TestClient]:
    app = create_app(settings, records, HeaderGate(), connect)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def cooperative_form(**changes: str) -> dict[str, str]:
    typed = {
        "csrf_token": CSRF,
        "name": "HTX Nông nghiệp Xuân Lập",
        "registration_number": "2801-000777",
        "commune": "Xã Xuân Lập",
        "former_district": "Thọ Xuân",
        "sector": "rice",
        "founded": "2019-05-20",
        "members_count": "25",
        "model": "new",
    }
    return typed | changes


def test_the_cooperatives_list_searches_without_accents_and_links_each_page(
    client: TestClient, world: World
) -> None:
    page = client.get("/province/cooperatives", params={"search": "hoang loc"}, headers=STAFF)
    assert page.status_code == 200
    assert "HTX Dịch vụ Hoằng Lộc" in page.text
    assert "HTX Nông nghiệp Thiệu Trung" not in page.text
    assert f'href="/province/cooperatives/{world.hoang}"' in page.text
    assert 'class="table-wrap"' in page.text


def test_the_lists_page_and_filter(client: TestClient, world: World) -> None:
    old = client.get("/province/cooperatives", params={"model": "old"}, headers=STAFF)
    assert "HTX Dịch vụ Hoằng Lộc" in old.text
    assert "HTX Nông nghiệp Thiệu Trung" not in old.text
    plots = client.get("/province/plots", params={"certified": "yes"}, headers=STAFF)
    assert "VT-TH-0001" in plots.text
    chains = client.get("/province/value-chains", params={"search": "lua gao"}, headers=STAFF)
    assert "Chuỗi lúa gạo Thiệu Hóa" in chains.text


def test_a_cooperatives_page_shows_its_chains_contracts_support_history_and_accounts_link(
    client: TestClient, world: World
) -> None:
    page = client.get(f"/province/cooperatives/{world.thieu}", headers=STAFF)
    assert page.status_code == 200
    text = page.text
    assert "Chuỗi lúa gạo Thiệu Hóa" in text
    assert world.contract in text
    assert "Quỹ hỗ trợ phát triển HTX" in text
    assert "VG-THIEU-1" in text
    assert world.batch in text
    assert "Đăng ký hợp tác xã" in text  # the history's first event
    assert f"/account/organisations/{world.thieu}/people" in text


def test_a_chain_and_a_plot_have_their_pages(client: TestClient, world: World) -> None:
    chain = client.get(f"/province/value-chains/{world.chain}", headers=STAFF)
    assert "Công ty CP Lương thực Xứ Thanh" in chain.text
    assert "Sản xuất" in chain.text  # the producers' role, in Vietnamese
    plot = client.get(f"/province/plots/{world.plot_thieu}", headers=STAFF)
    assert world.batch in plot.text
    assert client.get("/province/plots/not-an-id", headers=STAFF).status_code == 404


def test_registering_a_cooperative_stores_it_and_goes_to_its_page(
    client: TestClient, world: World, records: Records, projections: Projections
) -> None:
    answer = client.post("/province/cooperatives/new", data=cooperative_form(), headers=STAFF)
    assert answer.status_code == 303, answer.text
    assert records.position() > world.position
    project(records, projections)
    page = client.get(answer.headers["location"], headers=STAFF)
    assert page.status_code == 200
    assert "HTX Nông nghiệp Xuân Lập" in page.text


def test_a_refused_cooperative_shows_the_vietnamese_refusal_at_its_field_and_stores_nothing(
    client: TestClient, world: World, records: Records
) -> None:
    answer = client.post(
        "/province/cooperatives/new", data=cooperative_form(members_count="3"), headers=STAFF
    )
    assert answer.status_code == 422
    assert records.position() == world.position
    text = answer.text
    assert 'id="error-members_count"' in text
    assert "Hợp tác xã phải có ít nhất 7 thành viên" in text
    assert 'value="HTX Nông nghiệp Xuân Lập"' in text  # what was typed stays


def test_a_value_that_cannot_be_read_is_refused_at_its_field(
    client: TestClient, world: World, records: Records
) -> None:
    answer = client.post(
        "/province/cooperatives/new",
        data=cooperative_form(founded="20/05/2019", name=""),
        headers=STAFF,
    )
    assert answer.status_code == 422
    assert records.position() == world.position
    assert 'id="error-founded"' in answer.text
    assert "cần một ngày dạng ISO" in answer.text
    assert 'id="error-name"' in answer.text


def test_a_form_posted_without_its_csrf_token_is_refused_and_stores_nothing(
    client: TestClient, world: World, records: Records
) -> None:
    typed = cooperative_form()
    del typed["csrf_token"]
    answer = client.post("/province/cooperatives/new", data=typed, headers=STAFF)
    assert answer.status_code == 403
    wrong = client.post(
        "/province/cooperatives/new", data=cooperative_form(csrf_token="x"), headers=STAFF
    )
    assert wrong.status_code == 403
    assert records.position() == world.position


def test_a_cooperatives_account_cannot_open_the_registry(client: TestClient, world: World) -> None:
    own = {HeaderGate.HEADER: f"cooperative:{world.thieu}"}
    assert client.get(f"/province/cooperatives/{world.thieu}", headers=own).status_code == 403
    nobody = client.get("/province/cooperatives")
    assert nobody.status_code == 303
    assert nobody.headers["location"].startswith("/sign-in?next=/province/cooperatives")


def test_every_form_shows_on_its_page(client: TestClient, world: World) -> None:
    for path in (
        "/province/cooperatives/new",
        "/province/enterprises/new",
        "/province/value-chains/new",
        f"/province/cooperatives/{world.thieu}/status",
        f"/province/cooperatives/{world.hoang}/reclassify",
        f"/province/cooperatives/{world.thieu}/support",
        f"/province/cooperatives/{world.thieu}/certifications/new",
        f"/province/cooperatives/{world.thieu}/certifications/expire",
        f"/province/enterprises/{world.enterprise}/status",
        f"/province/value-chains/{world.chain}/participants/new",
        f"/province/value-chains/{world.chain}/participants/leave",
        f"/province/value-chains/{world.chain}/contracts/new",
        f"/province/value-chains/{world.chain}/contracts/end",
        f"/province/cooperatives/{world.thieu}/publication",
        f"/province/enterprises/{world.enterprise}/publication",
        f"/province/cooperatives/{world.thieu}/profile",
    ):
        page = client.get(path, headers=STAFF)
        assert page.status_code == 200, path
        assert 'name="csrf_token" value="csrf-province"' in page.text, path
    assert client.get("/province/value-chains/nope/contracts/end", headers=STAFF).status_code == 404


def test_the_chains_forms_record_a_join_a_contract_and_a_leaving(
    client: TestClient, world: World, records: Records, projections: Projections
) -> None:
    base = f"/province/value-chains/{world.chain}"
    new = client.post(
        "/province/enterprises/new",
        data={
            "csrf_token": CSRF,
            "name": "Công ty TNHH Phân phối Sầm Sơn",
            "tax_code": "2801234567",
            "address": "Đường Hồ Xuân Hương",
            "commune": "Phường Sầm Sơn",
        },
        headers=STAFF,
    )
    assert new.status_code == 303, new.text
    enterprise = new.headers["location"].split("/")[-1].split("?")[0]
    project(records, projections)  # the pick list offers what the registry has applied
    joined = client.post(
        f"{base}/participants/new",
        data={"csrf_token": CSRF, "organisation_id": enterprise, "role": "distributor"},
        headers=STAFF,
    )
    assert joined.status_code == 303, joined.text
    project(records, projections)
    signed = client.post(
        f"{base}/contracts/new",
        data={
            "csrf_token": CSRF,
            "contract_number": "02/2026/HĐLK",
            "parties": [enterprise, str(world.thieu)],
            "commodity": "rice",
            "committed_amount": "12500,5",
            "committed_unit": "kg",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
        headers=STAFF,
    )
    assert signed.status_code == 303, signed.text
    left = client.post(
        f"{base}/participants/leave",
        data={"csrf_token": CSRF, "organisation_id": str(world.hoang), "reason": "Đổi cây trồng"},
        headers=STAFF,
    )
    assert left.status_code == 303, left.text
    project(records, projections)
    page = client.get(base, headers=STAFF)
    assert "Công ty TNHH Phân phối Sầm Sơn" in page.text
    assert "02/2026/HĐLK" in page.text
    assert "Đổi cây trồng" in page.text


def test_a_refusal_of_the_domain_lands_at_the_field_it_is_about(
    client: TestClient, world: World, records: Records
) -> None:
    again = client.post(
        f"/province/value-chains/{world.chain}/participants/new",
        data={"csrf_token": CSRF, "organisation_id": str(world.thieu), "role": "producer"},
        headers=STAFF,
    )
    assert again.status_code == 422
    assert 'id="error-organisation_id"' in again.text
    ends_first = client.post(
        f"/province/value-chains/{world.chain}/contracts/new",
        data={
            "csrf_token": CSRF,
            "contract_number": "03/2026/HĐLK",
            "parties": [str(world.enterprise), str(world.thieu)],
            "commodity": "rice",
            "committed_amount": "100",
            "committed_unit": "kg",
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
        },
        headers=STAFF,
    )
    assert ends_first.status_code == 422
    assert 'id="error-ends_on"' in ends_first.text
    assert records.position() == world.position


def test_the_history_names_who_recorded_each_event_and_when(
    client: TestClient, world: World, records: Records, projections: Projections, connect: Connect
) -> None:
    tokens = TokenStore(connect)
    token = tokens.create(Role.PROVINCE, label="Phòng Kinh tế hợp tác")
    actor = tokens.resolve(token)
    assert actor is not None
    change = c.ChangeCooperativeStatus(
        cooperative_id=world.hoang, status="suspended", reason="Tạm ngừng để củng cố"
    )
    records.execute(actor, [change])
    project(records, projections)
    page = client.get(f"/province/cooperatives/{world.hoang}", headers=STAFF)
    assert "Phòng Kinh tế hợp tác" in page.text
    assert "Tạm ngừng để củng cố" in page.text
    assert str(actor.token_id) not in page.text  # the name, not the opaque id


def test_a_pick_that_was_not_offered_is_refused_in_the_names_offered(
    client: TestClient, world: World, records: Records
) -> None:
    answer = client.post(
        "/province/value-chains/new",
        data={
            "csrf_token": CSRF,
            "name": "Chuỗi rau an toàn",
            "commodity": "vegetables",
            "lead_organisation_id": "00000000-0000-0000-0000-000000000000",
        },
        headers=STAFF,
    )
    assert answer.status_code == 422
    assert 'id="error-lead_organisation_id"' in answer.text
    assert (
        "Công ty CP Lương thực Xứ Thanh" in answer.text.split('id="error-lead_organisation_id"')[1]
    )
    assert "00000000-0000" not in answer.text.split("<form")[0]
    assert records.position() == world.position


def test_staff_record_a_cooperatives_consent_to_be_shown_and_its_publication(
    client: TestClient, world: World, records: Records, projections: Projections
) -> None:
    base = f"/province/cooperatives/{world.thieu}"
    shown = client.post(
        f"{base}/profile", data={"csrf_token": CSRF, "show_profile": "yes"}, headers=STAFF
    )
    assert shown.status_code == 303, shown.text
    published = client.post(
        f"{base}/publication",
        data={"csrf_token": CSRF, "publish_quantities": "yes"},
        headers=STAFF,
    )
    assert published.status_code == 303, published.text
    project(records, projections)

    page = client.get(base, headers=STAFF).text

    assert f'href="/htx/{world.thieu}"' in page
    assert "Cooperative.ProfileVisibilityChanged" not in page  # worded in the history
    refused = client.post(
        f"{base}/profile", data={"csrf_token": CSRF, "show_profile": "maybe"}, headers=STAFF
    )
    assert refused.status_code == 422
    assert 'id="error-show_profile"' in refused.text
