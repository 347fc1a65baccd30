"""The EPCIS read model: written by the ``epcis`` projection, read by the query interface.

One row per EPCIS event, its JSON as served (without ``@context``) and the columns the standard
query parameters filter on. Every id ever given out stays in :data:`ISSUED` with the domain
event (and place among its EPCIS events) it named, so an id exported under an earlier mapping
version, or before a GLN was registered, keeps resolving to that event's current id.
"""

from __future__ import annotations

EVENTS = "rm_epcis_events"
# Not one of the projection's own tables: neither a reset nor a rebuild empties it, so the ids
# of earlier mapping versions outlive the rebuild that replaces them.
ISSUED = "rm_epcis_issued"
HOLDERS = "rm_epcis_holders"  # who holds or held each batch: who may read its events
EDGES = "rm_epcis_edges"  # parent → child, for "and of their ancestors"
# What each organisation reads, kept as the facts arrive (shared.readmodels.units.epcis_sight):
SIGHT = "rm_epcis_sight"  # each batch it held, and their ancestors
VISIBLE = "rm_epcis_visible"  # each event naming one of those, in the served order

DDL = [
    f"""CREATE TABLE IF NOT EXISTS {EVENTS} (
    event_id text PRIMARY KEY,             -- ni:///sha-256;<hex>?ver=CBV2.0
    source_event_id uuid NOT NULL,         -- the envelope's event_id
    seq smallint NOT NULL,                 -- 0.. when one domain event maps to several
    position bigint NOT NULL,              -- the domain event's position: the default order
    mapping_version integer NOT NULL,
    event_type text NOT NULL,              -- ObjectEvent, TransformationEvent, ...
    event_time timestamptz NOT NULL,
    record_time timestamptz NOT NULL,
    action text,
    biz_step text,                         -- as served: the bare CBV word, e.g. 'shipping'
    disposition text,
    biz_location text,
    read_point text,
    epcs text[] NOT NULL,                  -- epcList, childEPCs, inputEPCList, outputEPCList
    parent_id text,
    epc_classes text[] NOT NULL,           -- every epcClass of every quantity list
    batch_ids uuid[] NOT NULL,
    -- each epcClass paired with the batch it names (lot_batches[i] is named lot_classes[i]),
    -- so a quantity is shown to who held that very batch
    lot_batches uuid[] NOT NULL,
    lot_classes text[] NOT NULL,
    document jsonb NOT NULL,
    UNIQUE (source_event_id, seq))""",
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_time ON {EVENTS} (event_time, event_id)",
    # A step's events in the served order, (event_time, event_id), with no sort: many events
    # share one eventTime (a transformation's outputs, a day's sales stamped at closing), and
    # (biz_step, event_time) alone sorted every tie, or lost to a walk of the time index.
    f"DROP INDEX IF EXISTS {EVENTS}_step_time",
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_step_order ON {EVENTS} (biz_step, event_time, event_id)",
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_position ON {EVENTS} (position, seq)",
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_epcs ON {EVENTS} USING gin (epcs)",
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_classes ON {EVENTS} USING gin (epc_classes)",
    f"CREATE INDEX IF NOT EXISTS {EVENTS}_batches ON {EVENTS} USING gin (batch_ids)",
    f"""CREATE TABLE IF NOT EXISTS {ISSUED} (
    event_id text PRIMARY KEY,
    source_event_id uuid NOT NULL,
    seq smallint NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {ISSUED}_source ON {ISSUED} (source_event_id, seq)",
    # Replaced by rm_epcis_issued. The few ids it held (events mapped again after a late GLN,
    # before the replacement) are not carried over.
    "DROP TABLE IF EXISTS rm_epcis_aliases",
    f"""CREATE TABLE IF NOT EXISTS {HOLDERS} (
    batch_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    PRIMARY KEY (batch_id, organisation_id))""",
    f"CREATE INDEX IF NOT EXISTS {HOLDERS}_organisation ON {HOLDERS} (organisation_id)",
    f"""CREATE TABLE IF NOT EXISTS {EDGES} (
    parent_id uuid NOT NULL,
    child_id uuid NOT NULL,
    PRIMARY KEY (parent_id, child_id))""",
    f"CREATE INDEX IF NOT EXISTS {EDGES}_child ON {EDGES} (child_id)",
    f"""CREATE TABLE IF NOT EXISTS {SIGHT} (
    organisation_id uuid NOT NULL,
    batch_id uuid NOT NULL,
    PRIMARY KEY (organisation_id, batch_id))""",
    f"CREATE INDEX IF NOT EXISTS {SIGHT}_batch ON {SIGHT} (batch_id)",
    # An organisation's page walks (organisation_id, event_time, event_id) from its keyset, or
    # (organisation_id, biz_step, ...) for one step, as the province's walks rm_epcis_events.
    f"""CREATE TABLE IF NOT EXISTS {VISIBLE} (
    organisation_id uuid NOT NULL,
    event_time timestamptz NOT NULL,
    event_id text NOT NULL,
    biz_step text,
    PRIMARY KEY (organisation_id, event_time, event_id))""",
    f"CREATE INDEX IF NOT EXISTS {VISIBLE}_step ON {VISIBLE}"
    " (organisation_id, biz_step, event_time, event_id)",
]
