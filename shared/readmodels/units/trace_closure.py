"""The trace projection's closure of its edges: every ancestor → descendant pair, nearest depth.

``rm_trace_closure`` holds, for each batch, every batch it descends from (and so every batch
descending from it) with the length of the shortest path of edges between them, so the trace as
it stands (:mod:`shared.readmodels.trace_sql`) reads a lot's whole chain back or forward as one
index range instead of a recursive walk of ``rm_trace_edges``, and answers with the depth that
walk finds (the nearest one).

It is kept on each new edge ``parent → child``: every ancestor of the parent (and the parent)
gets every descendant of the child (and the child), at depth ``up + 1 + down``, keeping the
lesser depth of a pair already there. That does not depend on the order edges arrive in (a
shortest path uses the new edge at most once and its two halves are already in the closure),
as the projections promise for events of different aggregates; repeating an edge changes
nothing. The dated traces (``as_of``, ``known_at``) still walk the edges: their edges are the
ones recorded by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

CLOSURE = "rm_trace_closure"

DDL = [
    f"""CREATE TABLE IF NOT EXISTS {CLOSURE} (
    ancestor_id uuid NOT NULL,
    descendant_id uuid NOT NULL,
    depth integer NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id) INCLUDE (depth))""",
    # The walk back reads a batch's ancestors.
    f"CREATE INDEX IF NOT EXISTS {CLOSURE}_descendant"
    f" ON {CLOSURE} (descendant_id, ancestor_id) INCLUDE (depth)",
    # Nearly every batch has a handful of ancestors and descendants; the few lots with thousands
    # are the statistics' most common values. Left to itself, ANALYZE averages them in and the
    # planner expects ~150 batches for every lot, hashing whole tables to trace one batch.
    f"ALTER TABLE {CLOSURE} ALTER COLUMN ancestor_id SET (n_distinct = -0.5),"
    " ALTER COLUMN descendant_id SET (n_distinct = -0.5)",
]

# The pairs are distinct: the ancestors of a batch never include itself, nor its descendants.
_ADD_EDGE = f"""
INSERT INTO {CLOSURE} (ancestor_id, descendant_id, depth)
SELECT a.id, d.id, a.depth + 1 + d.depth
FROM (SELECT %(parent)s::uuid AS id, 0 AS depth
      UNION ALL SELECT ancestor_id, depth FROM {CLOSURE} WHERE descendant_id = %(parent)s::uuid) a
CROSS JOIN (SELECT %(child)s::uuid AS id, 0 AS depth
      UNION ALL SELECT descendant_id, depth FROM {CLOSURE} WHERE ancestor_id = %(child)s::uuid) d
ON CONFLICT (ancestor_id, descendant_id) DO UPDATE SET depth = excluded.depth
WHERE excluded.depth < {CLOSURE}.depth
"""


def store_closure(conn: psycopg.Connection[Any], edges: Sequence[tuple[str, str]]) -> None:
    """Adds these ``(parent_id, child_id)`` edges to the closure, one after the other: each
    statement sees the pairs the ones before it added."""
    pairs = list(dict.fromkeys((str(p), str(c)) for p, c in edges if str(p) != str(c)))
    if not pairs:
        return
    with conn.cursor() as cursor:
        cursor.executemany(_ADD_EDGE, [{"parent": p, "child": c} for p, c in pairs])


__all__ = ["CLOSURE", "DDL", "store_closure"]
