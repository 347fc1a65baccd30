"""Tables of the read models (idempotent DDL, run by ``shared.database.prepare``).

Everything here is derived from the event store and disposable. ``PROJECTION_VERSION`` names
the shape and the meaning of these tables: change it whenever either changes. The migration
then drops the tables of an older version (their shape may differ), and the projections, seeing
no stored version, start again from the first event (``Projections.needs_rebuild``).

Facts are kept normalized (organisations, plots, chains, every batch event, lineage edges) so
that a batch's public document can be recomputed from them at any time, whatever order the
events arrived in; the documents and the catalogue are materialized from those facts.
"""

from __future__ import annotations

PROJECTION_VERSION = 3  # 3: rm_organisations.publish_quantities

TRACKING_TABLES = ("rm_tracking_position", "rm_tracking_offsets")
FACT_TABLES = (
    "rm_events",
    "rm_organisations",
    "rm_org_certifications",
    "rm_cooperative_support",
    "rm_plots",
    "rm_plot_certifications",
    "rm_value_chains",
    "rm_chain_participants",
    "rm_linkage_contracts",
    "rm_lineage",
)
MATERIALIZED_TABLES = ("rm_batches", "rm_provenance", "rm_document_refs")
READ_MODEL_TABLES = FACT_TABLES + MATERIALIZED_TABLES + TRACKING_TABLES
ALL_TABLES = (*READ_MODEL_TABLES, "rm_version")

_DROP_OLDER_VERSION = f"""
DO $$
DECLARE stored integer;
BEGIN
  IF to_regclass('public.rm_version') IS NOT NULL THEN
    EXECUTE 'SELECT max(version) FROM rm_version' INTO stored;
    IF stored IS DISTINCT FROM {PROJECTION_VERSION} AND stored IS NOT NULL THEN
      DROP TABLE IF EXISTS {", ".join(ALL_TABLES)};
    END IF;
  END IF;
END $$"""

DDL: list[str] = [
    _DROP_OLDER_VERSION,
    """CREATE TABLE IF NOT EXISTS rm_version (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version integer NOT NULL,
        complete boolean NOT NULL DEFAULT true,  -- false while a rebuild runs
        reset_at timestamptz NOT NULL DEFAULT now())""",
    # Tracking: embedded mode's position in the notification log, production's Kafka offsets.
    """CREATE TABLE IF NOT EXISTS rm_tracking_position (
        name text PRIMARY KEY,
        position bigint NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_tracking_offsets (
        consumer_group text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        PRIMARY KEY (consumer_group, topic, partition))""",
    # Every applied event, by position: a second delivery finds its row and is a no-op. Batch
    # events keep their canonical envelope JSON: timelines and fingerprints are built from it.
    """CREATE TABLE IF NOT EXISTS rm_events (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        aggregate_id uuid NOT NULL,
        aggregate_version integer NOT NULL,
        envelope text)""",
    """CREATE INDEX IF NOT EXISTS rm_events_batch
        ON rm_events (aggregate_id, aggregate_version) WHERE envelope IS NOT NULL""",
    """CREATE TABLE IF NOT EXISTS rm_organisations (
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
        status text NOT NULL DEFAULT 'active',
        publish_quantities boolean NOT NULL DEFAULT false)""",
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
    """CREATE TABLE IF NOT EXISTS rm_cooperative_support (
        position bigint PRIMARY KEY,
        cooperative_id uuid NOT NULL,
        kind text NOT NULL,
        received_on date NOT NULL,
        programme text NOT NULL,
        amount_vnd numeric)""",
    # No household reference: a member's identity is private and never leaves the event store.
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
    "CREATE INDEX IF NOT EXISTS rm_plot_certifications_plot ON rm_plot_certifications (plot_id)",
    """CREATE TABLE IF NOT EXISTS rm_value_chains (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        commodity text NOT NULL,
        lead_organisation_id uuid NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_chain_participants (
        value_chain_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        role text NOT NULL,
        PRIMARY KEY (value_chain_id, organisation_id, role))""",
    """CREATE INDEX IF NOT EXISTS rm_chain_participants_organisation
        ON rm_chain_participants (organisation_id)""",
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
    # Lineage: one edge per (parent, child, transformation), from the child's Produced event.
    """CREATE TABLE IF NOT EXISTS rm_lineage (
        parent_id uuid NOT NULL,
        child_id uuid NOT NULL,
        transformation_id uuid NOT NULL,
        parent_code text NOT NULL,
        child_code text NOT NULL,
        amount numeric NOT NULL,
        unit text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (parent_id, child_id, transformation_id))""",
    "CREATE INDEX IF NOT EXISTS rm_lineage_child ON rm_lineage (child_id)",
    # Materialized from the facts at the end of every applied batch of events.
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
    """CREATE TABLE IF NOT EXISTS rm_provenance (
        batch_id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        gtin text,
        lot text,
        document jsonb NOT NULL,
        last_position bigint NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_provenance_gtin_lot ON rm_provenance (gtin, lot)",
    # What each document was built from besides batches (organisations, plots, chains), known
    # yet or not: an event about one of them re-materializes exactly those documents.
    """CREATE TABLE IF NOT EXISTS rm_document_refs (
        ref_id uuid NOT NULL,
        batch_id uuid NOT NULL,
        PRIMARY KEY (ref_id, batch_id))""",
    "CREATE INDEX IF NOT EXISTS rm_document_refs_batch ON rm_document_refs (batch_id)",
]
