"""Round trip: a whole rice chain leaves one platform as EPCIS and enters another by capture.

Platform A records the chain; a partner reads it all through A's ``GET /epcis/events``. Platform B
knows the same cooperatives, companies and fields by the same GLNs (registered there as on A),
and each organisation sends B the events it recorded on A, with its own token on B, through
``POST /epcis/capture``. The retail lot's provenance document on B then tells the buyer the same
story as A's: names, plots, steps, quantities and recall state; only codes and ids differ.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
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
from shared.records.actors import Role
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


def _export(platform: Platform, token: str) -> list[dict[str, Any]]:
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


def _recorder(world: World) -> Callable[[dict[str, Any]], str]:
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


def _reach_of_a_recall(event: dict[str, Any]) -> bool:
    """A lot the recall of another lot reached: B's own recall reaches it by itself."""
    recalled = event.get("nguon:recalledCode")
    if event.get("disposition") != "recalled" or recalled is None:
        return False
    [element] = event["quantityList"]
    return bool(element["epcClass"] != identifiers.batch_class(recalled))


def _document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-12-02T10:00:00.000+07:00",
        "epcisBody": {"eventList": events},
    }


def _capture(platform: Platform, token: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    answer = platform.client.post(
        "/epcis/capture",
        content=json.dumps(_document(events)),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"},
    )
    assert answer.status_code == 202, answer.text
    job = platform.client.get(
        answer.headers["Location"], headers={"Authorization": f"Bearer {token}"}
    )
    assert job.status_code == 200, job.text
    return dict(job.json())


_CODE = re.compile(r"TH-\d{4}-\d{6}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PLATFORM_OWN = ("batch_id", "fingerprint", "last_position")


def _without_codes_and_ids(document: ProvenanceDocument) -> Any:
    """The document with every batch code and id blanked, and the platform's own bookkeeping
    (fingerprint, position) left out: what must be equal across the two platforms."""
    kept = {k: v for k, v in document.items() if k not in _PLATFORM_OWN}
    text = _UUID.sub("<id>", _CODE.sub("<code>", json.dumps(kept, ensure_ascii=False)))
    return _sorted(json.loads(text))


def _sorted(value: Any) -> Any:
    # Lists whose order follows ids or codes on one platform (plots, cooperatives, partners)
    # may come in another order on the other. The timeline keeps its order by time; steps of
    # the same moment (the two cooperatives' harvests) follow their codes, so they are sorted.
    if isinstance(value, dict):
        return {k: _timeline(v) if k == "timeline" else _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=_canonical)
    return value


def _timeline(steps: list[dict[str, Any]]) -> list[Any]:
    ordered = [_sorted(step) for step in steps]
    assert [s["at"] for s in ordered] == sorted(s["at"] for s in ordered)
    return sorted(ordered, key=lambda step: (step["at"], _canonical(step)))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_the_retail_lot_captured_on_a_second_platform_tells_the_buyer_the_same_story(
    make_fresh_database: Callable[[], str],
) -> None:
    with a_platform(make_fresh_database()) as a, a_platform(make_fresh_database()) as b:
        world_a = register_world(a.records)
        record_journey(a.records, world_a)
        a.project()
        exported = _export(a, a.token(world_a, PROVINCE))
        world_b = register_world(b.records)

        sent = [e for e in exported if not _reach_of_a_recall(e)]
        jobs = [
            (organisation, _capture(b, b.token(world_b, organisation), list(events)))
            for organisation, events in groupby(sent, key=_recorder(world_a))
        ]
        b.project()

        assert len(sent) < len(exported)  # the recall's reach was left to B
        # Runs of one organisation's events, in the order they happened (the two cooperatives'
        # harvests interleave): each sent by that organisation with its own token on B.
        senders = {organisation for organisation, _ in jobs}
        assert senders == {"cooperative_a", "cooperative_b", "miller", "retailer", PROVINCE}
        for organisation, job in jobs:
            assert job["success"] is True, (organisation, job.get("errors"))
            assert job["running"] is False
        document_a, document_b = a.provenance(), b.provenance()
        assert document_b["recall"]["recalled"] is document_a["recall"]["recalled"] is True
        assert document_b["quantity"] == document_a["quantity"]
        assert _without_codes_and_ids(document_b) == _without_codes_and_ids(document_a)


def test_capturing_the_same_export_twice_stores_nothing_twice(
    make_fresh_database: Callable[[], str],
) -> None:
    with a_platform(make_fresh_database()) as a, a_platform(make_fresh_database()) as b:
        world_a = register_world(a.records)
        record_journey(a.records, world_a)
        a.project()
        exported = _export(a, a.token(world_a, PROVINCE))
        world_b = register_world(b.records)
        first_harvest = list(next(groupby(exported, key=_recorder(world_a)))[1])
        token = b.token(world_b, "cooperative_a")

        first = _capture(b, token, first_harvest)
        stored = b.records.position()
        again = _capture(b, token, first_harvest)

        assert first["success"] is True
        assert again["success"] is True
        assert b.records.position() == stored
        statuses = {e["status"] for e in again["nguon:events"]}
        assert statuses == {"duplicate"}, again
