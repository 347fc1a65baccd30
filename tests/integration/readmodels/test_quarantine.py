"""An event a projection cannot apply is set aside, never a reason to stop (quarantine)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import psycopg

from shared.database import DatabaseUrls
from shared.readmodels.directory import Directory
from shared.readmodels.health import read_side_health
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, KafkaOffsets, Position
from shared.records.application import Records
from shared.wire.envelope import Envelope
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes

TOO_MANY_MEMBERS = 2_147_483_648  # one more than PostgreSQL's integer holds


def _next(template: Envelope, position: int, **changes: Any) -> Envelope:
    """An envelope as the relay would publish it after the chain: a new event at ``position``."""
    return dataclasses.replace(template, event_id=str(uuid.uuid4()), position=position, **changes)


def _created(envelopes: list[Envelope], code: str) -> Envelope:
    return next(e for e in envelopes if e.payload.get("code") == code)


def _a_too_big_cooperative(
    registered: Envelope, position: int, aggregate_id: str, registration_number: str
) -> Envelope:
    """A new cooperative's registration whose member count no table column can hold."""
    return _next(
        registered,
        position,
        aggregate_id=aggregate_id,
        payload={
            **registered.payload,
            "registration_number": registration_number,
            "members_count": TOO_MANY_MEMBERS,
        },
    )


def _a_new_harvest(
    envelopes: list[Envelope], chain: Chain, position: int, **payload: Any
) -> Envelope:
    harvest = _created(envelopes, chain.harvest_b)
    code = f"TH-2026-9{position:05d}"
    return _next(
        harvest,
        position,
        aggregate_id=str(uuid.uuid4()),
        payload={**harvest.payload, "code": code, **payload},
    )


def _page(reader: PostgresProvenanceReader, code: str) -> dict[str, Any]:
    document = reader.by_code(code)
    assert document is not None, code
    return dict(document)


def test_a_recall_that_cannot_be_applied_marks_the_lot_and_all_made_from_it_incomplete(
    records: Records,
    projections: Projections,
    connect: Connect,
    reader: PostgresProvenanceReader,
    chain: Chain,
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    harvest_a = _created(envelopes, chain.harvest_a)
    at = harvest_a.payload["at"]
    # PostgreSQL's jsonb holds no NUL character: this recall's document cannot be stored.
    poisoned = _next(
        harvest_a,
        chain.position + 1,
        type="Batch.Recalled",
        aggregate_version=90,
        payload={"at": at, "reason": "Dư lượng\u0000 thuốc", "by": str(chain.cooperative_a)},
    )
    queued = _next(
        poisoned,
        chain.position + 2,
        aggregate_version=91,
        payload={**poisoned.payload, "reason": "Dư lượng thuốc"},
    )
    unrelated = _a_new_harvest(envelopes, chain, chain.position + 3)

    projections.apply([poisoned, queued, unrelated], Position(chain.position + 3))

    for code in (chain.harvest_a, chain.milled, chain.retail_lot, chain.other_lot):
        assert _page(reader, code)["record_incomplete"] is True, code
    assert _page(reader, chain.harvest_b)["record_incomplete"] is False
    assert _page(reader, unrelated.payload["code"])["record_incomplete"] is False
    quarantined = [(q.projection, q.position, q.type) for q in projections.quarantined()]
    # The EPCIS event keeps the reason in its jsonb document too, so it waits there as well.
    assert sorted(quarantined) == [
        (name, chain.position + n, "Batch.Recalled") for name in ("epcis", "provenance")
        for n in (1, 2)
    ]  # fmt: skip
    assert projections.position() == chain.position + 3
    health = read_side_health(connect, head=chain.position + 10)
    assert health.as_json() == {
        "status": "degraded",
        "quarantined": 4,
        "lag": 7,
        "rebuilding": [],
    }


def test_a_cooperative_too_big_for_its_column_waits_and_is_applied_once_the_column_is_fixed(
    records: Records,
    projections: Projections,
    connect: Connect,
    database: DatabaseUrls,
    reader: PostgresProvenanceReader,
    chain: Chain,
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    registered = next(e for e in envelopes if e.type == "Cooperative.Registered")
    cooperative = str(uuid.uuid4())
    big = _a_too_big_cooperative(registered, chain.position + 1, cooperative, "2801-BIG")
    suspended = _next(
        big,
        chain.position + 2,
        type="Cooperative.StatusChanged",
        aggregate_version=2,
        payload={"status": "suspended", "at": registered.payload.get("at")},
    )
    its_harvest = _a_new_harvest(envelopes, chain, chain.position + 3, holder_id=cooperative)
    other = _a_new_harvest(envelopes, chain, chain.position + 4)

    projections.apply([big, suspended, its_harvest, other], Position(chain.position + 4))

    directory = Directory(connect)
    assert directory.organisation(uuid.UUID(cooperative)) is None
    assert _page(reader, its_harvest.payload["code"])["record_incomplete"] is True
    assert _page(reader, other.payload["code"])["record_incomplete"] is False
    assert read_side_health(connect, head=chain.position + 4).status == "degraded"
    assert {(q.projection, q.position) for q in projections.quarantined()} == {
        (name, chain.position + n) for name in ("provenance", "directory", "trace") for n in (1, 2)
    }

    with psycopg.connect(database.admin) as conn:  # the fix: a column that holds the value
        for table in ("rm_organisations", "rm_directory_organisations", "rm_trace_organisations"):
            conn.execute(f"ALTER TABLE {table} ALTER COLUMN members_count TYPE bigint")
    assert projections.retry() == {
        "provenance": (2, 0),
        "lineage": (0, 0),
        "directory": (2, 0),
        "catalogue": (0, 0),
        "monitoring": (0, 0),  # keeps no members count
        "households": (0, 0),
        "recalls": (0, 0),  # keeps only organisations' names
        "trace": (2, 0),
        "epcis": (0, 0),  # maps batch events; organisations are no EPCIS events
    }

    entry = directory.organisation(uuid.UUID(cooperative))
    assert entry is not None
    assert (entry["members_count"], entry["status"]) == (TOO_MANY_MEMBERS, "suspended")
    assert _page(reader, its_harvest.payload["code"])["record_incomplete"] is False
    assert projections.quarantined() == []
    assert read_side_health(connect, head=chain.position + 4).as_json() == {
        "status": "ok",
        "quarantined": 0,
        "lag": 0,
        "rebuilding": [],
    }


def test_a_retry_that_fails_again_keeps_the_event_and_those_queued_behind_it(
    records: Records, projections: Projections, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    registered = next(e for e in envelopes if e.type == "Cooperative.Registered")
    big = _a_too_big_cooperative(registered, chain.position + 1, str(uuid.uuid4()), "2801-BIG2")
    renamed = _next(
        big,
        chain.position + 2,
        type="Cooperative.StatusChanged",
        aggregate_version=2,
        payload={"status": "dissolved"},
    )
    projections.apply([big, renamed], Position(chain.position + 2))

    assert projections.unit("directory").retry() == (0, 2)
    errors = [q.error for q in projections.unit("directory").quarantined()]
    assert errors[0].startswith("NumericValueOutOfRange")
    assert "queued behind" in errors[1]


def test_a_batch_delivered_again_leaves_the_quarantine_as_it_was(
    records: Records, projections: Projections, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    harvest_a = _created(envelopes, chain.harvest_a)
    poisoned = _next(
        harvest_a,
        chain.position + 1,
        type="Batch.Recalled",
        aggregate_version=90,
        payload={"at": harvest_a.payload["at"], "reason": "\u0000"},
    )
    everything = [*envelopes, poisoned]
    offsets = KafkaOffsets("projector", {("nguon.events", 0): len(everything)})
    projections.apply(everything, offsets)
    before = projections.quarantined()

    projections.apply(everything, offsets)  # Kafka redelivers after a crash before its commit

    assert projections.quarantined() == before
    assert [(q.projection, q.position, q.error.split(":")[0]) for q in before] == [
        (name, chain.position + 1, "UntranslatableCharacter") for name in ("epcis", "provenance")
    ]
