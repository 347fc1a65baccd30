"""Reading the EPCIS read model (:mod:`shared.epcis.tables`): the query interface's SQL.

A query's filters become one parameterised statement over ``rm_epcis_events``, ordered by
``(event_time, event_id)`` and paged by keyset (the last row's pair), never by OFFSET: a page
deep in the history costs what the first one does, and rows added meanwhile move no page.

Who sees what is a :class:`Sight`: staff see everything; an organisation the events of the
batches it holds or held and of their ancestors, which the projection keeps for it in
``rm_epcis_visible`` (:mod:`shared.readmodels.units.epcis_sight`), in the served order: its
page walks that table's index from its keyset and joins each row to its event, so it costs
what the province's does however much the organisation handled. It may read a quantity only
of a batch it held: each row pairs its epcClasses with the batches they name
(``lot_batches``, ``lot_classes``), and a page says, per event, which of its classes name a
batch the caller held (``rm_epcis_holders``); the service strips the others' quantities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.rows import dict_row

from shared.epcis.tables import EVENTS, HOLDERS, ISSUED, VISIBLE
from shared.readmodels.tracking import Connect, session


@dataclass(frozen=True)
class Sight:
    """What one caller may read: everything, what one organisation reads, or nothing."""

    everything: bool = False
    organisation_id: UUID | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.organisation_id is None


NOTHING = Sight()


@dataclass(frozen=True)
class EventQuery:
    """The standard query's filters this interface supports; an empty tuple filters nothing."""

    event_types: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()  # bare CBV words, as stored
    dispositions: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    epcs: tuple[str, ...] = ()  # MATCH_epc
    any_epcs: tuple[str, ...] = ()  # MATCH_anyEPC: also parentID
    epc_classes: tuple[str, ...] = ()  # MATCH_epcClass
    mentions: tuple[str, ...] = ()  # /epcs/{epc}/events: an EPC, parentID or epcClass
    event_ids: tuple[str, ...] = ()
    error_declared: bool = False  # EXISTS_errorDeclaration: only events with a declaration
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    lt_record_time: datetime | None = None


@dataclass(frozen=True)
class Keyset:
    """Where a page starts: after this row of the order ``(event_time, event_id)``."""

    event_time: datetime
    event_id: str


@dataclass(frozen=True)
class Page:
    documents: list[dict[str, Any]]
    next_after: Keyset | None  # None: this was the last page
    # For each document, the epcClasses whose quantities the caller may read (those naming a
    # batch it held); None: all of them (staff).
    readable: list[frozenset[str] | None] = field(default_factory=list)


# (column, EventQuery field): the "any of these values" filters.
_EQUALS = (
    ("event_type", "event_types"),
    ("action", "actions"),
    ("biz_step", "biz_steps"),
    ("disposition", "dispositions"),
    ("biz_location", "biz_locations"),
    ("read_point", "read_points"),
    ("event_id", "event_ids"),
)
_TIMES = (
    ("event_time", ">=", "ge_event_time"),
    ("event_time", "<", "lt_event_time"),
    ("record_time", ">=", "ge_record_time"),
    ("record_time", "<", "lt_record_time"),
)
# The collections of the top-level resources, each as one expression over the events table.
COLLECTIONS = {
    "eventTypes": "e.event_type",
    "bizSteps": "e.biz_step",
    "bizLocations": "e.biz_location",
    "readPoints": "e.read_point",
    "dispositions": "e.disposition",
    "epcs": "unnest(e.epcs || e.epc_classes)",
}
# The columns an organisation's rows of rm_epcis_visible carry: filtered and ordered there,
# so PostgreSQL walks that table's indexes in the served order.
_VISIBLE_COLUMNS = frozenset({"event_time", "event_id", "biz_step"})


def _source(sight: Sight) -> tuple[str, dict[str, Any]]:
    """The FROM of a statement: every event (``e``), or an organisation's rows (``v``) joined
    to theirs."""
    if sight.everything:
        return f"{EVENTS} e", {}
    return (
        f"{VISIBLE} v JOIN {EVENTS} e ON e.event_id = v.event_id"
        " AND v.organisation_id = %(organisation)s",
        {"organisation": sight.organisation_id},
    )


def _where(query: EventQuery, sight: Sight) -> tuple[list[str], dict[str, Any]]:
    def col(name: str) -> str:
        return f"v.{name}" if not sight.everything and name in _VISIBLE_COLUMNS else f"e.{name}"

    clauses: list[str] = []
    params: dict[str, Any] = {}
    for column, name in _EQUALS:
        values = getattr(query, name)
        if len(values) == 1:
            # "= value", not "= ANY(array)": only then does PostgreSQL walk an index on
            # (column, event_time, event_id) in the served order, rather than the time index
            # filtering a whole store's history for one step.
            clauses.append(f"{col(column)} = %({name})s")
            params[name] = values[0]
        elif values:
            clauses.append(f"{col(column)} = ANY(%({name})s::text[])")
            params[name] = list(values)
    for column, operator, name in _TIMES:
        value = getattr(query, name)
        if value is not None:
            clauses.append(f"{col(column)} {operator} %({name})s")
            params[name] = value
    if query.error_declared:
        clauses.append("e.document ? 'errorDeclaration'")
    if query.epcs:
        clauses.append("e.epcs && %(epcs)s::text[]")
        params["epcs"] = list(query.epcs)
    if query.any_epcs:
        clauses.append(
            "(e.epcs && %(any_epcs)s::text[] OR e.parent_id = ANY(%(any_epcs)s::text[]))"
        )
        params["any_epcs"] = list(query.any_epcs)
    if query.epc_classes:
        clauses.append("e.epc_classes && %(epc_classes)s::text[]")
        params["epc_classes"] = list(query.epc_classes)
    if query.mentions:
        clauses.append(
            "(e.epcs && %(mentions)s::text[] OR e.parent_id = ANY(%(mentions)s::text[])"
            " OR e.epc_classes && %(mentions)s::text[])"
        )
        params["mentions"] = list(query.mentions)
    return clauses, params


def events_statement(
    query: EventQuery, sight: Sight, after: Keyset | None, limit: int
) -> tuple[str, dict[str, Any]]:
    """The one statement of a page: ``limit + 1`` rows tell whether another page follows."""
    source, params = _source(sight)
    clauses, filters = _where(query, sight)
    params |= filters
    order = "e" if sight.everything else "v"
    if after is not None:
        # A row comparison, so PostgreSQL walks the (event_time, event_id) index from there.
        clauses.append(f"({order}.event_time, {order}.event_id) > (%(after_time)s, %(after_id)s)")
        params |= {"after_time": after.event_time, "after_id": after.event_id}
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    params["limit"] = limit + 1
    readable = "NULL"
    if not sight.everything:
        readable = (
            "ARRAY(SELECT c FROM unnest(e.lot_batches, e.lot_classes) AS l(b, c)"
            f" WHERE EXISTS (SELECT 1 FROM {HOLDERS} h"
            " WHERE h.batch_id = l.b AND h.organisation_id = %(organisation)s))"
        )
    sql = (
        f"SELECT e.event_id, e.event_time, e.document, {readable} AS readable"
        f" FROM {source}{where}"
        f" ORDER BY {order}.event_time, {order}.event_id LIMIT %(limit)s"
    )
    return sql, params


class EpcisReader:
    """The query interface's reads, each one statement on its own connection.

    Connections come through ``session``: the platform's pool hands out dict rows, and these
    reads index theirs by position."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def page(self, query: EventQuery, sight: Sight, after: Keyset | None, limit: int) -> Page:
        if sight.nothing:
            return Page([], None)
        sql, params = events_statement(query, sight, after, limit)
        with session(self._connect) as conn:
            rows = conn.cursor(row_factory=dict_row).execute(sql, params).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        last = Keyset(rows[-1]["event_time"], rows[-1]["event_id"]) if more else None
        readable = [None if r["readable"] is None else frozenset(r["readable"]) for r in rows]
        return Page([row["document"] for row in rows], last, readable)

    def current_id(self, event_id: str) -> str | None:
        """The id an event is served under now, if ``event_id`` was one of its earlier ids."""
        with session(self._connect) as conn:
            row = conn.cursor().execute(_CURRENT_ID, (event_id,)).fetchone()
        return None if row is None else str(row[0])

    def collection(self, name: str, sight: Sight) -> list[str]:
        """The distinct values of one top-level resource among the events the caller sees."""
        if sight.nothing:
            return []
        source, params = _source(sight)
        sql = (
            f"SELECT DISTINCT value FROM (SELECT {COLLECTIONS[name]} AS value"
            f" FROM {source}) AS found WHERE value IS NOT NULL ORDER BY value"
        )
        with session(self._connect) as conn:
            return [str(row[0]) for row in conn.cursor().execute(sql, params)]


# The domain event (and place among its EPCIS events) an id was given to, and its id now.
_CURRENT_ID = f"""SELECT e.event_id FROM {ISSUED} i
JOIN {EVENTS} e ON e.source_event_id = i.source_event_id AND e.seq = i.seq
WHERE i.event_id = %s AND e.event_id <> i.event_id"""
