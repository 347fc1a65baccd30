"""What the cooperative app shows an organisation of its lots: what it holds, what is on its
way to it, what it shipped, one lot's page with its trace one step back and forward, and the
pick lists its forms offer (its plots, its partners in value chains).

A reader, not a projection: it reads the catalogue's rows (``rm_batches``) and events
(``rm_catalogue_events``, for who shipped to whom), the lineage edges (``rm_lineage``) and the
registry's plots, chains and organisations. Who may read what (ARCHITECTURE.md): an
organisation sees a lot it holds, held, shipped, or is the addressee of; any other lot is
``None`` here, as if it did not exist.

It runs a little over 300 lines because the views, the lot's page and the pick lists share one
rule of who sees which lot (``_SOURCES``, ``_concerns``): split, that rule would be in two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from shared.readmodels.events import BatchEvent
from shared.readmodels.lineage import trace_back, trace_forward
from shared.readmodels.tracking import Connect, session

PAGE_SIZE = 20
PICK_LIMIT = 200  # a pick list longer than this is a search, not a list
VIEWS = ("held", "coming", "shipped")

_LOT = (
    "b.batch_id, b.code, b.commodity, b.variety, b.quantity, b.unit, b.status, b.recalled,"
    " s.counterpart, o.name"
)
# The latest shipment of each batch: who sent it, to whom (the payload's ``by`` and ``to``).
_LAST_SHIPMENT = """LEFT JOIN LATERAL (
    SELECT (e.envelope::jsonb) -> 'payload' ->> 'by' AS shipper,
           (e.envelope::jsonb) -> 'payload' ->> 'to' AS addressee,
           (e.envelope::jsonb) -> 'payload' ->> {side} AS counterpart
    FROM rm_catalogue_events e
    WHERE e.aggregate_id = b.batch_id AND e.type = 'Batch.Shipped' {mine}
    ORDER BY e.position DESC LIMIT 1) s ON true
    LEFT JOIN rm_directory_organisations o ON o.id::text = s.counterpart"""
_SOURCES = {
    # What I hold: active, mine. (Finished lots — sold, consumed, depleted — are not "held".)
    "held": (
        _LAST_SHIPMENT.format(side="'by'", mine=""),
        "b.holder_id = %(org)s AND b.status = 'active'",
    ),
    # On its way to me: in transit, its latest shipment addressed to me.
    "coming": (
        _LAST_SHIPMENT.format(side="'by'", mine=""),
        "b.status = 'in_transit' AND s.addressee = %(org)s::text",
    ),
    # What I shipped: my latest shipment of it, whoever holds it now.
    "shipped": (
        _LAST_SHIPMENT.format(
            side="'to'", mine="AND (e.envelope::jsonb) -> 'payload' ->> 'by' = %(org)s::text"
        ),
        # From the shipments (an index on their shipper), not from every batch.
        "b.batch_id IN (SELECT x.aggregate_id FROM rm_catalogue_events x"
        " WHERE x.type = 'Batch.Shipped'"
        " AND (x.envelope::jsonb) -> 'payload' ->> 'by' = %(org)s::text)",
    ),
}
# The catalogue's events table has a GIN index on exactly this expression.
_HARVESTED_FROM = """EXISTS (SELECT 1 FROM rm_catalogue_events h
    WHERE h.aggregate_id = b.batch_id AND h.type = 'Batch.Harvested'
    AND ((h.envelope::jsonb) -> 'payload' -> 'plot_ids') ?| %(plots)s::text[])"""


@dataclass(frozen=True)
class LotLine:
    batch_id: str
    code: str
    commodity: str
    variety: str | None
    amount: Decimal
    unit: str
    status: str
    recalled: bool
    counterpart_id: str | None  # held/coming: who shipped it; shipped: to whom
    counterpart_name: str | None


@dataclass(frozen=True)
class LotList:
    view: str
    items: list[LotLine]
    page: int
    more: bool


@dataclass(frozen=True)
class PlotChoice:
    plot_id: str
    crop: str
    commune: str
    planting_area_code: str | None
    area_ha: Decimal


@dataclass(frozen=True)
class Partner:
    organisation_id: str
    name: str


@dataclass(frozen=True)
class ChainChoice:
    """A value chain I take part in now: what a harvest may name (``value_chain_id``)."""

    value_chain_id: str
    name: str
    commodity: str


@dataclass(frozen=True)
class Step:
    """One step of a trace: the lot on the other side and what passed between them."""

    code: str
    amount: Decimal
    unit: str


@dataclass(frozen=True)
class LotEvent:
    name: str  # Harvested, Processed, Shipped, ...
    at: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class LotDetail:
    line: LotLine
    holder_id: str | None
    holder_name: str | None
    gtin: str | None
    lot: str | None
    events: list[LotEvent]
    plots: list[PlotChoice]  # where it was harvested (one step back, for a harvest)
    inputs: list[Step]  # one step back: the lots it was made from
    outputs: list[Step]  # one step forward: the lots made from it
    shipments: list[Partner]  # one step forward: to whom it was shipped, latest last
    in_transit_to: str | None

    def held_by(self, organisation_id: UUID) -> bool:
        return self.holder_id == str(organisation_id) and self.line.status == "active"

    def coming_to(self, organisation_id: UUID) -> bool:
        return self.line.status == "in_transit" and self.in_transit_to == str(organisation_id)


class MyLots:
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def lots(
        self,
        organisation_id: UUID,
        view: str,
        search: str = "",
        page: int = 1,
        plot_ids: list[str] | None = None,
    ) -> LotList:
        """One page of a view (``held``, ``coming``, ``shipped``), newest first; with
        ``plot_ids`` (a member household's), only the harvests from those plots."""
        join, condition = _SOURCES[view]
        params: dict[str, Any] = {"org": organisation_id, "limit": PAGE_SIZE + 1}
        if plot_ids is not None:
            condition += f" AND {_HARVESTED_FROM}"
            params["plots"] = plot_ids
        params["offset"] = (max(page, 1) - 1) * PAGE_SIZE
        if search.strip():
            condition += " AND b.code LIKE %(q)s"
            params["q"] = f"%{search.strip().upper()}%"
        query = (
            f"SELECT {_LOT} FROM rm_batches b {join} WHERE {condition}"
            " ORDER BY b.last_position DESC, b.code DESC LIMIT %(limit)s OFFSET %(offset)s"
        )
        with session(self._connect) as conn:
            rows = conn.execute(query, params).fetchall()
        items = [_line(row) for row in rows[:PAGE_SIZE]]
        return LotList(view, items, max(page, 1), more=len(rows) > PAGE_SIZE)

    def picks(self, organisation_id: UUID, view: str) -> list[LotLine]:
        """A form's pick list: the lots of a view, not recalled, newest first."""
        join, condition = _SOURCES[view]
        query = (
            f"SELECT {_LOT} FROM rm_batches b {join} WHERE {condition} AND NOT b.recalled"
            " ORDER BY b.last_position DESC, b.code DESC LIMIT %(limit)s"
        )
        with session(self._connect) as conn:
            rows = conn.execute(query, {"org": organisation_id, "limit": PICK_LIMIT}).fetchall()
        return [_line(row) for row in rows]

    def count(self, organisation_id: UUID, view: str, plot_ids: list[str] | None = None) -> int:
        join, condition = _SOURCES[view]
        params: dict[str, Any] = {"org": organisation_id}
        if plot_ids is not None:
            condition += f" AND {_HARVESTED_FROM}"
            params["plots"] = plot_ids
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT count(*) FROM rm_batches b {join} WHERE {condition}", params
            ).fetchone()
        return int(row[0]) if row else 0

    def lot(
        self, organisation_id: UUID, code: str, plot_ids: list[str] | None = None
    ) -> LotDetail | None:
        """The lot's page, if the organisation holds, held, shipped or is to receive it (and,
        with ``plot_ids``, a member household's, if it was harvested from one of them)."""
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT b.batch_id, b.holder_id, b.gtin, b.lot, o.name FROM rm_batches b"
                " LEFT JOIN rm_directory_organisations o ON o.id = b.holder_id"
                " WHERE b.code = %s",
                (code,),
            ).fetchone()
            if row is None:
                return None
            batch_id, holder, gtin, lot_number, holder_name = row
            events = _events(conn, batch_id)
            if not _concerns(organisation_id, holder, events):
                return None
            if plot_ids is not None and not _harvested_from(events, plot_ids):
                return None
            join, _ = _SOURCES["held"]
            line_row = conn.execute(
                f"SELECT {_LOT} FROM rm_batches b {join} WHERE b.batch_id = %(id)s",
                {"id": batch_id},
            ).fetchone()
            assert line_row is not None  # the row read above
            back = [link for link in trace_back(conn, batch_id) if link["depth"] == 1]
            forward = [link for link in trace_forward(conn, batch_id) if link["depth"] == 1]
            plots = _plots_harvested(conn, events)
            shipments = _shipments(conn, events)
        line = _line(line_row)
        shipped = [e for e in events if e.name == "Shipped"]
        return LotDetail(
            line=line,
            holder_id=None if holder is None else str(holder),
            holder_name=holder_name,
            gtin=gtin,
            lot=lot_number,
            events=[LotEvent(e.name, e.at, e.payload) for e in events],
            plots=plots,
            inputs=[Step(s["parent_code"], Decimal(s["amount"]), s["unit"]) for s in back],
            outputs=[Step(s["child_code"], Decimal(s["amount"]), s["unit"]) for s in forward],
            shipments=shipments,
            in_transit_to=str(shipped[-1].payload["to"]) if shipped else None,
        )

    def plots(self, cooperative_id: UUID) -> list[PlotChoice]:
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT id, crop, commune, planting_area_code, area_ha FROM rm_plots"
                " WHERE cooperative_id = %s"
                " ORDER BY planting_area_code NULLS LAST, commune, crop, id LIMIT %s",
                (cooperative_id, PICK_LIMIT),
            ).fetchall()
        return [
            PlotChoice(str(i), crop, commune, code, area) for i, crop, commune, code, area in rows
        ]

    def name_of(self, organisation_id: UUID) -> str | None:
        return _name_of(self._connect, organisation_id)

    def chains(self, organisation_id: UUID) -> list[ChainChoice]:
        """The value chains I take part in now (a harvest may name only those: the records'
        ``not_chain_participant`` rule), by name."""
        query = """
        SELECT DISTINCT c.id, c.name, c.commodity FROM rm_directory_chains c
        JOIN rm_directory_participants p ON p.value_chain_id = c.id
        WHERE p.organisation_id = %(org)s AND p.left_on IS NULL ORDER BY c.name, c.id"""
        with session(self._connect) as conn:
            rows = conn.execute(query, {"org": organisation_id}).fetchall()
        return [ChainChoice(str(i), name, commodity) for i, name, commodity in rows]

    def partners(self, organisation_id: UUID) -> list[Partner]:
        """The organisations in the value chains I take part in or lead, now, but me."""
        query = """
        WITH mine AS (
            SELECT value_chain_id FROM rm_directory_participants
            WHERE organisation_id = %(org)s AND left_on IS NULL
          UNION SELECT id FROM rm_directory_chains WHERE lead_organisation_id = %(org)s
        ), others AS (
            SELECT p.organisation_id FROM rm_directory_participants p
            JOIN mine USING (value_chain_id)
            WHERE p.left_on IS NULL
          UNION SELECT c.lead_organisation_id FROM rm_directory_chains c
            JOIN mine ON mine.value_chain_id = c.id
        )
        SELECT o.id, o.name FROM others
        JOIN rm_directory_organisations o ON o.id = others.organisation_id
        WHERE o.id <> %(org)s AND o.status = 'active' ORDER BY o.name, o.id"""
        with session(self._connect) as conn:
            rows = conn.execute(query, {"org": organisation_id}).fetchall()
        return [Partner(str(i), name) for i, name in rows]


def _line(row: tuple[Any, ...]) -> LotLine:
    batch_id, code, commodity, variety, amount, unit, status, recalled, other, other_name = row
    return LotLine(
        batch_id=str(batch_id),
        code=code,
        commodity=commodity,
        variety=variety,
        amount=Decimal(amount),
        unit=unit,
        status=status,
        recalled=bool(recalled),
        counterpart_id=other,
        counterpart_name=other_name,
    )


def _events(conn: Any, batch_id: UUID) -> list[BatchEvent]:
    rows = conn.execute(
        "SELECT envelope FROM rm_catalogue_events WHERE aggregate_id = %s"
        " AND envelope IS NOT NULL ORDER BY aggregate_version",
        (batch_id,),
    ).fetchall()
    return [BatchEvent.from_canonical(canonical) for (canonical,) in rows]


def _concerns(organisation_id: UUID, holder: Any, events: list[BatchEvent]) -> bool:
    """Whether the organisation holds or held the batch, or is (was) its addressee."""
    mine = str(organisation_id)
    if holder is not None and str(holder) == mine:
        return True
    parties = ("holder_id", "by", "to")
    return any(str(e.payload.get(key)) == mine for e in events for key in parties)


def _harvested_from(events: list[BatchEvent], plot_ids: list[str]) -> bool:
    wanted = set(plot_ids)
    return any(
        str(p) in wanted for e in events if e.name == "Harvested" for p in e.payload["plot_ids"]
    )


def _plots_harvested(conn: Any, events: list[BatchEvent]) -> list[PlotChoice]:
    ids = [p for e in events if e.name == "Harvested" for p in e.payload.get("plot_ids") or []]
    if not ids:
        return []
    rows = conn.execute(
        "SELECT id, crop, commune, planting_area_code, area_ha FROM rm_plots"
        " WHERE id = ANY(%s::uuid[]) ORDER BY planting_area_code NULLS LAST, id",
        (ids,),
    ).fetchall()
    return [PlotChoice(str(i), crop, commune, code, area) for i, crop, commune, code, area in rows]


def _shipments(conn: Any, events: list[BatchEvent]) -> list[Partner]:
    to = [str(e.payload["to"]) for e in events if e.name == "Shipped"]
    if not to:
        return []
    rows = conn.execute(
        "SELECT id::text, name FROM rm_directory_organisations WHERE id = ANY(%s::uuid[])",
        (to,),
    ).fetchall()
    names = dict(rows)
    return [Partner(i, names.get(i, i)) for i in to]


def _name_of(connect: Connect, organisation_id: UUID) -> str | None:
    with session(connect) as conn:
        row = conn.execute(
            "SELECT name FROM rm_directory_organisations WHERE id = %s", (organisation_id,)
        ).fetchone()
    return None if row is None else str(row[0])
