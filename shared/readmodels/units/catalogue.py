"""The catalogue projection: one row per batch, its state and whether it is recalled.

It keeps its own batch events and edges: the fold and the inherited recall are computed from
what this projection applied, whatever provenance and lineage are doing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, ClassVar

import psycopg

from shared.readmodels import facts
from shared.readmodels import materialize as compose
from shared.readmodels.batch_state import fold
from shared.readmodels.events import BatchEvent, is_batch
from shared.readmodels.journey import journey, standing_recalls
from shared.readmodels.lineage import ancestors_and_self, descendants_and_self, edges_into
from shared.readmodels.projection import Projection
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units import tables
from shared.wire.envelope import Envelope

CATALOGUE_EDGES = "rm_catalogue_edges"


class CatalogueProjection(Projection):
    """One row per batch: its current state, and whether it or an ancestor was recalled."""

    name: ClassVar[str] = "catalogue"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = ("rm_catalogue_events", CATALOGUE_EDGES, "rm_batches")
    fact_set = facts.FactSet(events="rm_catalogue_events", lineage=CATALOGUE_EDGES)

    def ddl(self) -> list[str]:
        return [
            *facts.events_table_ddl("rm_catalogue_events"),
            *tables.edges(CATALOGUE_EDGES),
            """CREATE TABLE IF NOT EXISTS rm_batches (
            batch_id uuid PRIMARY KEY,
            code text NOT NULL UNIQUE,
            commodity text NOT NULL,
            variety text,
            quantity numeric NOT NULL,
            unit text NOT NULL,
            status text NOT NULL,
            holder_id uuid,
            recalled boolean NOT NULL,
            gtin text,
            lot text,
            last_position bigint NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS rm_batches_holder ON rm_batches (holder_id, code)",
            "CREATE INDEX IF NOT EXISTS rm_batches_commodity ON rm_batches (commodity, code)",
            "CREATE INDEX IF NOT EXISTS rm_batches_status ON rm_batches (status, code)",
            # The registry's page of a plot lists the batches harvested from it.
            """CREATE INDEX IF NOT EXISTS rm_catalogue_events_plots ON rm_catalogue_events
            USING gin (((envelope::jsonb) -> 'payload' -> 'plot_ids'))
            WHERE type = 'Batch.Harvested'""",
            # The app's My lots: what an organisation shipped (shared.readmodels.my_lots).
            """CREATE INDEX IF NOT EXISTS rm_catalogue_events_shipper ON rm_catalogue_events
            (((envelope::jsonb) -> 'payload' ->> 'by')) WHERE type = 'Batch.Shipped'""",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        batches = [e for e in envelopes if is_batch(e)]
        new = facts.record_new(conn, batches, self.fact_set)
        facts.store_facts(conn, new, self.fact_set)
        if materialize and new:
            touched = {e.aggregate_id for e in new}
            affected = descendants_and_self(conn, touched, CATALOGUE_EDGES)
            compose.write_catalogue(conn, catalogue_rows(conn, affected))

    def finish(self, connect: Connect) -> int:
        with session(connect) as conn:
            query = tables.CREATED.format(table="rm_catalogue_events")
            ids = [str(r[0]) for r in conn.execute(query).fetchall()]
        for chunk in tables.chunks(ids):
            with connect() as conn:
                compose.insert_catalogue(conn, catalogue_rows(conn, chunk))
        return len(ids)


def catalogue_rows(
    conn: psycopg.Connection[Any], batch_ids: Collection[str]
) -> list[tuple[Any, ...]]:
    """The catalogue row of each batch that exists, from the catalogue's own facts."""
    closure = ancestors_and_self(conn, batch_ids, CATALOGUE_EDGES)
    parents: dict[str, list[Any]] = {}
    for edge in edges_into(conn, closure, CATALOGUE_EDGES):
        parents.setdefault(edge.child_id, []).append(edge)
    events = _events(conn, closure)
    rows = []
    for batch_id in sorted(batch_ids):
        state = fold(batch_id, events.get(batch_id, ()))
        if not state.created:
            continue
        covered, _ = journey(batch_id, events, parents)
        recalled = bool(standing_recalls(covered))
        rows.append(
            compose.batch_row(state, recalled=recalled, last=max(e.position for e in covered))
        )
    return rows


def _events(conn: psycopg.Connection[Any], ids: Iterable[str]) -> dict[str, list[BatchEvent]]:
    found: dict[str, list[BatchEvent]] = {}
    rows = conn.execute(
        "SELECT envelope FROM rm_catalogue_events WHERE aggregate_id = ANY(%s::uuid[])"
        " AND envelope IS NOT NULL ORDER BY position",
        (list(ids),),
    ).fetchall()
    for (canonical,) in rows:
        event = BatchEvent.from_canonical(canonical)
        found.setdefault(event.batch_id, []).append(event)
    return found
