"""The trace as it stands, answered by PostgreSQL in one statement: the API's JSON bytes.

``build_trace`` (:mod:`shared.readmodels.trace`) makes a :class:`~shared.trace.graph.TraceGraph`
for the pages and the dated traces; building a Python object per node and validating the
answer's model costs ~0.75 ms a node, seconds for a lot with 10,000 descendants. This module asks
the same tables the same question in one statement, which walks the edges, applies the same
rights (:class:`shared.readmodels.trace._Sight`) and writes the answer's JSON itself: the same
fields in the same order, ids as text, decimals as the API writes them (integral values without
a fraction, others with their scale), times in UTC with ``Z``. The mass balance's sums are added
up in the same statement, per unit family; only their few figures (and the recovered share, a
division) are finished in Python, so every figure is the exact sum ``balance`` makes.

Only the trace as it stands (no ``as_of`` nor ``known_at``): the dated traces fold steps,
which stays in Python. ``tests/integration/trace/test_fast_path.py`` holds both to one answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from shared.readmodels.units.trace import EDGES, NODES, ORGANISATIONS, PLOTS, STEPS
from shared.trace.balance import MassBalance, _one, _with_others
from shared.trace.graph import Direction

MAX_DEPTH = 1000  # as build_trace's walk


@dataclass(frozen=True)
class FastTrace:
    """What the statement found: the start's code (None: no such batch), whether the viewer may
    trace it, and the answer's JSON (None when either is not so)."""

    code: str | None
    allowed: bool
    body: bytes | None


def _dec(x: str) -> str:
    """A numeric as the API writes it (``_text`` in the route): 500, 12.50, 0."""
    return f"(CASE WHEN {x} = trunc({x}) THEN trim_scale({x})::text ELSE ({x})::text END)"


def _qty(amount: str, unit: str, shown: str) -> str:
    """``{"amount": …, "unit": …}``, or null when hidden or unknown."""
    return (
        f"(CASE WHEN ({shown}) AND {amount} IS NOT NULL AND {unit} IS NOT NULL THEN"
        f" json_build_object('amount', {_dec(amount)}, 'unit', {unit}) END)"
    )


def _time(x: str) -> str:
    """A timestamptz as pydantic writes a UTC datetime: microseconds only when there are some."""
    return (
        f"(to_char({x} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN mod(extract(microseconds FROM {x})::bigint, 1000000) <> 0"
        f" THEN to_char({x} AT TIME ZONE 'UTC', '.US') ELSE '' END || 'Z')"
    )


def _family(unit: str) -> str:
    return f"(CASE WHEN {unit} IN ('kg', 't') THEN 'kg' ELSE {unit} END)"


def _in_family(amount: str, unit: str) -> str:
    return f"({amount} * CASE WHEN {unit} = 't' THEN 1000 ELSE 1 END)"


# Who sees what (as _Sight): %(viewer)s NULL is provincial staff. ``publishing`` is the set of
# the graph's parties that publish their quantities.
_SEES_ORG = (
    "(%(viewer)s::uuid IS NULL OR {o} = %(viewer)s::uuid OR {o} IN (SELECT id FROM publishing))"
)


def _sees_org(org: str) -> str:
    return _SEES_ORG.format(o=org)


def _sees_flow(child: str) -> str:
    """A transformation's amount is its maker's: the producer of the batch it made."""
    return (
        f"(%(viewer)s::uuid IS NULL OR EXISTS (SELECT 1 FROM {NODES} c WHERE c.batch_id = {child}"
        f" AND (%(viewer)s::uuid = ANY(c.parties) OR {_sees_org('c.producer_id')})))"
    )


STATEMENT = f"""
WITH RECURSIVE
fwd(batch_id, depth) AS (
    SELECT %(start)s::uuid, 0 WHERE %(forward)s
  UNION
    SELECT e.child_id, w.depth + 1 FROM {EDGES} e JOIN fwd w ON e.parent_id = w.batch_id
    WHERE w.depth < {MAX_DEPTH}
),
bwd(batch_id, depth) AS (
    SELECT %(start)s::uuid, 0 WHERE %(back)s
  UNION
    SELECT e.parent_id, w.depth + 1 FROM {EDGES} e JOIN bwd w ON e.child_id = w.batch_id
    WHERE w.depth < {MAX_DEPTH}
),
walked AS (
    SELECT DISTINCT ON (batch_id) batch_id, depth FROM (
        SELECT %(start)s::uuid AS batch_id, 0 AS depth, 0 AS rank
        UNION ALL SELECT batch_id, -min(depth), 1 FROM bwd WHERE depth > 0 GROUP BY batch_id
        UNION ALL SELECT batch_id, min(depth), 2 FROM fwd WHERE depth > 0 GROUP BY batch_id
    ) w ORDER BY batch_id, rank
),
g AS MATERIALIZED (
    SELECT w.depth, n.* FROM walked w JOIN {NODES} n ON n.batch_id = w.batch_id
),
start AS (SELECT code FROM g WHERE depth = 0),
allowed AS (
    SELECT %(viewer)s::uuid IS NULL
        OR EXISTS (SELECT 1 FROM g WHERE %(viewer)s::uuid = ANY(g.parties)) AS ok
),
links AS MATERIALIZED (
    SELECT e.* FROM {EDGES} e
    JOIN g p ON p.batch_id = e.parent_id JOIN g c ON c.batch_id = e.child_id
),
flows AS MATERIALIZED (
    SELECT e.* FROM {EDGES} e WHERE e.transformation_id IN (
        SELECT t.transformation_id FROM {EDGES} t JOIN g ON g.batch_id = t.parent_id)
),
ship_steps AS (
    SELECT s.*, lead(s.kind) OVER w AS next_kind, lead(s.amount) OVER w AS next_amount,
           lead(s.unit) OVER w AS next_unit, lead(coalesce(s.at, s.recorded_at)) OVER w AS next_at
    FROM {STEPS} s JOIN walked ON walked.batch_id = s.batch_id
    WHERE s.kind IN ('Shipped', 'Received')
    WINDOW w AS (PARTITION BY s.batch_id ORDER BY s.version)
),
shipments AS MATERIALIZED (
    SELECT batch_id, version, org_id, to_id, amount, unit,
           coalesce(at, recorded_at) AS shipped_at,
           next_kind = 'Received' AS done,
           CASE WHEN next_kind = 'Received' THEN next_amount END AS r_amount,
           CASE WHEN next_kind = 'Received' THEN next_unit END AS r_unit,
           CASE WHEN next_kind = 'Received' THEN next_at END AS r_at
    FROM ship_steps WHERE kind = 'Shipped'
),
plot_ids AS (SELECT DISTINCT unnest(plot_ids) AS id FROM g),
plots AS MATERIALIZED (SELECT p.* FROM {PLOTS} p WHERE p.id IN (SELECT id FROM plot_ids)),
party_ids AS (
    SELECT holder_id AS id FROM g UNION SELECT producer_id FROM g
    UNION SELECT org_id FROM shipments UNION SELECT to_id FROM shipments
    UNION SELECT cooperative_id FROM plots
),
parties AS MATERIALIZED (
    SELECT o.* FROM {ORGANISATIONS} o WHERE o.id IN (SELECT id FROM party_ids)
),
publishing AS MATERIALIZED (SELECT id FROM parties WHERE coalesce(publish_quantities, false)),
seen AS MATERIALIZED (
    SELECT g.*, (%(viewer)s::uuid IS NULL OR %(viewer)s::uuid = ANY(g.parties)
                 OR {_sees_org("g.holder_id")}) AS sees
    FROM g
),
seen_links AS MATERIALIZED (
    SELECT l.*, {_sees_flow("l.child_id")} AS sees FROM links l
),
outs AS MATERIALIZED (
    SELECT f.transformation_id, f.child_id, {_sees_flow("f.child_id")} AS sees,
           n.produced_amount, n.produced_unit, n.step,
           row_number() OVER (PARTITION BY f.transformation_id ORDER BY f.child_id) AS nth
    FROM (SELECT DISTINCT transformation_id, child_id FROM flows) f
    -- One indexed read per output (a hash of the whole table costs more at any size).
    LEFT JOIN LATERAL (SELECT x.produced_amount, x.produced_unit, x.step FROM {NODES} x
                       WHERE x.batch_id = f.child_id OFFSET 0) n ON true
),
made AS MATERIALIZED (
    SELECT o.transformation_id, bool_and(o.sees) AS sees,
           max(o.step) FILTER (WHERE o.nth = 1) AS step,
           max(o.child_id::text) FILTER (WHERE o.nth = 1)::uuid AS first_child,
           array_agg(DISTINCT {_family("o.produced_unit")}) FILTER (WHERE o.sees
               AND o.produced_amount IS NOT NULL AND o.produced_unit IS NOT NULL) AS fout,
           json_agg(json_build_object('batch_id', o.child_id::text,
               'amount', {_qty("o.produced_amount", "o.produced_unit", "o.sees")})
               ORDER BY o.child_id) AS outputs
    FROM outs o GROUP BY o.transformation_id
),
firsts AS MATERIALIZED (
    SELECT DISTINCT ON (transformation_id) transformation_id, at FROM flows
    ORDER BY transformation_id, child_id, parent_id
),
ins AS MATERIALIZED (
    SELECT f.transformation_id, f.parent_id, f.amount, f.unit, m.sees
    FROM flows f JOIN made m ON m.transformation_id = f.transformation_id
    WHERE f.child_id = m.first_child
),
ship_seen AS MATERIALIZED (
    SELECT s.*, (%(viewer)s::uuid IS NULL
                 OR EXISTS (SELECT 1 FROM g WHERE g.batch_id = s.batch_id
                            AND %(viewer)s::uuid = ANY(g.parties))
                 OR %(viewer)s::uuid IN (s.org_id, s.to_id)) AS whole
    FROM shipments s
),
ship_out AS MATERIALIZED (
    SELECT s.*, (whole OR {_sees_org("s.org_id")}) AS sees_shipped,
           (whole OR {_sees_org("s.to_id")}) AS sees_received
    FROM ship_seen s
),
-- The mass balance's terms (balance.py), each a figure, a unit and an amount (NULL: hidden).
inputs AS MATERIALIZED (
    SELECT i.transformation_id,
           array_agg(DISTINCT {_family("i.unit")}) FILTER (WHERE i.sees
               AND i.amount IS NOT NULL AND i.unit IS NOT NULL) AS fin,
           json_agg(json_build_object('batch_id', i.parent_id::text,
               'amount', {_qty("i.amount", "i.unit", "i.sees")}) ORDER BY i.parent_id) AS inputs
    FROM ins i GROUP BY i.transformation_id
),
fams AS MATERIALIZED (
    SELECT m.transformation_id, coalesce(i.fin, '{{}}') AS fin, coalesce(m.fout, '{{}}') AS fout
    FROM made m LEFT JOIN inputs i USING (transformation_id)
),
-- Each node's own figures are added up per unit first (sums of exact decimals: the same totals),
-- three rows a unit instead of three a node.
node_sums AS (
    SELECT s.unit, NOT s.sees AS hidden, sum(s.lost) AS lost, sum(s.unexplained) AS unexplained,
           sum(s.recovered) AS recovered
    FROM seen s GROUP BY 1, 2
),
held_sums AS (
    SELECT CASE s.status WHEN 'active' THEN 'on_hand' WHEN 'in_transit' THEN 'on_road'
           ELSE 'sold' END AS figure, s.unit, NOT s.sees OR s.amount IS NULL AS hidden,
           sum(s.amount) AS amount
    FROM seen s WHERE s.status IN ('active', 'in_transit', 'sold', 'consumed') GROUP BY 1, 2, 3
),
-- A transformation's outputs, added up by unit, by whether their family was also given to it,
-- and by whether they are in the graph.
out_sums AS (
    SELECT o.produced_unit AS unit, {_family("o.produced_unit")} = ANY(f.fin) AS in_fin,
           o.child_id IN (SELECT batch_id FROM g) AS in_g, sum(o.produced_amount) AS amount
    FROM outs o JOIN fams f USING (transformation_id)
    WHERE o.sees AND o.produced_amount IS NOT NULL AND o.produced_unit IS NOT NULL
    GROUP BY 1, 2, 3
),
terms(figure, unit, amount, hidden) AS (
    SELECT 'produced', s.produced_unit, s.produced_amount,
           NOT s.sees OR s.produced_amount IS NULL OR s.produced_unit IS NULL
    FROM seen s WHERE s.batch_id NOT IN (SELECT child_id FROM links)
  UNION ALL SELECT f.figure, n.unit, f.amount, n.hidden
    FROM node_sums n, LATERAL (VALUES ('lost_in_processing', n.lost),
                                      ('unaccounted', n.unexplained),
                                      ('recovered', n.recovered)) f(figure, amount)
  UNION ALL SELECT h.figure, h.unit, h.amount, h.hidden FROM held_sums h
  UNION ALL SELECT 'affected', s.unit, s.amount, NOT s.sees OR s.amount IS NULL
    FROM seen s WHERE s.recalled
  UNION ALL SELECT 'affected', s.unit, s.recovered, NOT s.sees FROM seen s WHERE s.recalled
  UNION ALL SELECT 'shipped', s.unit, s.amount,
                   NOT s.sees_shipped OR s.amount IS NULL OR s.unit IS NULL
    FROM ship_out s WHERE s.batch_id IN (SELECT batch_id FROM g)
  UNION ALL SELECT 'received', s.r_unit, s.r_amount,
                   NOT s.sees_received OR s.r_amount IS NULL OR s.r_unit IS NULL
    FROM ship_out s WHERE s.batch_id IN (SELECT batch_id FROM g) AND s.done AND s.r_at IS NOT NULL
  -- A transformation's inputs: lost (and entered from outside) in a family it also gave out;
  -- left the family where it gave out none of it.
  UNION ALL SELECT NULL, NULL, NULL, true FROM ins i
    WHERE NOT i.sees OR i.amount IS NULL OR i.unit IS NULL
  UNION ALL SELECT x.figure, i.unit, i.amount, false
    FROM ins i JOIN fams f USING (transformation_id),
    LATERAL (SELECT 'lost_in_processing' WHERE {_family("i.unit")} = ANY(f.fout)
             UNION ALL SELECT 'entered' WHERE {_family("i.unit")} = ANY(f.fout)
                 AND i.parent_id NOT IN (SELECT batch_id FROM g)
             UNION ALL SELECT 'left' WHERE NOT {_family("i.unit")} = ANY(f.fout)
                 AND i.parent_id IN (SELECT batch_id FROM g)) x(figure)
    WHERE i.sees AND i.amount IS NOT NULL AND i.unit IS NOT NULL
  UNION ALL SELECT NULL, NULL, NULL, true FROM outs o
    WHERE NOT o.sees OR o.produced_amount IS NULL OR o.produced_unit IS NULL
  UNION ALL SELECT x.figure, o.unit, x.amount, false
    FROM out_sums o,
    LATERAL (SELECT 'lost_in_processing', -o.amount WHERE o.in_fin
             UNION ALL SELECT 'left', o.amount WHERE o.in_fin AND NOT o.in_g
             UNION ALL SELECT 'produced', o.amount WHERE NOT o.in_fin AND o.in_g) x(figure, amount)
),
sums AS (
    SELECT {_family("unit")} AS family, figure, sum({_in_family("amount", "unit")}) AS total
    FROM terms WHERE NOT hidden GROUP BY 1, 2
)
SELECT
    (SELECT code FROM start),
    (SELECT ok FROM allowed),
    -- bytes: the answer goes out as PostgreSQL wrote it, neither decoded nor encoded again.
    convert_to(json_build_object(
        'start_id', %(start)s::text,
        'direction', %(direction)s::text,
        'as_of', NULL::text,
        'known_at', NULL::text,
        'nodes', coalesce((SELECT json_agg(json_build_object(
            'batch_id', s.batch_id::text, 'code', s.code, 'product', s.product, 'depth', s.depth,
            'holder_id', s.holder_id::text, 'status', s.status,
            'quantity', {_qty("s.amount", "s.unit", "s.sees")},
            'produced', {_qty("s.produced_amount", "s.produced_unit", "s.sees")},
            'produced_at', {_time("s.produced_at")},
            'recalled', s.recalled, 'recall_origin', s.recall_origin, 'gtin', s.gtin,
            'lot', s.lot, 'plot_ids', s.plot_ids::text[], 'harvested_on', s.harvested_on,
            'lost', {_qty("s.lost", "s.unit", "s.sees")},
            'unexplained', {_qty("s.unexplained", "s.unit", "s.sees")},
            'recovered', {_qty("s.recovered", "s.unit", "s.sees")})
            ORDER BY s.depth, s.code COLLATE "C") FROM seen s), '[]'),
        'links', coalesce((SELECT json_agg(json_build_object(
            'parent_id', l.parent_id::text, 'child_id', l.child_id::text,
            'transformation_id', l.transformation_id::text,
            'amount', {_qty("l.amount", "l.unit", "l.sees")}, 'at', {_time("l.at")})
            ORDER BY l.at, l.parent_id, l.child_id, l.transformation_id) FROM seen_links l), '[]'),
        'transformations', coalesce((SELECT json_agg(json_build_object(
            'transformation_id', m.transformation_id::text, 'step', m.step,
            'at', {_time("t.at")}, 'inputs', coalesce(i.inputs, '[]'), 'outputs', m.outputs)
            ORDER BY m.transformation_id)
            FROM made m JOIN firsts t USING (transformation_id)
            LEFT JOIN inputs i USING (transformation_id)), '[]'),
        'shipments', coalesce((SELECT json_agg(json_build_object(
            'batch_id', s.batch_id::text, 'from_id', coalesce(s.org_id::text, ''),
            'to_id', coalesce(s.to_id::text, ''),
            'shipped', {_qty("s.amount", "s.unit", "s.sees_shipped")},
            'shipped_at', coalesce({_time("s.shipped_at")}, '0001-01-01T00:00:00Z'),
            'received', {_qty("s.r_amount", "s.r_unit", "s.sees_received AND s.done")},
            'received_at', {_time("s.r_at")})
            ORDER BY s.batch_id, s.version) FROM ship_out s), '[]'),
        'parties', coalesce((SELECT json_agg(json_build_object(
            'organisation_id', p.id::text, 'name', p.name, 'kind', p.kind,
            'commune', p.commune, 'publishes_quantities', coalesce(p.publish_quantities, false))
            ORDER BY p.name) FROM parties p), '[]'),
        'plots', coalesce((SELECT json_agg(json_build_object(
            'plot_id', p.id::text, 'organisation_id', p.cooperative_id::text,
            'name', coalesce(p.planting_area_code, p.crop), 'commune', p.commune,
            'area_ha', {_dec("p.area_ha")})
            ORDER BY p.id) FROM plots p), '[]'),
        'communes', coalesce((SELECT json_agg(c ORDER BY c COLLATE "C") FROM (
            SELECT commune AS c FROM parties WHERE commune <> ''
            UNION SELECT commune FROM plots WHERE commune <> '') x), '[]')
    )::text, 'UTF8'),
    (SELECT json_object_agg(family || ' ' || figure, total::text) FROM sums),
    (SELECT bool_or(hidden) FROM terms),
    EXISTS (SELECT 1 FROM g WHERE recalled)
"""


def trace_json(
    conn: psycopg.Connection[Any],
    start: str | UUID,
    direction: Direction,
    *,
    viewer: str | UUID | None = None,
) -> FastTrace:
    """The JSON of ``GET /api/v1/trace/{ref}`` for the chain as it stands (``viewer`` None:
    provincial staff), with what the caller needs to refuse it."""
    params = {
        "start": str(start),
        "direction": direction.value,
        "forward": direction in (Direction.FORWARD, Direction.BOTH),
        "back": direction in (Direction.BACK, Direction.BOTH),
        "viewer": None if viewer is None else str(viewer),
    }
    row = conn.cursor(binary=True).execute(STATEMENT, params).fetchone()
    assert row is not None  # one row, always
    code, allowed, graph, sums, hidden, recalled = row
    if code is None or not allowed:
        return FastTrace(code, bool(allowed), None)
    figures: dict[str, dict[str, Decimal]] = {}
    for key, total in (sums or {}).items():
        family, figure = key.split(" ")
        figures.setdefault(family, {})[figure] = Decimal(total)
    mass = _mass_balance(figures, bool(recalled), not hidden)
    balance = json.dumps(balance_json(mass), ensure_ascii=False, separators=(",", ":"))
    tail = ',"balance":' + balance + "}"
    return FastTrace(code, True, b"".join((memoryview(graph)[:-1], tail.encode())))


def _mass_balance(
    figures: dict[str, dict[str, Decimal]], recalled: bool, complete: bool
) -> MassBalance:
    units = sorted(figures, key=lambda u: (u != "kg", u)) or ["kg"]
    zero = Decimal(0)
    made = [_one(u, _Zeroed(figures.get(u, {}), zero), recalled, complete) for u in units]
    first, *rest = made
    return _with_others(first, tuple(rest))


class _Zeroed(dict[str, Decimal]):
    """A family's figures, 0 for those no term added to (as balance's defaultdict)."""

    def __init__(self, found: dict[str, Decimal], zero: Decimal) -> None:
        super().__init__(found)
        self._zero = zero

    def __missing__(self, key: str) -> Decimal:
        return self._zero


def text(value: Decimal) -> str:
    """A decimal as the API writes it: integral values without a fraction."""
    return format(value.normalize() if value == value.to_integral() else value, "f")


def balance_json(b: MassBalance) -> dict[str, Any]:
    """The balance's JSON, fields in the order of the route's ``BalanceOut``."""
    return {
        "unit": b.unit,
        "produced": text(b.produced),
        "entered": text(b.entered),
        "shipped": text(b.shipped),
        "received": text(b.received),
        "on_hand": text(b.on_hand),
        "on_road": text(b.on_road),
        "sold": text(b.sold),
        "lost_in_processing": text(b.lost_in_processing),
        "left": text(b.left),
        "unaccounted": text(b.unaccounted),
        "recovered": text(b.recovered),
        "recovered_share": None if b.recovered_share is None else text(b.recovered_share),
        "complete": b.complete,
        "other_units": [balance_json(o) for o in b.other_units],
    }


__all__ = ["STATEMENT", "FastTrace", "balance_json", "trace_json"]
