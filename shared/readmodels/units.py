"""The platform's projections: provenance, lineage, directory and catalogue, each its own unit.

Who owns which table, and why. A projection reads only tables it applied itself: reading
another's would make its rows depend on that projection's progress and rebuilds (a document
composed while the directory lagged would miss an organisation, and nothing would recompose it
when the directory caught up). So where two projections need the same fact, each keeps its own
copy, in its own table, written by the same handler (:mod:`shared.readmodels.facts`):

* ``provenance`` (the public documents) owns ``rm_events`` (every event it applied, batch
  envelopes kept for timelines and fingerprints), ``rm_provenance_edges`` (the journey's lineage),
  the parties and places a page names (``rm_organisations``, ``rm_org_certifications``,
  ``rm_plots``, ``rm_plot_certifications``, ``rm_value_chains``, ``rm_chain_participants``),
  and what it composes: ``rm_provenance``, ``rm_document_refs``.
* ``lineage`` (staff traces and recalls) owns ``rm_lineage``: one edge per parent and child.
* ``directory`` (organisations for staff and the dashboard) owns ``rm_directory_events``,
  ``rm_directory_organisations``, ``rm_directory_chains``, ``rm_directory_participants``, and
  the facts only it serves: ``rm_cooperative_support``, ``rm_linkage_contracts``.
* ``catalogue`` (the batch list) owns ``rm_batches``, with its own ``rm_catalogue_events``
  (batch envelopes, for the fold) and ``rm_catalogue_edges`` (a recall reaches descendants).

The copies cost a little space and a little rebuild time; they buy independence: bumping one
projection's version empties and rebuilds its tables alone while the others keep serving.
A later projection (monitoring, trace, EPCIS) is one more :class:`Projection` here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any, ClassVar

import psycopg

from shared.readmodels import facts
from shared.readmodels import materialize as compose
from shared.readmodels.batch_state import fold
from shared.readmodels.certifications import today_in_vietnam
from shared.readmodels.engine import Projection
from shared.readmodels.events import BatchEvent, is_batch
from shared.readmodels.journey import journey
from shared.readmodels.lineage import (
    EDGE_DDL,
    JOURNEY_EDGES,
    TRACE_EDGES,
    ancestors_and_self,
    descendants_and_self,
    edges_into,
)
from shared.readmodels.tracking import Connect, session
from shared.wire.envelope import Envelope

CATALOGUE_EDGES = "rm_catalogue_edges"


def _organisations(table: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS {table} (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        registration_number text,
        tax_code text,
        address text,
        commune text NOT NULL,
        former_district text,
        province text NOT NULL,
        sector text,
        founded date,
        members_count integer,
        model text,
        status text NOT NULL DEFAULT 'active')"""


def _chains(chains: str, participants: str) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS {chains} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        commodity text NOT NULL,
        lead_organisation_id uuid NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS {participants} (
        value_chain_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        role text NOT NULL,
        PRIMARY KEY (value_chain_id, organisation_id, role))""",
        f"""CREATE INDEX IF NOT EXISTS {participants}_organisation
        ON {participants} (organisation_id)""",
    ]


def _edges(table: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {table} {EDGE_DDL}",
        f"CREATE INDEX IF NOT EXISTS {table}_child ON {table} (child_id)",
    ]


class ProvenanceProjection(Projection):
    """The public page of every batch, recomposed from its facts whenever one changes."""

    name: ClassVar[str] = "provenance"
    version: ClassVar[int] = 3
    tables: ClassVar[tuple[str, ...]] = (
        "rm_events",
        JOURNEY_EDGES,
        "rm_organisations",
        "rm_org_certifications",
        "rm_plots",
        "rm_plot_certifications",
        "rm_value_chains",
        "rm_chain_participants",
        "rm_provenance",
        "rm_document_refs",
    )
    fact_set = facts.FactSet(
        events="rm_events",
        lineage=JOURNEY_EDGES,
        tables={
            "organisations": "rm_organisations",
            "org_certifications": "rm_org_certifications",
            "plots": "rm_plots",
            "plot_certifications": "rm_plot_certifications",
            "chains": "rm_value_chains",
            "participants": "rm_chain_participants",
        },
    )

    def __init__(self, today: Callable[[], date] = today_in_vietnam) -> None:
        self._today = today

    def ddl(self) -> list[str]:
        return [
            *facts.events_table_ddl("rm_events"),
            *_edges(JOURNEY_EDGES),
            _organisations("rm_organisations"),
            "CREATE INDEX IF NOT EXISTS rm_organisations_kind ON rm_organisations (kind, name)",
            """CREATE TABLE IF NOT EXISTS rm_org_certifications (
            organisation_id uuid NOT NULL,
            certificate text NOT NULL,
            scheme text NOT NULL,
            valid_from date NOT NULL,
            valid_until date,
            stars integer,
            expired_on date,
            PRIMARY KEY (organisation_id, certificate))""",
            # No household reference: a member's identity is private, never leaves the store.
            """CREATE TABLE IF NOT EXISTS rm_plots (
            id uuid PRIMARY KEY,
            cooperative_id uuid NOT NULL,
            crop text NOT NULL,
            area_ha numeric NOT NULL,
            commune text NOT NULL,
            location jsonb NOT NULL,
            planting_area_code text)""",
            """CREATE TABLE IF NOT EXISTS rm_plot_certifications (
            position bigint PRIMARY KEY,
            plot_id uuid NOT NULL,
            scheme text NOT NULL,
            certificate text NOT NULL,
            valid_from date NOT NULL,
            valid_until date)""",
            """CREATE INDEX IF NOT EXISTS rm_plot_certifications_plot
            ON rm_plot_certifications (plot_id)""",
            *_chains("rm_value_chains", "rm_chain_participants"),
            """CREATE TABLE IF NOT EXISTS rm_provenance (
            batch_id uuid PRIMARY KEY,
            code text NOT NULL UNIQUE,
            gtin text,
            lot text,
            document jsonb NOT NULL,
            last_position bigint NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS rm_provenance_gtin_lot ON rm_provenance (gtin, lot)",
            # What each document was built from besides batches (organisations, plots, chains),
            # known yet or not: an event about one re-materializes exactly those documents.
            """CREATE TABLE IF NOT EXISTS rm_document_refs (
            ref_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            PRIMARY KEY (ref_id, batch_id))""",
            "CREATE INDEX IF NOT EXISTS rm_document_refs_batch ON rm_document_refs (batch_id)",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        new = facts.record_new(conn, envelopes, self.fact_set)
        facts.store_facts(conn, new, self.fact_set)
        if materialize:
            self._compose(conn, materialize_affected(conn, new))

    def touch(self, conn: psycopg.Connection[Any], aggregate_ids: set[str]) -> None:
        self._compose(conn, affected_by(conn, aggregate_ids))

    def finish(self, connect: Connect) -> int:
        with session(connect) as conn:
            ids = [str(r[0]) for r in conn.execute(_CREATED.format(table="rm_events")).fetchall()]
        for chunk in _chunks(ids):
            with connect() as conn:
                compose.materialize(conn, chunk, self._today(), fresh=True)
        return len(ids)

    def _compose(self, conn: psycopg.Connection[Any], batch_ids: Collection[str]) -> None:
        compose.materialize(conn, batch_ids, self._today())


def materialize_affected(conn: psycopg.Connection[Any], envelopes: Sequence[Envelope]) -> set[str]:
    return compose.affected(conn, envelopes)


def affected_by(conn: psycopg.Connection[Any], aggregate_ids: Collection[str]) -> set[str]:
    """Documents built from these aggregates, batches or not, and their descendants."""
    if not aggregate_ids:
        return set()
    rows = conn.execute(
        "SELECT DISTINCT batch_id FROM rm_document_refs WHERE ref_id = ANY(%s::uuid[])",
        (list(aggregate_ids),),
    ).fetchall()
    return descendants_and_self(conn, {*aggregate_ids, *(str(r[0]) for r in rows)})


class LineageProjection(Projection):
    """Parent → child edges with the quantity each parent gave (traces, recalls)."""

    name: ClassVar[str] = "lineage"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = (TRACE_EDGES,)
    # Edges are keyed by (parent, child, transformation): a replay inserts nothing.
    fact_set = facts.FactSet(events="", lineage=TRACE_EDGES)

    def ddl(self) -> list[str]:
        return _edges(TRACE_EDGES)

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        produced = [e for e in envelopes if e.type == "Batch.Produced"]
        facts.store_facts(conn, produced, self.fact_set)


class DirectoryProjection(Projection):
    """Cooperatives and enterprises, their support and the chains they take part in."""

    name: ClassVar[str] = "directory"
    version: ClassVar[int] = 1
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
            _organisations("rm_directory_organisations"),
            """CREATE INDEX IF NOT EXISTS rm_directory_organisations_kind
            ON rm_directory_organisations (kind, name)""",
            """CREATE TABLE IF NOT EXISTS rm_cooperative_support (
            position bigint PRIMARY KEY,
            cooperative_id uuid NOT NULL,
            kind text NOT NULL,
            received_on date NOT NULL,
            programme text NOT NULL,
            amount_vnd numeric)""",
            *_chains("rm_directory_chains", "rm_directory_participants"),
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


class CatalogueProjection(Projection):
    """One row per batch: its current state, and whether it or an ancestor was recalled."""

    name: ClassVar[str] = "catalogue"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = ("rm_catalogue_events", CATALOGUE_EDGES, "rm_batches")
    fact_set = facts.FactSet(events="rm_catalogue_events", lineage=CATALOGUE_EDGES)

    def ddl(self) -> list[str]:
        return [
            *facts.events_table_ddl("rm_catalogue_events"),
            *_edges(CATALOGUE_EDGES),
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
            query = _CREATED.format(table="rm_catalogue_events")
            ids = [str(r[0]) for r in conn.execute(query).fetchall()]
        for chunk in _chunks(ids):
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
        recalled = any(e.name == "Recalled" for e in covered)
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


# In creation order: a chunk then holds batches and their near ancestors, loaded once for all.
_CREATED = (
    "SELECT aggregate_id FROM {table} WHERE type IN ('Batch.Harvested', 'Batch.Produced')"
    " ORDER BY position"
)
_CHUNK = 2_000


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def all_projections(today: Callable[[], date] = today_in_vietnam) -> list[Projection]:
    """Every projection of the platform, in the order a batch of events is applied to them."""
    return [
        ProvenanceProjection(today),
        LineageProjection(),
        DirectoryProjection(),
        CatalogueProjection(),
    ]


__all__ = [
    "CatalogueProjection",
    "DirectoryProjection",
    "LineageProjection",
    "ProvenanceProjection",
    "all_projections",
]
