"""The directory projection: organisations, their support, and the chains they are in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg

from shared.readmodels import facts
from shared.readmodels.events import is_batch
from shared.readmodels.projection import Projection
from shared.readmodels.units import tables
from shared.wire.envelope import Envelope


class DirectoryProjection(Projection):
    """Cooperatives and enterprises, their support and the chains they take part in."""

    name: ClassVar[str] = "directory"
    version: ClassVar[int] = 3  # 2: organisations' publish_quantities; 3: dated participation
    tables: ClassVar[tuple[str, ...]] = (
        "rm_directory_events",
        "rm_directory_organisations",
        "rm_cooperative_support",
        "rm_directory_chains",
        "rm_directory_participants",
        "rm_linkage_contracts",
    )
    fact_set = facts.FactSet(
        events="rm_directory_events",
        tables={
            "organisations": "rm_directory_organisations",
            "support": "rm_cooperative_support",
            "chains": "rm_directory_chains",
            "participants": "rm_directory_participants",
            "contracts": "rm_linkage_contracts",
        },
        keep_envelope=lambda _: False,
    )

    def ddl(self) -> list[str]:
        return [
            *facts.events_table_ddl("rm_directory_events"),
            tables.organisations("rm_directory_organisations"),
            """CREATE INDEX IF NOT EXISTS rm_directory_organisations_kind
            ON rm_directory_organisations (kind, name)""",
            """CREATE TABLE IF NOT EXISTS rm_cooperative_support (
            position bigint PRIMARY KEY,
            cooperative_id uuid NOT NULL,
            kind text NOT NULL,
            received_on date NOT NULL,
            programme text NOT NULL,
            amount_vnd numeric)""",
            *tables.chains("rm_directory_chains", "rm_directory_participants"),
            """CREATE TABLE IF NOT EXISTS rm_linkage_contracts (
            value_chain_id uuid NOT NULL,
            contract_number text NOT NULL,
            parties uuid[] NOT NULL,
            commodity text NOT NULL,
            committed_amount numeric NOT NULL,
            committed_unit text NOT NULL,
            starts_on date NOT NULL,
            ends_on date NOT NULL,
            ended_on date,
            PRIMARY KEY (value_chain_id, contract_number))""",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        # Batch events are most of the log and none is the directory's: not even recorded.
        mine = [e for e in envelopes if not is_batch(e)]
        new = facts.record_new(conn, mine, self.fact_set)
        facts.store_facts(conn, new, self.fact_set)
