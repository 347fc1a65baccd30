"""Lineage: parent → child edges with the quantity each parent gave, traced with recursive CTEs.

Several projections keep these edges, each in its own table (``TRACE_EDGES`` for the lineage
projection's traces, ``JOURNEY_EDGES`` for provenance): a projection reads only what it applied
itself, so one can be rebuilt while the other serves. An edge comes from the child's
``Produced`` event (its ``parents``), so it is known as soon as
the child is, even if the parent's own events have not arrived yet. Quantities are internal:
the lineage serves staff and recalls, never the public page.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

import psycopg

_EDGE_COLUMNS = "parent_id, child_id, transformation_id, parent_code, child_code, amount, unit"

TRACE_EDGES = "rm_lineage"
"""The lineage projection's edges: what ``trace_back`` and ``trace_forward`` walk."""
JOURNEY_EDGES = "rm_provenance_edges"
"""The provenance projection's own copy: what documents (and their digests) are built from."""
EDGE_DDL = """(
        parent_id uuid NOT NULL,
        child_id uuid NOT NULL,
        transformation_id uuid NOT NULL,
        parent_code text NOT NULL,
        child_code text NOT NULL,
        amount numeric NOT NULL,
        unit text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (parent_id, child_id, transformation_id))"""

_ANCESTORS = """
WITH RECURSIVE up(batch_id) AS (
    SELECT unnest(%s::uuid[])
  UNION
    SELECT l.parent_id FROM {table} l JOIN up ON l.child_id = up.batch_id
) SELECT batch_id FROM up"""

_DESCENDANTS = """
WITH RECURSIVE down(batch_id) AS (
    SELECT unnest(%s::uuid[])
  UNION
    SELECT l.child_id FROM {table} l JOIN down ON l.parent_id = down.batch_id
) SELECT batch_id FROM down"""


@dataclass(frozen=True)
class Edge:
    parent_id: str
    child_id: str
    transformation_id: str
    parent_code: str
    child_code: str
    amount: Decimal
    unit: str


class LineageLink(TypedDict):
    """One step of a trace: ``depth`` 1 is a direct parent (back) or child (forward)."""

    parent_id: str
    parent_code: str
    child_id: str
    child_code: str
    transformation_id: str
    amount: str
    unit: str
    depth: int


def edges_from_produced(
    batch_id: str, payload: dict[str, Any], position: int
) -> list[tuple[Any, ...]]:
    """The rows of ``rm_lineage`` a ``Batch.Produced`` event implies."""
    return [
        (
            parent["batch_id"],
            batch_id,
            payload["transformation_id"],
            parent["code"],
            payload["code"],
            Decimal(parent["amount"]),
            parent["unit"],
            position,
        )
        for parent in payload.get("parents") or []
    ]


def ancestors_and_self(
    conn: psycopg.Connection[Any], batch_ids: Collection[str], table: str = JOURNEY_EDGES
) -> set[str]:
    rows = conn.execute(_ANCESTORS.format(table=table), (list(batch_ids),)).fetchall()
    return {str(row[0]) for row in rows}


def descendants_and_self(
    conn: psycopg.Connection[Any], batch_ids: Collection[str], table: str = JOURNEY_EDGES
) -> set[str]:
    rows = conn.execute(_DESCENDANTS.format(table=table), (list(batch_ids),)).fetchall()
    return {str(row[0]) for row in rows}


def edges_into(
    conn: psycopg.Connection[Any], child_ids: Collection[str], table: str = JOURNEY_EDGES
) -> list[Edge]:
    rows = conn.execute(
        f"SELECT {_EDGE_COLUMNS} FROM {table} WHERE child_id = ANY(%s::uuid[])",
        (list(child_ids),),
    ).fetchall()
    return [Edge(str(r[0]), str(r[1]), str(r[2]), r[3], r[4], r[5], r[6]) for r in rows]


def trace_back(conn: psycopg.Connection[Any], batch_id: UUID) -> list[LineageLink]:
    """Every edge from the batch back to the harvests that fed it, nearest first."""
    return _trace(conn, batch_id, forward=False)


def trace_forward(conn: psycopg.Connection[Any], batch_id: UUID) -> list[LineageLink]:
    """Every edge from the batch to all that was made of it (what a recall reaches)."""
    return _trace(conn, batch_id, forward=True)


def _trace(conn: psycopg.Connection[Any], batch_id: UUID, *, forward: bool) -> list[LineageLink]:
    near, far = ("parent_id", "child_id") if forward else ("child_id", "parent_id")
    query = f"""
    WITH RECURSIVE walk AS (
        SELECT l.*, 1 AS depth FROM {TRACE_EDGES} l WHERE l.{near} = %(start)s
      UNION
        SELECT l.*, w.depth + 1 FROM {TRACE_EDGES} l JOIN walk w ON l.{near} = w.{far}
        WHERE w.depth < 1000
    )
    SELECT {_EDGE_COLUMNS}, min(depth) AS depth FROM walk
    GROUP BY {_EDGE_COLUMNS} ORDER BY depth, parent_code, child_code"""
    rows = conn.execute(query, {"start": batch_id}).fetchall()
    return [
        LineageLink(
            parent_id=str(r[0]),
            child_id=str(r[1]),
            transformation_id=str(r[2]),
            parent_code=r[3],
            child_code=r[4],
            amount=str(r[5]),
            unit=r[6],
            depth=int(r[7]),
        )
        for r in rows
    ]
