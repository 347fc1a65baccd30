"""Listing batches: staff see every holder's, organisations their own; read-your-writes waits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.capture.app import create_app
from services.capture.settings import CaptureSettings
from shared.readmodels.catalogue import BatchSummary
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import STAFF, a_cooperative_command

from .fakes import InMemoryBatchCatalogue, KnownTokens

COOPERATIVE = UUID("40e39549-5c6b-5b70-bd7a-4b951d33a156")
ENTERPRISE = UUID("a91607ad-27bd-5aea-92f0-ab379fbd070a")
TOKENS = {
    "ng_staff": Actor(Role.PROVINCE, None, uuid4()),
    "ng_coop": Actor(Role.COOPERATIVE, COOPERATIVE, uuid4()),
    "ng_enterprise": Actor(Role.ENTERPRISE, ENTERPRISE, uuid4()),
}


def a_summary(number: int, holder: UUID = COOPERATIVE, **overrides: object) -> BatchSummary:
    summary = BatchSummary(
        batch_id=str(uuid4()),
        code=f"TH-2026-{number:06d}",
        commodity="rice",
        variety="Nếp cái hoa vàng",
        quantity="1000",
        unit="kg",
        status="active",
        holder_id=str(holder),
        recalled=False,
        gtin=None,
        lot=None,
        last_position=number,
    )
    return summary | overrides  # type: ignore[return-value]


@pytest.fixture
def catalogue() -> InMemoryBatchCatalogue:
    return InMemoryBatchCatalogue(
        a_summary(1),
        a_summary(2, ENTERPRISE, commodity="gạo nếp"),
        a_summary(3),
        a_summary(4, status="sold"),
        applied=4,
    )


@pytest.fixture
def client(catalogue: InMemoryBatchCatalogue) -> Iterator[TestClient]:
    records = Records({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    # Five stored events: the positions these tests name must be ones a write has reached.
    records.execute(STAFF, [a_cooperative_command() for _ in range(5)])
    settings = CaptureSettings(read_wait_timeout_seconds=0.2)
    with TestClient(create_app(settings, records, KnownTokens(TOKENS), catalogue)) as client:
        yield client
    records.close()


def _list(client: TestClient, token: str, **params: object) -> dict[str, object]:
    answer = client.get("/api/v1/batches", params=params, headers=_auth(token))
    assert answer.status_code == 200, answer.text
    listed: dict[str, object] = answer.json()
    return listed


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _codes(listed: dict[str, object]) -> list[str]:
    batches = listed["batches"]
    assert isinstance(batches, list)
    return [b["code"] for b in batches]


def test_staff_list_every_holders_batches_in_code_order(client: TestClient) -> None:
    listed = _list(client, "ng_staff")

    assert _codes(listed) == [f"TH-2026-00000{n}" for n in (1, 2, 3, 4)]
    assert listed["next_cursor"] is None


def test_staff_list_one_holders_batches(client: TestClient) -> None:
    assert _codes(_list(client, "ng_staff", holder=str(ENTERPRISE))) == ["TH-2026-000002"]


def test_a_cooperative_lists_its_own_batches_by_default(client: TestClient) -> None:
    assert _codes(_list(client, "ng_coop")) == [
        "TH-2026-000001",
        "TH-2026-000003",
        "TH-2026-000004",
    ]


def test_a_cooperative_may_name_itself_as_holder(client: TestClient) -> None:
    assert len(_codes(_list(client, "ng_coop", holder=str(COOPERATIVE)))) == 3


def test_an_organisation_may_not_list_another_organisations_holdings(
    client: TestClient, catalogue: InMemoryBatchCatalogue
) -> None:
    answer = client.get(
        "/api/v1/batches", params={"holder": str(COOPERATIVE)}, headers=_auth("ng_enterprise")
    )

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_own"
    assert catalogue.searches == []


def test_the_list_filters_by_commodity_and_status(client: TestClient) -> None:
    assert _codes(_list(client, "ng_staff", commodity="gạo nếp")) == ["TH-2026-000002"]
    assert _codes(_list(client, "ng_staff", status="sold")) == ["TH-2026-000004"]


def test_a_long_list_comes_in_pages_joined_by_a_cursor(client: TestClient) -> None:
    first = _list(client, "ng_staff", limit=3)
    second = _list(client, "ng_staff", limit=3, cursor=first["next_cursor"])

    assert _codes(first) == ["TH-2026-000001", "TH-2026-000002", "TH-2026-000003"]
    assert first["next_cursor"] == "TH-2026-000003"
    assert _codes(second) == ["TH-2026-000004"]
    assert second["next_cursor"] is None


def test_a_page_exactly_full_has_no_next_cursor(client: TestClient) -> None:
    assert _list(client, "ng_staff", limit=4)["next_cursor"] is None


def test_a_client_naming_its_write_position_waits_until_the_list_shows_it(
    client: TestClient, catalogue: InMemoryBatchCatalogue
) -> None:
    timer = threading.Timer(0.05, catalogue.apply, args=(a_summary(5),))
    timer.start()

    listed = _list(client, "ng_coop", after_position=5)

    timer.join()
    assert "TH-2026-000005" in _codes(listed)


def test_a_list_that_does_not_catch_up_in_time_is_503_with_retry_after(
    client: TestClient, catalogue: InMemoryBatchCatalogue
) -> None:
    answer = client.get("/api/v1/batches", params={"after_position": 5}, headers=_auth("ng_coop"))

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json()["error"]["code"] == "projections_behind"
    assert catalogue.searches == []


def test_a_position_already_reached_does_not_wait(client: TestClient) -> None:
    assert len(_codes(_list(client, "ng_staff", after_position=4))) == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"status": "lost"}, "status"),
        ({"holder": "htx-1"}, "holder"),
        ({"after_position": -1}, "after_position"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_wrong_query_parameter_is_refused_naming_it(
    client: TestClient, params: dict[str, object], field: str
) -> None:
    answer = client.get("/api/v1/batches", params=params, headers=_auth("ng_staff"))

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field


def test_listing_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/batches").status_code == 401


def test_a_position_beyond_the_last_stored_is_refused_at_once_not_waited_for(
    client: TestClient, catalogue: InMemoryBatchCatalogue
) -> None:
    answer = client.get("/api/v1/batches", params={"after_position": 6}, headers=_auth("ng_coop"))

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "position_not_stored"
    assert catalogue.searches == []
