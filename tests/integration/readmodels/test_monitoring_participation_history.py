"""Chain participation keeps its history in the read models: leaving dates the row, readers of
current participants see only those still in, and a participation stored before dates existed
reads with the day it was recorded."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import psycopg

from shared.database import DatabaseUrls
from shared.readmodels.directory import Directory
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position
from shared.records import commands as c
from shared.records.application import Records
from shared.records.results import CooperativeResult, EnterpriseResult, ValueChainResult
from shared.wire.envelope import Envelope
from tests.builders import (
    STAFF,
    a_cooperative_command,
    a_value_chain_command,
    an_enterprise_command,
)
from tests.integration.readmodels.readmodel_chain import all_envelopes


def _a_chain_and_a_cooperative(records: Records) -> tuple[UUID, UUID]:
    mill = records.execute(STAFF, [an_enterprise_command()]).result(EnterpriseResult)
    cooperative = records.execute(STAFF, [a_cooperative_command()]).result(CooperativeResult)
    chain = records.execute(STAFF, [a_value_chain_command(mill.enterprise_id)])
    return chain.result(ValueChainResult).value_chain_id, cooperative.cooperative_id


def _participation(url: str, table: str, organisation_id: UUID) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            f"SELECT role, joined_on, left_on, left_reason FROM {table}"
            " WHERE organisation_id = %s ORDER BY position",
            (organisation_id,),
        ).fetchall()


def test_a_participant_that_left_keeps_its_dated_row_and_is_no_longer_current(
    records: Records, projections: Projections, connect: Connect, database: DatabaseUrls
) -> None:
    chain_id, cooperative_id = _a_chain_and_a_cooperative(records)
    records.execute(
        STAFF,
        [
            c.JoinValueChain(
                value_chain_id=chain_id,
                organisation_id=cooperative_id,
                role="producer",
                joined_on=date(2025, 3, 1),
            ),
            c.LeaveValueChain(
                value_chain_id=chain_id,
                organisation_id=cooperative_id,
                reason="chuyển sang chuỗi khác",
                left_on=date(2026, 2, 15),
            ),
            c.JoinValueChain(
                value_chain_id=chain_id,
                organisation_id=cooperative_id,
                role="producer",
                joined_on=date(2026, 6, 1),
            ),
        ],
    )
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))

    for table in ("rm_directory_participants", "rm_chain_participants"):
        assert _participation(database.app, table, cooperative_id) == [
            ("producer", date(2025, 3, 1), date(2026, 2, 15), "chuyển sang chuỗi khác"),
            ("producer", date(2026, 6, 1), None, None),
        ]
    entry = Directory(connect).organisation(cooperative_id)
    assert entry is not None
    assert [chain["value_chain_id"] for chain in entry["chains"]] == [str(chain_id)]


def test_leaving_ends_the_current_participation_for_the_directory(
    records: Records, projections: Projections, connect: Connect
) -> None:
    chain_id, cooperative_id = _a_chain_and_a_cooperative(records)
    join = c.JoinValueChain(
        value_chain_id=chain_id, organisation_id=cooperative_id, role="producer"
    )
    records.execute(STAFF, [join])
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    directory = Directory(connect)
    assert directory.cooperatives_in_chains() == {"active": 1, "in_chains": 1}

    leave = c.LeaveValueChain(value_chain_id=chain_id, organisation_id=cooperative_id, reason="x")
    records.execute(STAFF, [leave])
    envelopes = all_envelopes(records)
    projections.apply(envelopes[-1:], Position(envelopes[-1].position))

    assert directory.cooperatives_in_chains() == {"active": 1, "in_chains": 0}
    entry = directory.organisation(cooperative_id)
    assert entry is not None
    assert entry["chains"] == []


def test_a_v1_participation_envelope_is_dated_the_day_it_was_recorded_in_vietnam(
    records: Records, projections: Projections, database: DatabaseUrls
) -> None:
    chain_id, cooperative_id = _a_chain_and_a_cooperative(records)
    envelopes = all_envelopes(records)
    # As published before version 2: no joined_on; recorded at 18:00 UTC, the next day in Vietnam.
    v1 = Envelope(
        event_id="0b7c4f7e-3f43-5d55-9d5e-6f1b8f1c0a01",
        type="ValueChain.ParticipantJoined",
        aggregate_type="ValueChain",
        aggregate_id=str(chain_id),
        aggregate_version=2,
        position=envelopes[-1].position + 1,
        occurred_at="2025-12-31T18:00:00+00:00",
        schema_version=1,
        payload={"organisation_id": str(cooperative_id), "role": "producer"},
    )
    projections.apply([*envelopes, v1], Position(v1.position))

    assert _participation(database.app, "rm_directory_participants", cooperative_id) == [
        ("producer", date(2026, 1, 1), None, None)
    ]
