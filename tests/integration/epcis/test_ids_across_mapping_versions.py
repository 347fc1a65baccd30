"""A new mapping version through the real migration and rebuild, on the real PostgreSQL: the
ids given out under the old one keep resolving, ``GET /epcis/events/{old}`` answering 301."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from services.epcis.app import create_app
from shared.database import DatabaseUrls
from shared.epcis import tables
from shared.epcis.mapping import MappedEvent, MappingContext, map_envelope
from shared.postgres.migrate import migrate
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import password_of, user_of
from shared.readmodels import rebuild as rebuilding
from shared.readmodels.engine import Unit, ddl_of
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units import epcis as epcis_unit
from shared.readmodels.units.epcis import EpcisProjection
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.wire.envelope import Envelope
from tests.integration.epcis.test_epcis_projection import connect, database, epcis, records
from tests.integration.readmodels.readmodel_chain import a_chain

__all__ = ["connect", "database", "epcis", "records"]


@pytest.fixture
def projection() -> EpcisProjection:
    return EpcisProjection()


def mapping_2(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    """Version 2 of the mapping, for this test: a sale also says where it was sold."""
    mapped = map_envelope(envelope, context)
    if envelope.type != "Batch.Sold":
        return mapped
    return [MappedEvent({**m.event, "nguon:channel": "retail"}, m.batch_ids) for m in mapped]


class EpcisProjection2(EpcisProjection):
    version = EpcisProjection.version + 1000  # what MAPPING_VERSION 2 makes of it


def _ids(connect: Connect) -> dict[str, str]:
    """Each domain event's (first) EPCIS id, by the domain event's id."""
    with session(connect) as conn:
        rows = conn.execute(
            f"SELECT source_event_id::text, event_id FROM {tables.EVENTS} WHERE seq = 0"
        ).fetchall()
    return dict(rows)


def _sale(connect: Connect) -> str:
    with session(connect) as conn:
        row = conn.execute(
            f"SELECT source_event_id::text FROM {tables.EVENTS} WHERE biz_step = 'retail_selling'"
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_after_a_mapping_version_bump_an_id_of_the_old_version_moves_to_the_new_one(
    records: Records,
    epcis: Projections,
    connect: Connect,
    database: DatabaseUrls,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chain = a_chain(records)
    records.execute(Actor(Role.ENTERPRISE, chain.retailer), [c.SellBatch(batch=chain.retail_lot)])
    rebuilding.rebuild(records, epcis, progress=False)
    under_1 = _ids(connect)
    sale = _sale(connect)

    monkeypatch.setattr(epcis_unit, "MAPPING_VERSION", 2)
    bumped = Projections(connect, units=[Unit(EpcisProjection2(mapping=mapping_2), connect)])
    # What `nguon db migrate` does for a new version: drop its tables, create them afresh.
    migrate(
        database.admin,
        user_of(database.app),
        password_of(database.app),
        extra_ddl=[s for unit in bumped.units for s in ddl_of(unit.projection)],
    )
    assert bumped.stale() == ["epcis"]
    rebuilding.rebuild(records, bumped, progress=False, only_if_needed=True)

    under_2 = _ids(connect)
    assert under_2.keys() == under_1.keys()
    assert {k for k in under_2 if under_2[k] != under_1[k]} == {sale}
    with session(connect) as conn:
        versions = conn.execute(f"SELECT DISTINCT mapping_version FROM {tables.EVENTS}")
        assert [row[0] for row in versions.fetchall()] == [2]
    tokens = TokenStore(connect)
    try:
        client = TestClient(create_app(NguonSettings(), records, tokens, connect))
        headers = {"Authorization": f"Bearer {tokens.create(Role.PROVINCE)}"}
        old = _get(client, under_1[sale], headers)
        unchanged = _get(client, under_1[next(k for k in under_1 if k != sale)], headers)
    finally:
        tokens.close()
    assert old.status_code == 301
    assert old.headers["location"] == "/epcis/events/" + quote(under_2[sale], safe="")
    assert unchanged.status_code == 200


def _get(client: TestClient, event_id: str, headers: dict[str, str]) -> Any:
    url = "/epcis/events/" + quote(event_id, safe="")
    return client.get(url, headers=headers, follow_redirects=False)
