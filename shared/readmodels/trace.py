"""``build_trace``: the graph of batches back and forward from one, as it stands or stood.

Reads only the trace projection's tables (:mod:`shared.readmodels.units.trace`): one recursive
walk over ``rm_trace_edges`` per direction, then one query per kind (nodes, edges, the
transformations' flows, shipments, parties, plots), whatever the graph's size: no query per
node. ``as_of`` keeps the facts whose business date (in Vietnam) is on or before it;
``known_at`` those recorded by then; either makes the nodes folded from their dated steps
instead of read as they stand.

Rights are applied here, once, for every surface (API, staff pictures, recall report), as
the handbook's "Who may read what" says: ``viewer`` None is provincial staff (everything); an
organisation that holds or held a batch of the graph, or was sent one, sees the whole graph,
with other organisations' quantities only where they publish them; any other organisation is
refused (:class:`TraceNotPermitted`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from shared.domain import identifiers
from shared.domain.errors import InvalidValue, NotFound, NotPermitted
from shared.readmodels import trace_sql
from shared.readmodels.trace_steps import NodeState, Step, fold
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units.trace import (
    EDGES,
    NODE_COLUMNS,
    NODES,
    ORGANISATIONS,
    PLOTS,
    id_array,
    read_steps,
)
from shared.records.unit_of_work import batch_id_from
from shared.trace.balance import MassBalance, balance
from shared.trace.graph import (
    Amount,
    Direction,
    TraceFlow,
    TraceGraph,
    TraceLink,
    TraceNode,
    TraceParty,
    TracePlot,
    TraceShipment,
    TraceTransformation,
)

VIETNAM = "Asia/Ho_Chi_Minh"
_NEVER = datetime.min.replace(tzinfo=UTC)  # a shipment with no readable time sorts first
MAX_DEPTH = 1000  # a guard: lineages are acyclic, and real ones are a few levels deep
_UUIDS = frozenset({"batch_id", "holder_id", "producer_id", "in_transit_to", "transformation_id"})


class TraceNotPermitted(NotPermitted):
    """The viewer holds, held and was sent no batch of the graph."""


@dataclass(frozen=True)
class _When:
    """The SQL conditions of ``as_of``/``known_at`` on a table with ``at`` and ``recorded_at``."""

    as_of: date | None
    known_at: datetime | None

    @property
    def dated(self) -> bool:
        return self.as_of is not None or self.known_at is not None

    def where(self, alias: str) -> str:
        parts = []
        if self.as_of is not None:
            parts.append(
                f" AND (coalesce({alias}.at, {alias}.recorded_at) AT TIME ZONE '{VIETNAM}')::date"
                " <= %(as_of)s"
            )
        if self.known_at is not None:
            parts.append(f" AND {alias}.recorded_at <= %(known_at)s")
        return "".join(parts)

    def params(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "known_at": self.known_at}


def resolve(
    conn: psycopg.Connection[Any], ref: str | None, gtin: str | None = None, lot: str | None = None
) -> str:
    """The batch id a trace starts from: a code, an id, or a GTIN with its lot."""
    if gtin is not None or lot is not None:
        if gtin is None or lot is None:
            msg = "a labelled lot is named by its GTIN and its lot together"
            raise InvalidValue("gtin", msg, code="gtin_and_lot_together")
        gtin14 = identifiers.gtin14(gtin)
        rows = conn.execute(
            f"SELECT batch_id, code FROM {NODES} WHERE gtin = %s AND lot = %s ORDER BY code",
            (gtin14, lot),
        ).fetchall()
        if not rows:
            msg = f"no batch is labelled GTIN {gtin} lot {lot}"
            raise NotFound(msg, code="trace_lot_unknown", params={"gtin": gtin, "lot": lot})
        if len(rows) > 1:
            codes = ", ".join(str(r[1]) for r in rows)
            msg = f"GTIN {gtin} lot {lot} labels several batches ({codes}): trace one by its code"
            raise InvalidValue("lot", msg, code="lot_ambiguous", params={"codes": codes})
        return str(rows[0][0])
    if not ref:
        raise InvalidValue(
            "ref", "name a batch: its code, its id, or GTIN and lot", code="ref_missing"
        )
    return str(batch_id_from(ref))


def build_trace(
    conn: psycopg.Connection[Any],
    start_batch_id: str | UUID,
    direction: Direction,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    viewer: str | UUID | None = None,
) -> TraceGraph:
    """The trace from ``start_batch_id`` (see the module's docstring for dates and rights)."""
    start = str(start_batch_id)
    when = _When(as_of, known_at)
    depths = _walk(conn, start, direction, when)
    ids = list(depths)
    current = _current_nodes(conn, ids)
    if start not in current:
        raise _not_found(start)
    states = _folded(conn, ids, when) if when.dated else current
    if start not in states:
        msg = f"batch {current[start].code} did not exist yet then"
        raise NotFound(msg, code="trace_before_batch", params={"batch": current[start].code})
    depths = {b: d for b, d in depths.items() if b in states}
    parties_of = {b: current[b].parties for b in depths}
    viewer_id = None if viewer is None else str(viewer)
    if viewer_id is not None and not any(viewer_id in p for p in parties_of.values()):
        raise _refused(current[start].code)

    edges = _edges(conn, ids, when)
    edges = [e for e in edges if e[0] in depths and e[1] in depths]
    flows = _flows(conn, list(depths), when)
    outside = {b for f in flows for b in (f[0], f[1])} - set(depths)
    others = _current_nodes(conn, outside) if outside else {}
    shipments = _shipments(conn, ids, when)
    plot_ids = sorted({p for b in depths for p in states[b].plot_ids})
    plots = _plots(conn, plot_ids)
    org_ids = {o for b in depths for o in (states[b].holder_id, states[b].producer_id) if o}
    org_ids |= {o for s in shipments for o in (s.from_id, s.to_id)}
    org_ids |= {p.organisation_id for p in plots}
    parties = _parties(conn, org_ids)

    sight = _Sight(viewer_id, {p.organisation_id for p in parties if p.publishes_quantities})
    all_states = {**others, **states}
    nodes = tuple(
        _node(states[b], depths[b], sight.sees_batch(states[b], parties_of[b]))
        for b in sorted(depths, key=lambda b: (depths[b], states[b].code))
    )
    links = tuple(
        TraceLink(
            parent_id=e[0],
            child_id=e[1],
            transformation_id=e[2],
            amount=_amount(e[3], e[4]) if sight.sees_flow(e[1], all_states, current) else None,
            at=e[5],
        )
        for e in edges
    )
    return TraceGraph(
        start_id=start,
        direction=direction,
        as_of=as_of,
        known_at=known_at,
        nodes=nodes,
        links=links,
        shipments=tuple(sight.shipment(s, parties_of) for s in shipments),
        parties=tuple(parties),
        plots=tuple(plots),
        transformations=_transformations(flows, all_states, sight, current),
    )


@dataclass(frozen=True)
class TraceAnswer:
    graph: TraceGraph
    balance: MassBalance


class PostgresTraces:
    """Traces over the trace projection, for readers that hold no connection (the API)."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def trace(
        self,
        ref: str | None,
        direction: Direction,
        *,
        gtin: str | None = None,
        lot: str | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
        viewer: str | UUID | None = None,
    ) -> TraceAnswer:
        with session(self._connect) as conn:
            start = resolve(conn, ref, gtin, lot)
            graph = build_trace(
                conn, start, direction, as_of=as_of, known_at=known_at, viewer=viewer
            )
        return TraceAnswer(graph, balance(graph))

    def trace_json(
        self,
        ref: str | None,
        direction: Direction,
        *,
        gtin: str | None = None,
        lot: str | None = None,
        viewer: str | UUID | None = None,
    ) -> bytes:
        """The API's JSON of the trace as it stands, written by PostgreSQL in one statement
        (:mod:`shared.readmodels.trace_sql`): the same answer as ``trace`` without a Python
        object per node. Dated traces go through ``trace``."""
        with session(self._connect) as conn:
            start = resolve(conn, ref, gtin, lot)
            found = trace_sql.trace_json(conn, start, direction, viewer=viewer)
        if found.code is None:
            raise _not_found(start)
        if not found.allowed or found.body is None:
            raise _refused(found.code)
        return found.body


def _refused(code: str) -> TraceNotPermitted:
    msg = (
        "only provincial staff and the organisations that hold, held or were sent a batch"
        " of this chain may trace it; its public page shows one step back"
    )
    return TraceNotPermitted(msg, code="trace_not_permitted", params={"batch": code})


def _not_found(batch_id: str) -> NotFound:
    msg = f"no batch {batch_id}: check the code (e.g. TH-2026-000123), the id, or GTIN and lot"
    return NotFound(msg, code="trace_batch_unknown", params={"id": batch_id})


# The walk -----------------------------------------------------------------------------------


def _walk(
    conn: psycopg.Connection[Any], start: str, direction: Direction, when: _When
) -> dict[str, int]:
    """Each batch of the graph and its depth (negative back, positive forward, nearest)."""
    depths = {start: 0}
    if direction in (Direction.BACK, Direction.BOTH):
        for batch_id, depth in _direction(conn, start, "child_id", "parent_id", when):
            depths.setdefault(batch_id, -depth)
    if direction in (Direction.FORWARD, Direction.BOTH):
        for batch_id, depth in _direction(conn, start, "parent_id", "child_id", when):
            depths.setdefault(batch_id, depth)
    return depths


def _direction(
    conn: psycopg.Connection[Any], start: str, near: str, far: str, when: _When
) -> list[tuple[str, int]]:
    query = f"""
    WITH RECURSIVE walk(batch_id, depth) AS (
        SELECT %(start)s::uuid, 0
      UNION
        SELECT e.{far}, w.depth + 1 FROM {EDGES} e JOIN walk w ON e.{near} = w.batch_id
        WHERE w.depth < {MAX_DEPTH}{when.where("e")}
    )
    SELECT batch_id::text, min(depth) FROM walk WHERE depth > 0 GROUP BY batch_id"""
    rows = conn.execute(query, {"start": start, **when.params()}).fetchall()
    return [(r[0], r[1]) for r in rows]


def _edges(conn: psycopg.Connection[Any], ids: list[str], when: _When) -> list[tuple[Any, ...]]:
    rows = conn.execute(
        f"SELECT e.parent_id::text, e.child_id::text, e.transformation_id::text, e.amount,"
        " e.unit, e.at"
        f" FROM {EDGES} e WHERE e.child_id = ANY(%(ids)s::uuid[])"
        f" AND e.parent_id = ANY(%(ids)s::uuid[]){when.where('e')}"
        " ORDER BY e.at, e.parent_id, e.child_id, e.transformation_id",
        {"ids": id_array(ids), **when.params()},
    ).fetchall()
    return [tuple(r) for r in rows]


def _flows(conn: psycopg.Connection[Any], ids: list[str], when: _When) -> list[tuple[Any, ...]]:
    """Every edge of the transformations the graph's batches gave to, also those leaving it:
    a back trace's batches gave to their lots' siblings, and to lots outside it altogether."""
    rows = conn.execute(
        f"SELECT e.parent_id::text, e.child_id::text, e.transformation_id::text, e.amount,"
        f" e.unit, e.at FROM {EDGES} e WHERE e.transformation_id IN (SELECT g.transformation_id"
        f" FROM {EDGES} g WHERE g.parent_id = ANY(%(ids)s::uuid[]){when.where('g')})"
        f"{when.where('e')}"
        # A transformation's ``at`` is its first flow's (by child, then parent): one answer.
        " ORDER BY e.transformation_id, e.child_id, e.parent_id",
        {"ids": id_array(ids), **when.params()},
    ).fetchall()
    return [tuple(r) for r in rows]


# Nodes --------------------------------------------------------------------------------------


def _current_nodes(conn: psycopg.Connection[Any], ids: Collection[str]) -> dict[str, NodeState]:
    rows = conn.execute(
        f"SELECT {NODE_TEXT_COLUMNS} FROM {NODES} WHERE batch_id = ANY(%s::uuid[])",
        (id_array(ids),),
    ).fetchall()
    return {r[0]: _state(r) for r in rows}


# Ids as text from PostgreSQL: making and printing 10,000s of UUID objects costs more than SQL.
NODE_TEXT_COLUMNS = ", ".join(
    f"{c}::text" if c in _UUIDS else (f"{c}::text[]" if c in ("parties", "plot_ids") else c)
    for c in (c.strip() for c in NODE_COLUMNS.split(","))
)


def _state(r: tuple[Any, ...]) -> NodeState:
    return NodeState(
        batch_id=r[0],
        created=True,
        code=r[1],
        product=r[2],
        holder_id=r[3],
        producer_id=r[4],
        in_transit_to=r[5],
        status=r[6],
        amount=r[7],
        unit=r[8],
        produced_amount=r[9],
        produced_unit=r[10],
        produced_at=r[11],
        recorded_at=r[12],
        recalled=r[13],
        recall_origin=r[14],
        gtin=r[15],
        lot=r[16],
        plot_ids=r[17],
        harvested_on=r[18],
        transformation_id=r[19],
        step=r[20],
        lost=r[21],
        unexplained=r[22],
        recovered=r[23],
        parties=set(r[24]),
        last_position=r[25],
    )


def _folded(conn: psycopg.Connection[Any], ids: list[str], when: _When) -> dict[str, NodeState]:
    """Each batch as its steps up to ``as_of``/``known_at`` leave it (created ones only)."""
    steps = read_steps(conn, ids, when.where(STEP_ALIAS), **when.params())
    states = (fold(b, found) for b, found in steps.items())
    return {s.batch_id: s for s in states if s.created}


STEP_ALIAS = "rm_trace_steps"


def _node(state: NodeState, depth: int, sees: bool) -> TraceNode:
    def held(value: Decimal | None) -> Amount | None:
        return _amount(value, state.unit) if sees else None

    return TraceNode(
        batch_id=state.batch_id,
        code=state.code,
        product=state.product,
        depth=depth,
        holder_id=state.holder_id,
        status=state.status,
        quantity=held(state.amount),
        produced=_amount(state.produced_amount, state.produced_unit) if sees else None,
        produced_at=state.produced_at,
        recalled=state.recalled,
        recall_origin=state.recall_origin,
        gtin=state.gtin,
        lot=state.lot,
        plot_ids=tuple(state.plot_ids),
        harvested_on=state.harvested_on,
        lost=held(state.lost),
        unexplained=held(state.unexplained),
        recovered=held(state.recovered),
    )


def _amount(value: Decimal | None, unit: str | None) -> Amount | None:
    if value is None or unit is None:
        return None
    return Amount(value, unit)


# Rights -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sight:
    """Whose quantities the viewer sees: its own batches', and published organisations'."""

    viewer: str | None
    publishing: set[str]

    def sees_org(self, org: str | None) -> bool:
        return self.viewer is None or org == self.viewer or (org in self.publishing)

    def sees_batch(self, state: NodeState, parties: set[str]) -> bool:
        return self.viewer is None or self.viewer in parties or self.sees_org(state.holder_id)

    def sees_flow(
        self, child: str, states: dict[str, NodeState], current: dict[str, NodeState]
    ) -> bool:
        """A transformation's amount is its maker's: the holder of the batch it made."""
        if self.viewer is None:
            return True
        state = states.get(child) or current.get(child)
        if state is None:
            return False
        return self.viewer in state.parties or self.sees_org(state.producer_id)

    def shipment(self, s: TraceShipment, parties_of: dict[str, set[str]]) -> TraceShipment:
        if self.viewer is None or self.viewer in parties_of.get(s.batch_id, set()):
            return s
        if self.viewer in (s.from_id, s.to_id):
            return s
        shipped = s.shipped if self.sees_org(s.from_id) else None
        received = s.received if self.sees_org(s.to_id) else None
        return TraceShipment(
            s.batch_id, s.from_id, s.to_id, shipped, s.shipped_at, received, s.received_at
        )


def _transformations(
    flows: list[tuple[Any, ...]],
    states: dict[str, NodeState],
    sight: _Sight,
    current: dict[str, NodeState],
) -> tuple[TraceTransformation, ...]:
    by_id: dict[str, list[tuple[Any, ...]]] = {}
    for flow in flows:
        by_id.setdefault(flow[2], []).append(flow)
    made = []
    for transformation_id in sorted(by_id):
        rows = by_id[transformation_id]
        children = sorted({r[1] for r in rows})
        visible = [sight.sees_flow(c, states, current) for c in children]
        sees = all(visible)
        # Each output lists every input with what it took: the inputs are the same for all.
        inputs = {r[0]: _amount(r[3], r[4]) for r in rows if r[1] == children[0]}
        outputs = []
        for child, seen in zip(children, visible, strict=True):
            state = states.get(child)
            amount = None if state is None else _amount(state.produced_amount, state.produced_unit)
            outputs.append(TraceFlow(child, amount if seen else None))
        first = states.get(children[0])
        made.append(
            TraceTransformation(
                transformation_id=transformation_id,
                step=first.step if first else None,
                at=rows[0][5],
                inputs=tuple(TraceFlow(b, a if sees else None) for b, a in sorted(inputs.items())),
                outputs=tuple(outputs),
            )
        )
    return tuple(made)


# Shipments, parties, plots ------------------------------------------------------------------


def _shipments(conn: psycopg.Connection[Any], ids: list[str], when: _When) -> list[TraceShipment]:
    steps = read_steps(
        conn, ids, f" AND kind IN ('Shipped', 'Received'){when.where(STEP_ALIAS)}", **when.params()
    )
    found = []
    for batch_id in sorted(steps):
        found += _pair(batch_id, sorted(steps[batch_id], key=lambda s: s.version))
    return found


def _pair(batch_id: str, steps: Iterable[Step]) -> list[TraceShipment]:
    """Each shipment with the receipt that followed it (None while on the road)."""
    made: list[TraceShipment] = []
    open_: Step | None = None
    for step in steps:
        if step.kind == "Shipped":
            if open_ is not None:
                made.append(_shipment(batch_id, open_, None))
            open_ = step
        elif open_ is not None:
            made.append(_shipment(batch_id, open_, step))
            open_ = None
    if open_ is not None:
        made.append(_shipment(batch_id, open_, None))
    return made


def _shipment(batch_id: str, shipped: Step, received: Step | None) -> TraceShipment:
    return TraceShipment(
        batch_id=batch_id,
        from_id=shipped.org_id or "",
        to_id=shipped.to_id or "",
        shipped=_amount(shipped.amount, shipped.unit),
        shipped_at=shipped.at or shipped.recorded_at or _NEVER,
        received=None if received is None else _amount(received.amount, received.unit),
        received_at=None if received is None else (received.at or received.recorded_at),
    )


def _parties(conn: psycopg.Connection[Any], org_ids: set[str]) -> list[TraceParty]:
    rows = conn.execute(
        f"SELECT id, name, kind, commune, publish_quantities FROM {ORGANISATIONS}"
        " WHERE id = ANY(%s::uuid[]) ORDER BY name",
        (id_array(sorted(org_ids)),),
    ).fetchall()
    return [TraceParty(str(r[0]), r[1], r[2], r[3], bool(r[4])) for r in rows]


def _plots(conn: psycopg.Connection[Any], plot_ids: list[str]) -> list[TracePlot]:
    if not plot_ids:
        return []
    rows = conn.execute(
        f"SELECT id, cooperative_id, coalesce(planting_area_code, crop), commune, area_ha"
        f" FROM {PLOTS} WHERE id = ANY(%s::uuid[]) ORDER BY id",
        (id_array(plot_ids),),
    ).fetchall()
    return [TracePlot(str(r[0]), str(r[1]), r[2], r[3], r[4]) for r in rows]


__all__ = ["PostgresTraces", "TraceAnswer", "TraceNotPermitted", "build_trace", "resolve"]
