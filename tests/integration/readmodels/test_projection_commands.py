"""``nguon projections status`` and ``retry``: what an operator sees and does after a quarantine."""

from __future__ import annotations

import dataclasses
import uuid

import psycopg
from typer.testing import CliRunner

from services.platform.cli import app
from shared.database import DatabaseUrls
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Position
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes


def _environment(database: DatabaseUrls) -> dict[str, str]:
    return {"NGUON_DATABASE_URL": database.app, "NGUON_DATABASE_ADMIN_URL": database.admin}


def test_an_operator_sees_the_quarantine_and_clears_it_with_retry_after_the_fix(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    registered = next(e for e in envelopes if e.type == "Cooperative.Registered")
    too_big = dataclasses.replace(
        registered,
        event_id=str(uuid.uuid4()),
        aggregate_id=str(uuid.uuid4()),
        position=chain.position + 1,
        payload={**registered.payload, "members_count": 2**31},
    )
    projections.apply([*envelopes, too_big], Position(too_big.position))
    runner = CliRunner()
    environment = _environment(database)

    status = runner.invoke(app, ["projections", "status"], env=environment)
    refused = runner.invoke(app, ["projections", "retry"], env=environment)
    with psycopg.connect(database.admin) as conn:  # the fix
        for table in ("rm_organisations", "rm_directory_organisations", "rm_trace_organisations"):
            conn.execute(f"ALTER TABLE {table} ALTER COLUMN members_count TYPE bigint")
    retried = runner.invoke(app, ["projections", "retry"], env=environment)

    lines = {line.split()[0]: line.split()[1:] for line in status.stdout.splitlines()[1:]}
    assert status.exit_code == 0, status.stdout
    assert lines["provenance"][1:3] == [str(too_big.position), "1"]
    assert lines["catalogue"][1:3] == [str(too_big.position), "0"]
    assert refused.exit_code == 1
    assert "NumericValueOutOfRange" in refused.stdout
    assert retried.exit_code == 0, retried.stdout
    assert "provenance: 1 applied, 0 still quarantined" in retried.stdout
    assert projections.quarantined() == []
