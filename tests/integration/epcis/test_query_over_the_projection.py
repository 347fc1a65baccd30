"""End to end on the real PostgreSQL: events captured through the records, applied by the real
epcis projection (real mapping, real hash), asked through ``GET /epcis/events``: what a partner
gets validates against GS1's schema, pages by ``nextPageToken``, and each party sees its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from services.epcis.app import create_app
from shared.epcis.event_hash import event_hash
from shared.epcis.schema import validate_document
from shared.postgres.tokens import TokenStore
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position
from shared.readmodels.units.epcis import EpcisProjection
from shared.records.actors import Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.integration.epcis.test_epcis_projection import connect, database, epcis, records
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes

__all__ = ["connect", "database", "epcis", "records"]


@pytest.fixture
def projection() -> EpcisProjection:
    return EpcisProjection()


@pytest.fixture
def chain(records: Records, epcis: Projections) -> Chain:
    chain = a_chain(records)
    envelopes = all_envelopes(records)
    epcis.apply(envelopes, Position(envelopes[-1].position))
    return chain


@pytest.fixture
def client(
    records: Records, connect: Connect, chain: Chain
) -> Iterator[tuple[TestClient, TokenStore]]:
    tokens = TokenStore(connect)
    try:
        yield TestClient(create_app(NguonSettings(), records, tokens, connect)), tokens
    finally:
        tokens.close()


def _all(client: TestClient, token: str, **params: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    url = "/epcis/events?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
    while url:
        answer = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        assert validate_document(answer.json()) == []
        events += answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        link = answer.headers.get("Link", "")
        url = link.split(">")[0].removeprefix("<").split("/epcis", 1)[-1] if link else ""
        url = "/epcis" + url if url else ""
    return events


def test_the_province_pages_through_every_event_of_the_chain(
    client: tuple[TestClient, TokenStore], chain: Chain
) -> None:
    app, tokens = client
    token = tokens.create(Role.PROVINCE)

    events = _all(app, token, perPage="3")

    assert len(events) == len({e["eventID"] for e in events}) > 6
    assert all(e["eventID"] == event_hash(e) for e in events)
    shipped = _all(app, token, EQ_bizStep="shipping")
    assert shipped
    assert all(e["bizStep"] == "shipping" for e in shipped)


def test_one_event_is_found_by_its_event_id(
    client: tuple[TestClient, TokenStore], chain: Chain
) -> None:
    app, tokens = client
    token = tokens.create(Role.PROVINCE)
    [first, *_] = _all(app, token)

    found = app.get(
        f"/epcis/events/{quote(first['eventID'], safe='')}",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert found.status_code == 200
    [event] = found.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert event["eventID"] == first["eventID"]


def test_the_retailer_sees_its_lot_and_where_it_came_from_without_the_millers_quantities(
    client: tuple[TestClient, TokenStore], chain: Chain
) -> None:
    app, tokens = client
    everything = _all(app, tokens.create(Role.PROVINCE))
    retailer = _all(app, tokens.create(Role.ENTERPRISE, chain.retailer))

    classes = {q["epcClass"] for e in retailer for q in _quantities(e)}
    assert f"urn:nguon:batch:{chain.retail_lot}" in classes
    assert f"urn:nguon:batch:{chain.harvest_a}" in classes  # an ancestor
    assert f"urn:nguon:batch:{chain.other_lot}" not in {
        q["epcClass"] for e in retailer if e["type"] == "ObjectEvent" for q in _quantities(e)
    }
    others = [
        q for e in retailer for q in _quantities(e)
        if q["epcClass"] == f"urn:nguon:batch:{chain.other_lot}"
    ]  # fmt: skip
    assert others  # the miller's other lot came out of the same milling as the retailer's
    assert all("quantity" not in q for q in others)  # but how much is the miller's business
    assert any("quantity" in q for e in everything for q in _quantities(e))


def _quantities(event: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        q
        for name in ("quantityList", "inputQuantityList", "outputQuantityList")
        for q in event.get(name, [])
    ]
