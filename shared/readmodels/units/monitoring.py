"""The monitoring projection: dated facts for the province's indicators (issue 8, the dashboard).

Every row keeps the business date of what it says (joined on, shipped on, valid from...) and
``recorded_at``, when the event was recorded (the envelope's ``occurred_at``). So any "as of" D
(facts whose business date is on or before D) and "known at" K (only rows recorded by K) is
answered by SQL at request time (``shared.readmodels.monitoring.queries``), and a late entry
counts on the day it describes. What an event changes later (a participant leaving, a contract
ending, a certificate expiring) is a second date with its own ``*_recorded_at``, never a delete:
known at K, the row reads as it stood then.

Like every projection here, nothing joins across aggregates while applying (Kafka delivers
different aggregates in any order): a shipment keeps its batch id, and its commodity, the
cooperative it left and the contract it fulfils are joined at request time. Household
references are private: a plot keeps only a one-way key of its household, to count households,
never to name them.

Triggers keep summaries of the busiest facts (:mod:`shared.readmodels.monitoring.summaries`),
read by the figures asked as known now; a figure asked "known at" reads the facts themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import uuid5

import psycopg

from shared.domain.clock import today_in_vietnam
from shared.domain.identifiers import NAMESPACE
from shared.readmodels import facts
from shared.readmodels.events import event_name, is_batch
from shared.readmodels.monitoring import summaries
from shared.readmodels.projection import Projection
from shared.readmodels.upcasting import upcast
from shared.wire.envelope import Envelope

Statement = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Insert:
    """A row for one of the tables written by batch events, most of the log: a rebuild page
    copies them in (COPY), where statements one by one would be most of its time."""

    table: str
    values: tuple[Any, ...]


Write = Statement | Insert
COPIED: dict[str, tuple[str, ...]] = {
    "mon_batches": (
        "id",
        "origin",
        "commodity",
        "holder_id",
        "quantity_kg",
        "plot_ids",
        "value_chain_ids",
        "created_on",
        "recorded_at",
    ),
    "mon_batch_parents": ("child_id", "parent_id"),
    "mon_harvest_plots": ("plot_id", "batch_id", "harvested_on", "recorded_at"),
    "mon_shipments": (
        "position",
        "batch_id",
        "from_id",
        "to_id",
        "shipped_on",
        "quantity_kg",
        "recorded_at",
    ),
    "mon_labels": ("position", "batch_id", "labelled_on", "labels_issued", "recorded_at"),
    "mon_incidents": ("position", "batch_id", "kind", "happened_on", "recorded_at"),
    "mon_timeliness": ("position", "organisation_id", "type", "business_day", "recorded_at"),
}
_SMALL = 64  # fewer rows than this: plain inserts (live traffic); more: COPY (a rebuild's pages)

TABLES = (
    "mon_events",
    "mon_organisations",
    "mon_models",
    "mon_statuses",
    "mon_chains",
    "mon_participation",
    "mon_contracts",
    "mon_batches",
    "mon_batch_parents",
    "mon_harvest_plots",
    "mon_shipments",
    "mon_plots",
    "mon_support",
    "mon_certifications",
    "mon_plot_certifications",
    "mon_labels",
    "mon_incidents",
    "mon_timeliness",
    "mon_timeliness_days",
    "mon_shipment_days",
    "mon_plot_shipment_days",
    "mon_lot_days",
    "mon_label_days",
)

_DDL = [
    *facts.events_table_ddl("mon_events"),
    # Cooperatives and enterprises; a cooperative exists from ``exists_from`` (its founding, or
    # the day it was registered when the founding date is not known).
    """CREATE TABLE IF NOT EXISTS mon_organisations (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    commune text NOT NULL,
    former_district text,
    sector text,
    exists_from date NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    # Model (new/old) and status over time: one row per registration, reclassification and
    # change of status, from the day it took effect (the day recorded, for events without one).
    """CREATE TABLE IF NOT EXISTS mon_models (
    position bigint PRIMARY KEY,
    organisation_id uuid NOT NULL,
    model text NOT NULL,
    since date NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS mon_models_organisation ON mon_models (organisation_id)",
    """CREATE TABLE IF NOT EXISTS mon_statuses (
    position bigint PRIMARY KEY,
    organisation_id uuid NOT NULL,
    status text NOT NULL,
    since date NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS mon_statuses_organisation ON mon_statuses (organisation_id)",
    """CREATE TABLE IF NOT EXISTS mon_chains (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    commodity text NOT NULL,
    lead_organisation_id uuid NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    # One row per joining; leaving dates it (left_on, left_recorded_at).
    """CREATE TABLE IF NOT EXISTS mon_participation (
    position bigint PRIMARY KEY,
    value_chain_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    role text NOT NULL,
    joined_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    left_on date,
    left_recorded_at timestamptz)""",
    """CREATE INDEX IF NOT EXISTS mon_participation_organisation
    ON mon_participation (organisation_id)""",
    """CREATE INDEX IF NOT EXISTS mon_participation_chain
    ON mon_participation (value_chain_id)""",
    """CREATE TABLE IF NOT EXISTS mon_contracts (
    value_chain_id uuid NOT NULL,
    contract_number text NOT NULL,
    parties uuid[] NOT NULL,
    commodity text NOT NULL,
    committed_amount numeric NOT NULL,
    committed_unit text NOT NULL,
    committed_kg numeric,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    ended_on date,
    ended_recorded_at timestamptz,
    PRIMARY KEY (value_chain_id, contract_number))""",
    # Batches as created (harvested or produced): what they are, who held them first.
    """CREATE TABLE IF NOT EXISTS mon_batches (
    id uuid PRIMARY KEY,
    origin text NOT NULL,
    commodity text NOT NULL,
    holder_id uuid,
    quantity_kg numeric,
    plot_ids uuid[] NOT NULL,
    value_chain_ids uuid[] NOT NULL,
    created_on date NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS mon_batch_parents (
    child_id uuid NOT NULL,
    parent_id uuid NOT NULL,
    PRIMARY KEY (child_id, parent_id))""",
    """CREATE TABLE IF NOT EXISTS mon_shipments (
    position bigint PRIMARY KEY,
    batch_id uuid NOT NULL,
    from_id uuid NOT NULL,
    to_id uuid NOT NULL,
    shipped_on date NOT NULL,
    quantity_kg numeric,
    recorded_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS mon_shipments_batch ON mon_shipments (batch_id)",
    "CREATE INDEX IF NOT EXISTS mon_shipments_from ON mon_shipments (from_id, shipped_on)",
    # Which plots each harvest came from: a plot counts from its first harvest.
    """CREATE TABLE IF NOT EXISTS mon_harvest_plots (
    plot_id uuid NOT NULL,
    batch_id uuid NOT NULL,
    harvested_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (plot_id, batch_id))""",
    "CREATE INDEX IF NOT EXISTS mon_harvest_plots_batch ON mon_harvest_plots (batch_id)",
    # Is a plot registered late already harvested by D? One probe, not a walk of its harvests.
    """CREATE INDEX IF NOT EXISTS mon_harvest_plots_day
    ON mon_harvest_plots (plot_id, harvested_on)""",
    # No household reference: only a one-way key of it, to count households.
    """CREATE TABLE IF NOT EXISTS mon_plots (
    id uuid PRIMARY KEY,
    cooperative_id uuid NOT NULL,
    household_key uuid,
    crop text NOT NULL,
    area_ha numeric NOT NULL,
    commune text NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS mon_support (
    position bigint PRIMARY KEY,
    cooperative_id uuid NOT NULL,
    kind text NOT NULL,
    programme text NOT NULL,
    received_on date NOT NULL,
    amount_vnd numeric,
    recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS mon_certifications (
    position bigint PRIMARY KEY,
    organisation_id uuid NOT NULL,
    certificate text NOT NULL,
    scheme text NOT NULL,
    valid_from date NOT NULL,
    valid_until date,
    recorded_at timestamptz NOT NULL,
    expired_on date,
    expired_recorded_at timestamptz)""",
    """CREATE INDEX IF NOT EXISTS mon_certifications_organisation
    ON mon_certifications (organisation_id)""",
    """CREATE TABLE IF NOT EXISTS mon_plot_certifications (
    position bigint PRIMARY KEY,
    plot_id uuid NOT NULL,
    scheme text NOT NULL,
    valid_from date NOT NULL,
    valid_until date,
    recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS mon_labels (
    position bigint PRIMARY KEY,
    batch_id uuid NOT NULL,
    labelled_on date NOT NULL,
    labels_issued integer NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    # Recalls and failed inspections, by the day they happened.
    """CREATE TABLE IF NOT EXISTS mon_incidents (
    position bigint PRIMARY KEY,
    batch_id uuid NOT NULL,
    kind text NOT NULL,
    happened_on date NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    # Every event that says which day it describes and who recorded it: was it recorded within
    # 48 hours of the end of that day?
    """CREATE TABLE IF NOT EXISTS mon_timeliness (
    position bigint PRIMARY KEY,
    organisation_id uuid NOT NULL,
    type text NOT NULL,
    business_day date NOT NULL,
    recorded_at timestamptz NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS mon_timeliness_organisation
    ON mon_timeliness (organisation_id, business_day)""",
    *summaries.DDL,
]


class MonitoringProjection(Projection):
    """Dated facts about cooperatives, chains, contracts, batches and support, for indicators."""

    name: ClassVar[str] = "monitoring"
    version: ClassVar[int] = 2  # 2: the summaries (mon_*_days) kept by triggers, indexes
    tables: ClassVar[tuple[str, ...]] = TABLES
    fact_set = facts.FactSet(events="mon_events", keep_envelope=lambda _: False)

    def ddl(self) -> list[str]:
        return list(_DDL)

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        # Batch events (most of the log) only insert rows keyed by their position or batch, so
        # a replay of one is a no-op by itself: only the others, whose updates a replay would
        # repeat out of turn (a leaving after a re-joining), are recorded to skip replays.
        others = facts.record_new(conn, [e for e in envelopes if not is_batch(e)], self.fact_set)
        batches = {e.position: e for e in envelopes if is_batch(e)}
        new = sorted([*others, *batches.values()], key=lambda e: e.position)
        writes = [w for envelope in new for w in statements_for(envelope)]
        statements = [w for w in writes if not isinstance(w, Insert)]
        inserts: dict[str, list[tuple[Any, ...]]] = {}
        for w in writes:
            if isinstance(w, Insert):
                inserts.setdefault(w.table, []).append(w.values)
        with conn.cursor() as cursor:
            # No statement reads or updates a copied table: the order between them is free.
            for query, rows in _runs(statements):
                if len(rows) == 1:
                    cursor.execute(query, rows[0])
                else:
                    cursor.executemany(query, rows)
            for table, values in inserts.items():
                _insert(cursor, table, values, rebuilding=not materialize)


def _insert(
    cursor: psycopg.Cursor[Any], table: str, rows: list[tuple[Any, ...]], *, rebuilding: bool
) -> None:
    columns = ", ".join(COPIED[table])
    if len(rows) < _SMALL:
        marks = ", ".join(f"%s{_CASTS.get(column, '')}" for column in COPIED[table])
        query = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"
        cursor.executemany(query, rows)
        return
    text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    if rebuilding:
        # A rebuild applies each event once into emptied tables: nothing to conflict with,
        # so the rows go straight in. (Were one there, the page would fail and be applied
        # event by event, through the inserts above.)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(text)
        return
    staging = f"{table}_incoming"
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table}) ON COMMIT DELETE ROWS"
    )
    with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
        copy.write(text)
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {staging} ON CONFLICT DO NOTHING")
    cursor.execute(f"DELETE FROM {staging}")


# Lists of ids are kept as their strings (making UUIDs of them was a tenth of a rebuild), so a
# plain insert says their type.
_CASTS = {"plot_ids": "::uuid[]", "value_chain_ids": "::uuid[]"}
_ESCAPED = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_text(value: Any) -> str:
    """A value in COPY's text format: psycopg's ``write_row`` does the same per value, in
    Python, and was a quarter of a rebuild's time."""
    kind = type(value)
    if kind is str:  # ids mostly: escaped only when there is something to escape
        return value.translate(_ESCAPED) if _SPECIAL.search(value) else value  # type: ignore[no-any-return]
    if value is None:
        return "\\N"
    if kind is list:  # of ids only (see _CASTS): no element needs quoting
        return "{" + ",".join(value) + "}"
    if isinstance(value, date):  # and datetime: ISO 8601 with its offset
        return value.isoformat()
    return str(value)  # int, Decimal


def _runs(statements: list[Statement]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The statements as runs of one text each, for ``executemany`` (pipelined by psycopg): a
    rebuild page of thousands of events is a few round trips, not thousands.

    Inserts of one text are gathered across the page (each writes rows no other statement of
    the page reads); an update runs where it stood, after every insert before it and before
    every one after it (a participant leaving, then joining again, in one page).
    """
    runs: list[tuple[str, list[dict[str, Any]]]] = []
    pending: dict[str, list[dict[str, Any]]] = {}
    for query, params in statements:
        if query.startswith("INSERT"):
            pending.setdefault(query, []).append(params)
            continue
        runs += pending.items()
        pending = {}
        runs.append((query, [params]))
    runs += pending.items()
    return runs


def statements_for(envelope: Envelope) -> list[Write]:
    """What one envelope writes: its facts, and its timeliness row if it says its day."""
    e = upcast(envelope)
    handler = _handler(e)
    statements = handler(e) if handler else []
    timely = _timeliness(e)
    return [*statements, *timely]


# Helpers ------------------------------------------------------------------------------------


def _recorded(e: Envelope) -> datetime:
    return datetime.fromisoformat(e.occurred_at)


def _recorded_day(e: Envelope) -> date:
    return today_in_vietnam(_recorded(e))


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _business_day(at: Any) -> date | None:
    """The day in Vietnam of a business time (``at``)."""
    return today_in_vietnam(datetime.fromisoformat(at)) if at else None


def kilograms(quantity: dict[str, Any] | None) -> Decimal | None:
    """A quantity in kg, or None when it is not a mass (pieces, litres)."""
    if not quantity:
        return None
    per_unit = {"kg": Decimal(1), "t": Decimal(1000)}.get(str(quantity.get("unit")))
    return Decimal(str(quantity["amount"])) * per_unit if per_unit is not None else None


def _base(e: Envelope, **extra: Any) -> dict[str, Any]:
    return {
        "id": e.aggregate_id,
        "position": e.position,
        "recorded_at": _recorded(e),
        "recorded_on": _recorded_day(e),
        **extra,
    }


Handler = Callable[[Envelope], list[Write]]


# Organisations ------------------------------------------------------------------------------


def _cooperative_registered(e: Envelope) -> list[Write]:
    p = e.payload
    params = _base(
        e,
        name=p["name"],
        commune=p["commune"],
        former_district=p.get("former_district"),
        sector=p.get("sector"),
        exists_from=_day(p.get("founded")) or _recorded_day(e),
        model=p.get("model") or "new",
    )
    return [
        (
            "INSERT INTO mon_organisations (id, kind, name, commune, former_district, sector,"
            " exists_from, recorded_at) VALUES (%(id)s, 'cooperative', %(name)s, %(commune)s,"
            " %(former_district)s, %(sector)s, %(exists_from)s, %(recorded_at)s)"
            " ON CONFLICT (id) DO NOTHING",
            params,
        ),
        (
            "INSERT INTO mon_models (position, organisation_id, model, since, recorded_at)"
            " VALUES (%(position)s, %(id)s, %(model)s, %(exists_from)s, %(recorded_at)s)"
            " ON CONFLICT DO NOTHING",
            params,
        ),
    ]


def _enterprise_registered(e: Envelope) -> list[Write]:
    p = e.payload
    return [
        (
            "INSERT INTO mon_organisations (id, kind, name, commune, former_district, sector,"
            " exists_from, recorded_at) VALUES (%(id)s, 'enterprise', %(name)s, %(commune)s,"
            " %(former_district)s, NULL, %(recorded_on)s, %(recorded_at)s)"
            " ON CONFLICT (id) DO NOTHING",
            _base(
                e, name=p["name"], commune=p["commune"], former_district=p.get("former_district")
            ),
        )
    ]


def _reclassified(e: Envelope) -> list[Write]:
    # A reclassification has no business date of its own: it takes effect the day recorded.
    return [
        (
            "INSERT INTO mon_models (position, organisation_id, model, since, recorded_at)"
            " VALUES (%(position)s, %(id)s, %(model)s, %(recorded_on)s, %(recorded_at)s)"
            " ON CONFLICT DO NOTHING",
            _base(e, model=e.payload["model"]),
        )
    ]


def _status_changed(e: Envelope) -> list[Write]:
    return [
        (
            "INSERT INTO mon_statuses (position, organisation_id, status, since, recorded_at)"
            " VALUES (%(position)s, %(id)s, %(status)s, %(recorded_on)s, %(recorded_at)s)"
            " ON CONFLICT DO NOTHING",
            _base(e, status=e.payload["status"]),
        )
    ]


def _support_received(e: Envelope) -> list[Write]:
    p = e.payload
    return [
        (
            "INSERT INTO mon_support (position, cooperative_id, kind, programme, received_on,"
            " amount_vnd, recorded_at) VALUES (%(position)s, %(id)s, %(kind)s, %(programme)s,"
            " %(on)s, %(amount)s::numeric, %(recorded_at)s) ON CONFLICT DO NOTHING",
            _base(
                e,
                kind=p["kind"],
                programme=p["programme"],
                on=_day(p["on"]),
                amount=p.get("amount_vnd"),
            ),
        )
    ]


def _certification_granted(e: Envelope) -> list[Write]:
    p = e.payload
    return [
        (
            "INSERT INTO mon_certifications (position, organisation_id, certificate, scheme,"
            " valid_from, valid_until, recorded_at) VALUES (%(position)s, %(id)s,"
            " %(certificate)s, %(scheme)s, %(valid_from)s, %(valid_until)s, %(recorded_at)s)"
            " ON CONFLICT DO NOTHING",
            _base(
                e,
                certificate=p["certificate"],
                scheme=p["scheme"],
                valid_from=_day(p["valid_from"]),
                valid_until=_day(p.get("valid_until")),
            ),
        )
    ]


def _certification_expired(e: Envelope) -> list[Write]:
    # The latest grant of that certificate still unexpired (a renewal is a new grant).
    return [
        (
            "UPDATE mon_certifications SET expired_on = %(on)s, expired_recorded_at ="
            " %(recorded_at)s WHERE position = (SELECT max(position) FROM mon_certifications"
            " WHERE organisation_id = %(id)s AND certificate = %(certificate)s"
            " AND expired_on IS NULL)",
            _base(e, on=_day(e.payload["on"]), certificate=e.payload["certificate"]),
        )
    ]


# Plots --------------------------------------------------------------------------------------


def household_key(cooperative_id: str, household_ref: str | None) -> str | None:
    """A one-way key of a household (to count them), never its reference."""
    if not household_ref:
        return None
    return str(uuid5(NAMESPACE, f"household:{cooperative_id}:{household_ref}"))


def _plot_registered(e: Envelope) -> list[Write]:
    p = e.payload
    return [
        (
            "INSERT INTO mon_plots (id, cooperative_id, household_key, crop, area_ha, commune,"
            " recorded_at) VALUES (%(id)s, %(cooperative_id)s, %(household)s, %(crop)s,"
            " %(area_ha)s::numeric, %(commune)s, %(recorded_at)s) ON CONFLICT (id) DO NOTHING",
            _base(
                e,
                cooperative_id=p["cooperative_id"],
                # A registered household is counted by its id (random, so it says nothing);
                # a plot of before households were registered, by a key of its plain reference.
                household=p.get("household_id")
                or household_key(p["cooperative_id"], p.get("household_ref")),
                crop=p["crop"],
                area_ha=p["area_ha"],
                commune=p["commune"],
            ),
        )
    ]


def _plot_certified(e: Envelope) -> list[Write]:
    p = e.payload
    return [
        (
            "INSERT INTO mon_plot_certifications (position, plot_id, scheme, valid_from,"
            " valid_until, recorded_at) VALUES (%(position)s, %(id)s, %(scheme)s,"
            " %(valid_from)s, %(valid_until)s, %(recorded_at)s) ON CONFLICT DO NOTHING",
            _base(
                e,
                scheme=p["scheme"],
                valid_from=_day(p["valid_from"]),
                valid_until=_day(p.get("valid_until")),
            ),
        )
    ]


# Value chains -------------------------------------------------------------------------------


def _chain_established(e: Envelope) -> list[Write]:
    p = e.payload
    params = _base(e, name=p["name"], commodity=p["commodity"], lead=p["lead_organisation_id"])
    return [
        (
            "INSERT INTO mon_chains (id, name, commodity, lead_organisation_id, recorded_at)"
            " VALUES (%(id)s, %(name)s, %(commodity)s, %(lead)s, %(recorded_at)s)"
            " ON CONFLICT (id) DO NOTHING",
            params,
        ),
        (
            "INSERT INTO mon_participation (position, value_chain_id, organisation_id, role,"
            " joined_on, recorded_at) VALUES (%(position)s, %(id)s, %(lead)s, 'lead',"
            " %(recorded_on)s, %(recorded_at)s) ON CONFLICT DO NOTHING",
            params,
        ),
    ]


def _participant_joined(e: Envelope) -> list[Write]:
    p = e.payload
    params = _base(
        e, organisation_id=p["organisation_id"], role=p["role"], joined_on=_day(p["joined_on"])
    )
    return [
        (
            "INSERT INTO mon_participation (position, value_chain_id, organisation_id, role,"
            " joined_on, recorded_at) VALUES (%(position)s, %(id)s, %(organisation_id)s,"
            " %(role)s, %(joined_on)s, %(recorded_at)s) ON CONFLICT DO NOTHING",
            params,
        ),
        # Establishing a chain says no business date: its lead takes part from the day it was
        # recorded, or from the earliest day anyone joined it, if earlier (a chain recorded
        # after the fact). Same aggregate, so in order in both modes.
        (
            "UPDATE mon_participation SET joined_on = %(joined_on)s WHERE value_chain_id = %(id)s"
            " AND role = 'lead' AND position < %(position)s AND joined_on > %(joined_on)s",
            params,
        ),
    ]


def _participant_left(e: Envelope) -> list[Write]:
    p = e.payload
    return [
        (
            "UPDATE mon_participation SET left_on = %(left_on)s, left_recorded_at ="
            " %(recorded_at)s WHERE value_chain_id = %(id)s"
            " AND organisation_id = %(organisation_id)s AND left_on IS NULL",
            _base(e, organisation_id=p["organisation_id"], left_on=_day(p["left_on"])),
        )
    ]


def _contract_signed(e: Envelope) -> list[Write]:
    p = e.payload
    volume = p["committed_volume"]
    return [
        (
            "INSERT INTO mon_contracts (value_chain_id, contract_number, parties, commodity,"
            " committed_amount, committed_unit, committed_kg, starts_on, ends_on, recorded_at)"
            " VALUES (%(id)s, %(number)s, %(parties)s::uuid[], %(commodity)s,"
            " %(amount)s::numeric, %(unit)s, %(kg)s, %(starts_on)s, %(ends_on)s,"
            " %(recorded_at)s) ON CONFLICT DO NOTHING",
            _base(
                e,
                number=p["contract_number"],
                parties=p["parties"],
                commodity=p["commodity"],
                amount=volume["amount"],
                unit=volume["unit"],
                kg=kilograms(volume),
                starts_on=_day(p["starts_on"]),
                ends_on=_day(p["ends_on"]),
            ),
        )
    ]


def _contract_ended(e: Envelope) -> list[Write]:
    return [
        (
            "UPDATE mon_contracts SET ended_on = %(on)s, ended_recorded_at = %(recorded_at)s"
            " WHERE value_chain_id = %(id)s AND contract_number = %(number)s",
            _base(e, on=_day(e.payload["on"]), number=e.payload["contract_number"]),
        )
    ]


# Batches ------------------------------------------------------------------------------------


def _uuids(values: Any) -> list[str]:
    return [str(v) for v in values or []]


def _batch_created(e: Envelope) -> list[Write]:
    p = e.payload
    harvested = e.type == "Batch.Harvested"
    created_on = _day(p.get("harvested_on")) if harvested else None
    writes: list[Write] = [
        Insert(
            "mon_batches",
            (
                e.aggregate_id,
                "harvested" if harvested else "produced",
                p["commodity"],
                p.get("holder_id"),
                kilograms(p.get("quantity")),
                _uuids(p.get("plot_ids")),
                _uuids(p.get("value_chain_ids")),
                created_on or _business_day(p.get("at")) or _recorded_day(e),
                _recorded(e),
            ),
        )
    ]
    if harvested:
        for plot in dict.fromkeys(str(plot) for plot in p.get("plot_ids") or []):
            values = (plot, e.aggregate_id, created_on or _recorded_day(e), _recorded(e))
            writes.append(Insert("mon_harvest_plots", values))
    for parent in {str(parent["batch_id"]) for parent in p.get("parents") or []}:
        writes.append(Insert("mon_batch_parents", (e.aggregate_id, parent)))
    return writes


def _shipped(e: Envelope) -> list[Write]:
    p = e.payload
    on = _business_day(p.get("at")) or _recorded_day(e)
    values = (e.position, e.aggregate_id, p["by"], p["to"], on, kilograms(p.get("quantity")))
    return [Insert("mon_shipments", (*values, _recorded(e)))]


def _labelled(e: Envelope) -> list[Write]:
    p = e.payload
    on = _business_day(p.get("at")) or _recorded_day(e)
    issued = int(p.get("labels_issued") or 0)
    return [Insert("mon_labels", (e.position, e.aggregate_id, on, issued, _recorded(e)))]


def _incident(kind: str) -> Handler:
    def handler(e: Envelope) -> list[Write]:
        if kind == "failed_inspection" and e.payload.get("result") != "fail":
            return []
        on = _business_day(e.payload.get("at")) or _recorded_day(e)
        return [Insert("mon_incidents", (e.position, e.aggregate_id, kind, on, _recorded(e)))]

    return handler


# Timeliness ---------------------------------------------------------------------------------


def _timeliness(e: Envelope) -> list[Write]:
    """Events that say which day they describe and which organisation recorded them."""
    p = e.payload
    kind = e.aggregate_type
    day: date | None = None
    organisation: Any = None
    if kind == "Batch":
        organisation = p.get("by") or p.get("holder_id")
        day = _day(p.get("harvested_on")) or _business_day(p.get("at"))
    elif e.type == "Cooperative.SupportReceived":
        organisation, day = e.aggregate_id, _day(p.get("on"))
    elif e.type in ("ValueChain.ParticipantJoined", "ValueChain.ParticipantLeft"):
        organisation = p.get("organisation_id")
        day = _day(p.get("joined_on") or p.get("left_on"))
    if organisation is None or day is None:
        return []
    return [Insert("mon_timeliness", (e.position, organisation, e.type, day, _recorded(e)))]


_ORGANISATION_HANDLERS: dict[str, Handler] = {
    "CertificationGranted": _certification_granted,
    "CertificationExpired": _certification_expired,
}

_HANDLERS: dict[str, Handler] = {
    "Cooperative.Registered": _cooperative_registered,
    "Cooperative.Reclassified": _reclassified,
    "Cooperative.StatusChanged": _status_changed,
    "Cooperative.SupportReceived": _support_received,
    "Enterprise.Registered": _enterprise_registered,
    "Enterprise.StatusChanged": _status_changed,
    "Plot.Registered": _plot_registered,
    "Plot.Certified": _plot_certified,
    "ValueChain.Established": _chain_established,
    "ValueChain.ParticipantJoined": _participant_joined,
    "ValueChain.ParticipantLeft": _participant_left,
    "ValueChain.LinkageContractSigned": _contract_signed,
    "ValueChain.LinkageContractEnded": _contract_ended,
    "Batch.Harvested": _batch_created,
    "Batch.Produced": _batch_created,
    "Batch.Shipped": _shipped,
    "Batch.Labelled": _labelled,
    "Batch.Recalled": _incident("recall"),
    "Batch.Inspected": _incident("failed_inspection"),
}


def _handler(e: Envelope) -> Handler | None:
    if e.aggregate_type in facts.ORGANISATION_KINDS:
        found = _ORGANISATION_HANDLERS.get(event_name(e.type))
        if found is not None:
            return found
    return _HANDLERS.get(e.type)
