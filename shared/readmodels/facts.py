"""Normalized facts: what each event says, stored so documents can be recomputed from them.

``record_new`` inserts every envelope into the projection's events table keyed by position and
keeps only those that were not there yet: a duplicate delivery is a no-op from here on.
``store_facts`` then writes organisations, plots, chains and lineage edges, each into the table
the projection keeps for it (:class:`FactSet`). Events of one aggregate arrive in order (Kafka
partitions are keyed by aggregate id; the notification log is ordered), so the updates
below may assume their aggregate's earlier events were applied; events of different aggregates
may come in any order, and nothing here joins across aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from shared.domain.clock import today_in_vietnam
from shared.readmodels.events import canonical_json, event_name, is_batch
from shared.readmodels.lineage import edges_from_produced
from shared.readmodels.upcasting import upcast
from shared.wire.envelope import Envelope

Statement = tuple[str, dict[str, Any]]
Handler = Callable[[Envelope], list[Statement]]
ORGANISATION_KINDS = frozenset({"Organisation", "Cooperative", "Enterprise"})
_LINEAGE_COLUMNS = (
    "parent_id, child_id, transformation_id, parent_code, child_code, amount, unit, position"
)


@dataclass(frozen=True)
class FactSet:
    """The facts one projection keeps: its table for each kind of fact, and its events table.

    ``tables`` maps a kind (``organisations``, ``plots``, ``chains``...) to the projection's own
    table; events whose handler writes a kind the projection does not keep are ignored by it.
    ``events`` is where it records every envelope it applied (a replay finds its row and is a
    no-op); ``keep_envelope`` says whose canonical JSON it stores; ``lineage`` its edge table.
    """

    events: str
    tables: Mapping[str, str] = field(default_factory=dict)
    lineage: str | None = None
    keep_envelope: Callable[[Envelope], bool] = is_batch


def record_new(
    conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], facts: FactSet
) -> list[Envelope]:
    """Stores the envelopes not seen before; returns those, in position order."""
    unique = {e.position: e for e in envelopes}
    ordered = [unique[p] for p in sorted(unique)]
    if not ordered:
        return []
    rows = [
        (
            e.position,
            e.event_id,
            e.type,
            e.aggregate_id,
            e.aggregate_version,
            canonical_json(e) if facts.keep_envelope(e) else None,
        )
        for e in ordered
    ]
    with conn.cursor() as cursor:
        if len(rows) <= _SMALL:
            # Live traffic: one statement, arrays bound as parameters.
            found = cursor.execute(
                f"INSERT INTO {facts.events} SELECT * FROM unnest(%s::bigint[], %s::uuid[],"
                " %s::text[], %s::uuid[], %s::integer[], %s::text[])"
                " ON CONFLICT DO NOTHING RETURNING position",
                [list(column) for column in zip(*rows, strict=True)],
            ).fetchall()
        else:
            # A rebuild's pages: COPY through a temporary table, as binding thousands of
            # envelopes as array parameters costs more than everything else done with them.
            found = _copy_insert(cursor, facts.events, _EVENT_COLUMNS, rows, " RETURNING position")
    inserted = {int(row[0]) for row in found}
    return [e for e in ordered if e.position in inserted]


_SMALL = 64
_EVENT_COLUMNS = "position, event_id, type, aggregate_id, aggregate_version, envelope"


def _copy_insert(
    cursor: psycopg.Cursor[Any],
    table: str,
    columns: str,
    rows: Sequence[tuple[Any, ...]],
    returning: str = "",
) -> list[tuple[Any, ...]]:
    """Inserts rows new to ``table`` through a temporary table filled by COPY."""
    staging = f"{table}_incoming"
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table}) ON COMMIT DELETE ROWS"
    )
    with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {staging} ON CONFLICT DO NOTHING{returning}")
    found = cursor.fetchall() if returning else []
    cursor.execute(f"DELETE FROM {staging}")
    return found


def events_table_ddl(table: str) -> list[str]:
    """An events table: by position, with the batch envelopes' canonical JSON."""
    return [
        f"""CREATE TABLE IF NOT EXISTS {table} (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        aggregate_id uuid NOT NULL,
        aggregate_version integer NOT NULL,
        envelope text)""",
        f"""CREATE INDEX IF NOT EXISTS {table}_batch
        ON {table} (aggregate_id, aggregate_version) WHERE envelope IS NOT NULL""",
    ]


def store_facts(
    conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], facts: FactSet
) -> None:
    """Writes the normalized facts of new envelopes (in position order)."""
    lineage: list[tuple[Any, ...]] = []
    statements: list[Statement] = []
    for envelope in envelopes:
        if envelope.type == "Batch.Produced" and facts.lineage:
            lineage += edges_from_produced(
                envelope.aggregate_id, envelope.payload, envelope.position
            )
        handler = _handler(envelope)
        if handler is not None:
            statements += _kept(handler(envelope), facts.tables)
    with conn.cursor() as cursor:
        if lineage and facts.lineage:
            _store_edges(cursor, lineage, facts.lineage)
        if statements:
            with conn.pipeline():
                for query, params in statements:
                    cursor.execute(query, params)


def _store_edges(cursor: psycopg.Cursor[Any], rows: list[tuple[Any, ...]], table: str) -> None:
    if len(rows) > _SMALL:
        _copy_insert(cursor, table, _LINEAGE_COLUMNS, rows)
        return
    cursor.execute(
        f"INSERT INTO {table} ({_LINEAGE_COLUMNS}) SELECT * FROM unnest(%s::uuid[], %s::uuid[],"
        " %s::uuid[], %s::text[], %s::text[], %s::numeric[], %s::text[], %s::bigint[])"
        " ON CONFLICT DO NOTHING",
        [list(column) for column in zip(*rows, strict=True)],
    )


def _kept(statements: list[Statement], tables: Mapping[str, str]) -> list[Statement]:
    """The statements whose tables the projection keeps, with its table names filled in."""
    kept = []
    for query, params in statements:
        try:
            kept.append((query.format_map(tables), params))
        except KeyError:
            continue  # a kind of fact this projection does not keep
    return kept


def _handler(envelope: Envelope) -> Handler | None:
    kind = envelope.aggregate_type
    name = event_name(envelope.type)
    if kind in ORGANISATION_KINDS and name in _ORGANISATION_HANDLERS:
        return _ORGANISATION_HANDLERS[name]
    return _HANDLERS.get(envelope.type)


def _params(envelope: Envelope, **extra: Any) -> dict[str, Any]:
    return {**envelope.payload, "id": envelope.aggregate_id, "position": envelope.position, **extra}


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _cooperative_registered(e: Envelope) -> list[Statement]:
    return [
        (
            "INSERT INTO {organisations} (id, kind, name, registration_number, commune,"
            " former_district, province, sector, founded, members_count, model)"
            " VALUES (%(id)s, 'cooperative', %(name)s, %(registration_number)s, %(commune)s,"
            " %(former_district)s, %(province)s, %(sector)s, %(founded)s, %(members_count)s,"
            " %(model)s) ON CONFLICT (id) DO NOTHING",
            _params(e, founded=_day(e.payload.get("founded"))),
        )
    ]


def _enterprise_registered(e: Envelope) -> list[Statement]:
    return [
        (
            "INSERT INTO {organisations} (id, kind, name, tax_code, address, commune,"
            " former_district, province) VALUES (%(id)s, 'enterprise', %(name)s, %(tax_code)s,"
            " %(address)s, %(commune)s, %(former_district)s, %(province)s)"
            " ON CONFLICT (id) DO NOTHING",
            _params(e),
        )
    ]


def _set_column(column: str, field: str) -> Handler:
    def handler(e: Envelope) -> list[Statement]:
        query = f"UPDATE {{organisations}} SET {column} = %(value)s WHERE id = %(id)s"
        return [(query, _params(e, value=e.payload[field]))]

    return handler


def _support_received(e: Envelope) -> list[Statement]:
    return [
        (
            "INSERT INTO {support} (position, cooperative_id, kind, received_on,"
            " programme, amount_vnd) VALUES (%(position)s, %(id)s, %(kind)s, %(received_on)s,"
            " %(programme)s, %(amount_vnd)s::numeric) ON CONFLICT DO NOTHING",
            _params(e, received_on=_day(e.payload["on"])),
        )
    ]


def _certification_granted(e: Envelope) -> list[Statement]:
    p = e.payload
    return [
        (
            "INSERT INTO {org_certifications} (organisation_id, certificate, scheme, valid_from,"
            " valid_until, stars) VALUES (%(id)s, %(certificate)s, %(scheme)s, %(valid_from)s,"
            " %(valid_until)s, %(stars)s) ON CONFLICT (organisation_id, certificate) DO UPDATE"
            " SET scheme = excluded.scheme, valid_from = excluded.valid_from,"
            " valid_until = excluded.valid_until, stars = excluded.stars, expired_on = NULL",
            _params(e, valid_from=_day(p["valid_from"]), valid_until=_day(p.get("valid_until"))),
        )
    ]


def _certification_expired(e: Envelope) -> list[Statement]:
    return [
        (
            "UPDATE {org_certifications} SET expired_on = %(expired_on)s"
            " WHERE organisation_id = %(id)s AND certificate = %(certificate)s",
            _params(e, expired_on=_day(e.payload["on"])),
        )
    ]


def _plot_registered(e: Envelope) -> list[Statement]:
    # The household reference is deliberately not copied: it is private to the cooperative.
    return [
        (
            "INSERT INTO {plots} (id, cooperative_id, crop, area_ha, commune, location,"
            " planting_area_code) VALUES (%(id)s, %(cooperative_id)s, %(crop)s,"
            " %(area_ha)s::numeric, %(commune)s, %(location)s, %(planting_area_code)s)"
            " ON CONFLICT (id) DO NOTHING",
            _params(e, location=Jsonb(e.payload["location"])),
        )
    ]


def _plot_certified(e: Envelope) -> list[Statement]:
    p = e.payload
    return [
        (
            "INSERT INTO {plot_certifications} (position, plot_id, scheme, certificate,"
            " valid_from, valid_until) VALUES (%(position)s, %(id)s, %(scheme)s, %(certificate)s,"
            " %(valid_from)s, %(valid_until)s) ON CONFLICT DO NOTHING",
            _params(e, valid_from=_day(p["valid_from"]), valid_until=_day(p.get("valid_until"))),
        )
    ]


def _diary_entry_recorded(e: Envelope) -> list[Statement]:
    # Only sprayings are facts a buyer sees (the last one, and whether its interval was
    # respected); the household that did it is private and deliberately not copied.
    p = e.payload
    if p["activity"] != "spraying":
        return []
    details = p["details"]
    return [
        (
            "INSERT INTO {plot_sprayings} (position, plot_id, sprayed_on, product,"
            " active_ingredient, pre_harvest_days) VALUES (%(position)s, %(id)s, %(on)s,"
            " %(product)s, %(active_ingredient)s, %(days)s) ON CONFLICT DO NOTHING",
            {
                "position": e.position,
                "id": e.aggregate_id,
                "on": _day(p["on"]),
                "product": details["product"],
                "active_ingredient": details["active_ingredient"],
                "days": int(details["pre_harvest_days"]),
            },
        )
    ]


def _chain_established(e: Envelope) -> list[Statement]:
    params = _params(e)
    return [
        (
            "INSERT INTO {chains} (id, name, commodity, lead_organisation_id)"
            " VALUES (%(id)s, %(name)s, %(commodity)s, %(lead_organisation_id)s)"
            " ON CONFLICT (id) DO NOTHING",
            params,
        ),
        (
            # The lead takes part from the day the chain was recorded (Established has no
            # business date of its own).
            "INSERT INTO {participants} (value_chain_id, organisation_id, role, position,"
            " joined_on) VALUES (%(id)s, %(lead_organisation_id)s, 'lead', %(position)s,"
            " %(recorded_on)s) ON CONFLICT DO NOTHING",
            {**params, "recorded_on": recorded_on(e)},
        ),
    ]


def recorded_on(e: Envelope) -> date:
    """The day the event was recorded, in Vietnam."""
    return today_in_vietnam(datetime.fromisoformat(e.occurred_at))


def _participant_joined(e: Envelope) -> list[Statement]:
    e = upcast(e)
    return [
        (
            "INSERT INTO {participants} (value_chain_id, organisation_id, role, position,"
            " joined_on) VALUES (%(id)s, %(organisation_id)s, %(role)s, %(position)s,"
            " %(joined_on)s) ON CONFLICT DO NOTHING",
            _params(e, joined_on=_day(e.payload["joined_on"])),
        )
    ]


def _participant_left(e: Envelope) -> list[Statement]:
    # Leaving dates every role the organisation holds in the chain (the domain drops them all).
    e = upcast(e)
    return [
        (
            "UPDATE {participants} SET left_on = %(left_on)s, left_reason = %(reason)s"
            " WHERE value_chain_id = %(id)s AND organisation_id = %(organisation_id)s"
            " AND left_on IS NULL",
            _params(e, left_on=_day(e.payload["left_on"])),
        )
    ]


def _contract_signed(e: Envelope) -> list[Statement]:
    p = e.payload
    return [
        (
            "INSERT INTO {contracts} (value_chain_id, contract_number, parties, commodity,"
            " committed_amount, committed_unit, starts_on, ends_on) VALUES (%(id)s,"
            " %(contract_number)s, %(parties)s::uuid[], %(commodity)s, %(amount)s::numeric,"
            " %(unit)s, %(starts)s, %(ends)s) ON CONFLICT DO NOTHING",
            _params(
                e,
                amount=p["committed_volume"]["amount"],
                unit=p["committed_volume"]["unit"],
                starts=_day(p["starts_on"]),
                ends=_day(p["ends_on"]),
            ),
        )
    ]


def _contract_ended(e: Envelope) -> list[Statement]:
    return [
        (
            "UPDATE {contracts} SET ended_on = %(ended_on)s"
            " WHERE value_chain_id = %(id)s AND contract_number = %(contract_number)s",
            _params(e, ended_on=_day(e.payload["on"])),
        )
    ]


def _gln_registered(e: Envelope) -> list[Statement]:
    """A GLN an organisation registered, for itself (plot_id NULL) or one of its plots."""
    return [
        (
            "INSERT INTO {glns} (gln, owner_id, plot_id, position)"
            " VALUES (%(gln)s, %(owner_id)s, %(plot_id)s, %(position)s)"
            " ON CONFLICT (gln) DO NOTHING",
            _params(e, plot_id=e.payload.get("plot_id")),
        )
    ]


def _product_described(e: Envelope) -> list[Statement]:
    """A GTIN's product details (GtinProduct.Described/Redescribed): the latest wins."""
    query = (
        "INSERT INTO {products}"
        " (id, gtin, owner_id, name_vi, name_en, brand, shelf_life_days, photo)"
        " VALUES (%(id)s, %(gtin)s, %(owner_id)s, %(name_vi)s, %(name_en)s, %(brand)s,"
        " %(shelf_life_days)s, %(photo)s)"
        " ON CONFLICT (id) DO UPDATE SET name_vi = excluded.name_vi,"
        " name_en = excluded.name_en, brand = excluded.brand,"
        " shelf_life_days = excluded.shelf_life_days, photo = excluded.photo"
    )
    # Redescribed does not repeat the GTIN: the row Described made keeps its own.
    extra = {"gtin": e.payload.get("gtin14", ""), "owner_id": e.payload.get("owner_id")}
    return [(query, _params(e, **extra))]


_ORGANISATION_HANDLERS: dict[str, Handler] = {
    "CertificationGranted": _certification_granted,
    "CertificationExpired": _certification_expired,
    "PublicationChanged": _set_column("publish_quantities", "publish_quantities"),
}

_HANDLERS: dict[str, Handler] = {
    "Cooperative.Registered": _cooperative_registered,
    "Cooperative.Reclassified": _set_column("model", "model"),
    "Cooperative.StatusChanged": _set_column("status", "status"),
    "Cooperative.ProfileVisibilityChanged": _set_column("show_profile", "show_profile"),
    "Cooperative.SupportReceived": _support_received,
    "Enterprise.Registered": _enterprise_registered,
    "Enterprise.StatusChanged": _set_column("status", "status"),
    "Plot.Registered": _plot_registered,
    "Plot.Certified": _plot_certified,
    "Plot.DiaryEntryRecorded": _diary_entry_recorded,
    "ValueChain.Established": _chain_established,
    "ValueChain.ParticipantJoined": _participant_joined,
    "ValueChain.ParticipantLeft": _participant_left,
    "ValueChain.LinkageContractSigned": _contract_signed,
    "ValueChain.LinkageContractEnded": _contract_ended,
    "Gln.Registered": _gln_registered,
    "GtinProduct.Described": _product_described,
    "GtinProduct.Redescribed": _product_described,
}
