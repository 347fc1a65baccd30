"""A correction through the epcis projection on the real PostgreSQL: the amended event stays,
carrying an error declaration that names its corrective event, as EPCIS 2.0 (7.4.1.5) asks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.epcis.app import create_app
from shared.epcis import tables
from shared.epcis.event_hash import event_hash
from shared.epcis.mapping import document
from shared.epcis.schema import validate_document
from shared.postgres.tokens import TokenStore
from shared.readmodels.epcis_query import EpcisReader, EventQuery, Sight
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, session
from shared.readmodels.units.epcis import EpcisProjection
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.wire.envelope import Envelope
from tests.builders import a_gtin
from tests.epcis_validation import validate_with_epcis2js
from tests.integration.epcis.test_epcis_projection import connect, database, epcis, records
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes

__all__ = ["connect", "database", "epcis", "records"]

STAFF = Actor(Role.PROVINCE)


@pytest.fixture
def projection() -> EpcisProjection:
    return EpcisProjection()  # the real mapping and the real hash


def _inspect_wrongly(records: Records, chain: Chain) -> Envelope:
    """The miller records a failed inspection by the wrong lab: the event to correct."""
    miller = Actor(Role.ENTERPRISE, chain.miller)
    records.execute(
        miller,
        [
            c.InspectBatch(
                batch=chain.other_lot, lab="Phòng thí nghiệm A", result="fail",
                parameters={"aflatoxin_ppb": "0.8"}, document="KQ-2026/118",
            )
        ],
    )  # fmt: skip
    return all_envelopes(records)[-1]


def _correct(records: Records, chain: Chain, version: int, **changes: str) -> Envelope:
    miller = Actor(Role.ENTERPRISE, chain.miller)
    command = c.CorrectBatch(
        batch=chain.other_lot, amends_version=version, reason="nhập nhầm kết quả", changes=changes
    )
    records.execute(miller, [command])
    return all_envelopes(records)[-1]


def _apply_all(records: Records, epcis: Projections) -> None:
    envelopes = all_envelopes(records)
    epcis.apply(envelopes, Position(envelopes[-1].position))


def _of(connect: Connect, source: Envelope) -> list[dict[str, Any]]:
    with session(connect) as conn:
        rows = conn.execute(
            f"SELECT document FROM {tables.EVENTS} WHERE source_event_id = %s ORDER BY seq",
            (source.event_id,),
        ).fetchall()
    return [row[0] for row in rows]


def _vietnam_time(at: str) -> str:
    east = timezone(timedelta(hours=7))
    return datetime.fromisoformat(at).astimezone(east).isoformat(timespec="milliseconds")


def _all(connect: Connect) -> list[dict[str, Any]]:
    with session(connect) as conn:
        rows = conn.execute(f"SELECT document FROM {tables.EVENTS} ORDER BY position, seq")
        return [row[0] for row in rows.fetchall()]


def test_the_amended_event_stays_with_an_error_declaration_naming_the_corrective_event(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    inspected = _inspect_wrongly(records, chain)
    epcis.apply(all_envelopes(records), Position(inspected.position))
    [before] = _of(connect, inspected)

    correction = _correct(
        records, chain, inspected.aggregate_version, result="pass", lab="Phòng thí nghiệm B"
    )
    _apply_all(records, epcis)

    [amended] = _of(connect, inspected)
    [corrective] = _of(connect, correction)
    assert amended["eventID"] == before["eventID"]  # the same event, re-sent with a declaration
    assert {k: v for k, v in amended.items() if k not in ("errorDeclaration", "recordTime")} == {
        k: v for k, v in before.items() if k != "recordTime"
    }
    assert amended["errorDeclaration"] == {
        "declarationTime": _vietnam_time(correction.payload["at"]),
        "reason": "incorrect_data",
        "nguon:reason": "nhập nhầm kết quả",
        "correctiveEventIDs": [corrective["eventID"]],
    }
    assert amended["recordTime"] == correction.occurred_at
    assert corrective["disposition"] == "conformant"
    assert corrective["nguon:lab"] == "Phòng thí nghiệm B"
    assert corrective["eventTime"] == before["eventTime"]  # the facts of the same moment
    assert corrective["nguon:changes"] == {"result": "pass", "lab": "Phòng thí nghiệm B"}
    assert corrective["eventID"] == event_hash(corrective)
    events = _all(connect)
    doc = document(events, created="2026-12-02T00:00:00.000Z")
    assert validate_document(doc) == []
    assert validate_with_epcis2js(doc) == []


def test_a_second_correction_declares_on_the_first_corrective_event(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    inspected = _inspect_wrongly(records, chain)
    first = _correct(records, chain, inspected.aggregate_version, result="pass")
    second = _correct(records, chain, inspected.aggregate_version, lab="Phòng thí nghiệm B")
    _apply_all(records, epcis)

    [amended] = _of(connect, inspected)
    [first_corrective] = _of(connect, first)
    [second_corrective] = _of(connect, second)
    assert amended["errorDeclaration"]["correctiveEventIDs"] == [first_corrective["eventID"]]
    assert first_corrective["errorDeclaration"]["correctiveEventIDs"] == [
        second_corrective["eventID"]
    ]
    assert "errorDeclaration" not in second_corrective
    # The second corrects the event as the first left it: both changes hold.
    assert second_corrective["disposition"] == "conformant"
    assert second_corrective["nguon:lab"] == "Phòng thí nghiệm B"


def test_the_query_finds_the_declared_events_and_a_rebuild_gives_the_same(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    inspected = _inspect_wrongly(records, chain)
    _correct(records, chain, inspected.aggregate_version, result="pass")
    _apply_all(records, epcis)
    before = _all(connect)

    declared = EpcisReader(connect).page(
        EventQuery(error_declared=True), Sight(everything=True), None, 100
    )
    epcis.reset()
    _apply_all(records, epcis)

    assert [e["eventID"] for e in declared.documents] == [_of(connect, inspected)[0]["eventID"]]
    assert _all(connect) == before


def test_a_late_gln_maps_the_amended_event_again_and_its_declaration_stays(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    gln = a_gtin()
    records.execute(STAFF, [c.RegisterGln(organisation_id=chain.miller, gln=gln)])
    inspected = _inspect_wrongly(records, chain)
    correction = _correct(records, chain, inspected.aggregate_version, result="pass")
    envelopes = all_envelopes(records)
    registered = next(e for e in envelopes if e.type == "Gln.Registered")
    with session(connect) as conn, conn.transaction():
        # Kafka delivered the GLN after the miller's events.
        EpcisProjection().apply(
            conn, [e for e in envelopes if e is not registered], materialize=True
        )
    [old_corrective] = _of(connect, correction)

    with session(connect) as conn, conn.transaction():
        EpcisProjection().apply(conn, [registered], materialize=True)

    [amended] = _of(connect, inspected)
    [corrective] = _of(connect, correction)
    assert amended["bizLocation"]["id"] == f"https://id.gs1.org/414/{gln}"
    assert corrective["bizLocation"]["id"] == f"https://id.gs1.org/414/{gln}"
    assert corrective["eventID"] != old_corrective["eventID"]
    assert amended["errorDeclaration"]["correctiveEventIDs"] == [corrective["eventID"]]


def test_a_partner_asks_for_the_events_declared_in_error(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    inspected = _inspect_wrongly(records, chain)
    _correct(records, chain, inspected.aggregate_version, result="pass")
    _apply_all(records, epcis)
    tokens = TokenStore(connect)
    try:
        client = TestClient(create_app(NguonSettings(), records, tokens, connect))
        headers = {"Authorization": f"Bearer {tokens.create(Role.ENTERPRISE, chain.miller)}"}
        bare = client.get("/epcis/events?EXISTS_errorDeclaration", headers=headers)
        true = client.get("/epcis/events?EXISTS_errorDeclaration=true", headers=headers)
        wrong = client.get("/epcis/events?EXISTS_errorDeclaration=no", headers=headers)
    finally:
        tokens.close()

    [declared] = bare.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert declared["eventID"] == _of(connect, inspected)[0]["eventID"]
    assert "errorDeclaration" in declared
    assert validate_document(bare.json()) == []
    assert true.json() == {**bare.json(), "creationDate": true.json()["creationDate"]}
    assert wrong.status_code == 400
    assert wrong.json()["parameter"] == "EXISTS_errorDeclaration"
