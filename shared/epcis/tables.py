"""The EPCIS read model: written by the ``epcis`` projection, read by the query interface.

One row per EPCIS event, its JSON as served (without ``@context``) and the columns the standard
query parameters filter on. Ids exported under an earlier mapping version, or before a GLN was
registered, stay in :data:`ALIASES` so a partner's stored ``eventID`` keeps resolving.
"""

from __future__ import annotations

EVENTS = "rm_epcis_events"
ALIASES = "rm_epcis_aliases"
HOLDERS = "rm_epcis_holders"  # who holds or held each batch: who may read its events
EDGES = "rm_epcis_edges"  # parent → child, for "and of their ancestors"

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
    f"""CREATE TABLE IF NOT EXISTS {ALIASES} (
    event_id text PRIMARY KEY,
    current_event_id text NOT NULL)""",
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
]
