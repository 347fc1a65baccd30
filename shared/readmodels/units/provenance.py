"""The provenance projection: every batch's public document, recomposed from its facts.

Its facts are its own copies (see :mod:`shared.readmodels.units`): a document is a function
of what this projection applied, whatever the other projections are doing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any, ClassVar

import psycopg

from shared.domain.clock import today_in_vietnam
from shared.readmodels import facts
from shared.readmodels import materialize as compose
from shared.readmodels import snapshot as snapshots
from shared.readmodels.folding import searchable_column
from shared.readmodels.lineage import JOURNEY_EDGES, descendants_and_self
from shared.readmodels.projection import Projection
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units import tables
from shared.wire.envelope import Envelope


class ProvenanceProjection(Projection):
    """The public page of every batch, recomposed from its facts whenever one changes."""

    name: ClassVar[str] = "provenance"
    # 4: publish_quantities; 5: dated participation; 6: show_profile and plots' search column;
    # 7: plots' sprayings (the farm diary) and the harvest's interval override; 8: best_before;
    # 9: the GTIN's product details (rm_products); 10: GLNs (rm_glns), for the exports
    version: ClassVar[int] = 10
    tables: ClassVar[tuple[str, ...]] = (
        "rm_events",
        JOURNEY_EDGES,
        "rm_organisations",
        "rm_org_certifications",
        "rm_plots",
        "rm_plot_certifications",
        "rm_plot_sprayings",
        "rm_value_chains",
        "rm_chain_participants",
        "rm_products",
        "rm_glns",
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
            "plot_sprayings": "rm_plot_sprayings",
            "chains": "rm_value_chains",
            "participants": "rm_chain_participants",
            "products": "rm_products",
            "glns": "rm_glns",
        },
    )

    def __init__(self, today: Callable[[], date] = today_in_vietnam) -> None:
        self._today = today

    def ddl(self) -> list[str]:
        return [
            *facts.events_table_ddl("rm_events"),
            *tables.edges(JOURNEY_EDGES),
            tables.organisations("rm_organisations"),
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
            # The registry's search of plots (shared.readmodels.folding).
            searchable_column("rm_plots", "coalesce(planting_area_code, '') || ' ' || crop"),
            """CREATE TABLE IF NOT EXISTS rm_plot_certifications (
            position bigint PRIMARY KEY,
            plot_id uuid NOT NULL,
            scheme text NOT NULL,
            certificate text NOT NULL,
            valid_from date NOT NULL,
            valid_until date)""",
            """CREATE INDEX IF NOT EXISTS rm_plot_certifications_plot
            ON rm_plot_certifications (plot_id)""",
            # The farm diary's sprayings, for the buyer's page: no household, only what the
            # pre-harvest-interval rule speaks of.
            """CREATE TABLE IF NOT EXISTS rm_plot_sprayings (
            position bigint PRIMARY KEY,
            plot_id uuid NOT NULL,
            sprayed_on date NOT NULL,
            product text NOT NULL,
            active_ingredient text NOT NULL,
            pre_harvest_days integer NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS rm_plot_sprayings_plot ON rm_plot_sprayings (plot_id)",
            *tables.chains("rm_value_chains", "rm_chain_participants"),
            # A GTIN's product as its owner described it; id = GtinProduct's aggregate id.
            """CREATE TABLE IF NOT EXISTS rm_products (
            id uuid PRIMARY KEY,
            gtin text NOT NULL,
            owner_id uuid,
            name_vi text NOT NULL,
            name_en text,
            brand text,
            shelf_life_days integer,
            photo text)""",
            "CREATE INDEX IF NOT EXISTS rm_products_owner ON rm_products (owner_id, gtin)",
            # The GLNs organisations registered (for themselves, plot_id NULL, or a plot): the
            # exports' location identifiers. The epcis projection keeps its own copy.
            """CREATE TABLE IF NOT EXISTS rm_glns (
            gln text PRIMARY KEY,
            owner_id uuid NOT NULL,
            plot_id uuid,
            position bigint NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS rm_glns_owner ON rm_glns (owner_id)",
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
            ids = [
                str(r[0]) for r in conn.execute(tables.CREATED.format(table="rm_events")).fetchall()
            ]
        for chunk in tables.chunks(ids):
            # No transaction stays open while a chunk is composed: a chunk of lots with 400
            # ancestors each (a mill's lot merged from 200 harvests) takes 10-20 s of Python,
            # past the pool's idle-in-transaction timeout, which cut the rebuild.
            with connect() as conn:
                snapshot = snapshots.load(conn, chunk)
            composed = compose.documents(snapshot, chunk, self._today())
            with connect() as conn:
                compose.insert_documents(conn, composed)
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
