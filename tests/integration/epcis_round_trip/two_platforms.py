"""Two platforms for the EPCIS round trip: A records the rice chain and gives it out, B knows
the same world (``rice_world``) and is where partners capture it.

:func:`a_chain_exported` makes both: A's export as a partner reads it (oldest first), who
recorded each event, and B ready to receive. The reach of a recall (lots the recall of another
lot reached) is left out of what is sent: B's own recall reaches them by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from services.epcis.app import create_app
from shared.database import prepare
from shared.epcis import identifiers
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, PositionWaiter, connector
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.integration.epcis_round_trip.rice_world import (
    GTIN,
    LOT,
    World,
    record_journey,
    register_world,
)
from tests.integration.readmodels.readmodel_chain import all_envelopes

PROVINCE = "province"


@dataclass
class Platform:
    records: Records
    connect: Connect
    tokens: TokenStore
    client: TestClient

    def project(self) -> None:
        projections = Projections(self.connect)
        projections.reset()
        envelopes = all_envelopes(self.records)
        projections.apply(envelopes, Position(envelopes[-1].position))

    def token(self, world: World, organisation: str) -> str:
        if organisation == PROVINCE:
            return self.tokens.create(Role.PROVINCE)
        actor = world.actor(organisation)
        return self.tokens.create(actor.role, actor.organisation_id)

    def provenance(self) -> ProvenanceDocument:
        reader = PostgresProvenanceReader(self.connect, PositionWaiter(self.connect))
        document = reader.by_gtin_lot(GTIN, LOT)
        assert document is not None
        return document


@contextmanager
def a_platform(admin_url: str) -> Iterator[Platform]:
    database = prepare(NguonSettings(**on_database(admin_url)))
    records = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    connect = connector(database.app)
    tokens = TokenStore(connect)
    app = create_app(NguonSettings(), records, tokens, connect)
    try:
        yield Platform(records, connect, tokens, TestClient(app))
    finally:
        tokens.close()
        records.close()


def export(platform: Platform, token: str) -> list[dict[str, Any]]:
    """Every event, page by page, as a partner's client reads them (oldest first)."""
    events: list[dict[str, Any]] = []
    url: str | None = "/epcis/events?perPage=50"
    while url:
        answer = platform.client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        events += answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        link = answer.headers.get("Link")
        url = "/epcis" + link.split(">")[0].split("/epcis", 1)[1] if link else None
    return events


def recorder_of(world: World) -> Callable[[dict[str, Any]], str]:
    """Who recorded an exported event: the owner of its read point (the province: none)."""
    owners = world.by_gln

    def recorder(event: dict[str, Any]) -> str:
        point = event.get("readPoint")
        if point is None:
            return PROVINCE
        gln = identifiers.parse_gln(point["id"])
        assert gln is not None, point
        return owners[gln]

    return recorder


def reach_of_a_recall(event: dict[str, Any]) -> bool:
    """A lot the recall of another lot reached: B's own recall reaches it by itself."""
    recalled = event.get("nguon:recalledCode")
    if event.get("disposition") != "recalled" or recalled is None:
        return False
    [element] = event["quantityList"]
    return bool(element["epcClass"] != identifiers.batch_class(recalled))


def document_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-12-02T10:00:00.000+07:00",
        "epcisBody": {"eventList": events},
    }


@dataclass(frozen=True)
class Exchange:
    a: Platform
    b: Platform
    world_a: World
    world_b: World
    exported: list[dict[str, Any]]  # every event of A, as its partner reads them
    sent: list[tuple[str, dict[str, Any]]]  # what is sent to B, each with who recorded it

    def actor_on_b(self, organisation: str) -> Actor:
        if organisation == PROVINCE:
            return Actor(Role.PROVINCE)
        return self.world_b.actor(organisation)


@contextmanager
def a_chain_exported(make_fresh_database: Callable[[], str]) -> Iterator[Exchange]:
    with a_platform(make_fresh_database()) as a, a_platform(make_fresh_database()) as b:
        world_a = register_world(a.records)
        record_journey(a.records, world_a)
        a.project()
        exported = export(a, a.token(world_a, PROVINCE))
        recorder = recorder_of(world_a)
        sent = [(recorder(e), e) for e in exported if not reach_of_a_recall(e)]
        yield Exchange(a, b, world_a, register_world(b.records), exported, sent)
