"""A holder answers a recall notice in the cooperative app, on the real records, the real
recalls projection and its reader: the inbox lists the notice, opening it is recorded once,
the acknowledgement and a report of the whole lot destroyed close the recall."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.cooperative_app.app import create_app
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.recalls import PostgresRecallReader
from shared.readmodels.tracking import Connect
from shared.records import commands as c
from shared.records.application import Records
from shared.records.results import RecallResult
from shared.settings import NguonSettings
from tests.builders import STAFF, Grower, a_grower, a_harvested_batch
from tests.integration.trace.tracing import project
from tests.platform_world import connect, database, projections, records
from tests.registry_world import HeaderGate

__all__ = ["connect", "database", "projections", "records"]


@pytest.fixture
def grower(records: Records) -> Grower:
    return a_grower(records)


@pytest.fixture
def client(records: Records, connect: Connect, grower: Grower) -> Iterator[TestClient]:
    settings = NguonSettings(read_wait_timeout_seconds=0.2)
    app = create_app(settings, records, HeaderGate(), connect, PostgresHouseholds(connect))
    headers = {HeaderGate.HEADER: f"cooperative:{grower.cooperative_id}"}
    with TestClient(app, follow_redirects=False, headers=headers) as client:
        yield client


def test_a_holder_opens_acknowledges_and_accounts_for_its_lot_and_the_recall_closes(
    client: TestClient,
    records: Records,
    projections: Projections,
    connect: Connect,
    grower: Grower,
) -> None:
    code = a_harvested_batch(records, grower)
    opened = records.execute(STAFF, [c.RecallBatch(batch=code, reason="Nhiễm aflatoxin")])
    recall_id = opened.result(RecallResult).recall_id
    project(records, projections)
    reader = PostgresRecallReader(connect)

    inbox = client.get("/app/recalls")
    notice = client.get(f"/app/recalls/{recall_id}")
    client.get(f"/app/recalls/{recall_id}")  # a second look records nothing more
    project(records, projections)
    [holder] = reader.recall(recall_id, viewer=None).holders  # type: ignore[union-attr]
    [lot] = holder.lots

    assert code in inbox.text
    assert "Nhiễm aflatoxin" in notice.text
    assert holder.opened_at is not None
    assert _opened_notices(records, recall_id) == 1

    acknowledged = client.post(
        f"/app/recalls/{recall_id}/acknowledge", data={"csrf_token": "csrf-cooperative"}
    )
    assert lot.affected is not None
    reported = client.post(
        f"/app/recalls/{recall_id}/lots/{lot.batch_id}",
        data={"csrf_token": "csrf-cooperative", "destroyed": str(lot.affected.amount)},
    )
    project(records, projections)
    closed = reader.recall(recall_id, viewer=None)

    assert acknowledged.status_code == 303
    assert reported.status_code == 303
    assert closed is not None
    assert closed.state == "closed"
    assert closed.holders[0].acknowledged_at is not None


def _opened_notices(records: Records, recall_id: UUID) -> int:
    return sum(1 for e in records.history(recall_id) if type(e).__name__ == "NoticeOpened")


def test_the_recall_tab_counts_the_notices_not_yet_acknowledged(
    client: TestClient, records: Records, projections: Projections, grower: Grower
) -> None:
    code = a_harvested_batch(records, grower)
    quiet = client.get("/app/lots")
    opened = records.execute(STAFF, [c.RecallBatch(batch=code, reason="Nhiễm aflatoxin")])
    recall_id = opened.result(RecallResult).recall_id
    project(records, projections)

    waiting = client.get("/app/lots")
    client.post(f"/app/recalls/{recall_id}/acknowledge", data={"csrf_token": "csrf-cooperative"})
    project(records, projections)
    answered = client.get("/app/lots")

    assert "thông báo chưa xác nhận" not in quiet.text
    assert "1 thông báo chưa xác nhận" in waiting.text
    assert 'class="badge bad count"' in waiting.text
    assert "thông báo chưa xác nhận" not in answered.text
