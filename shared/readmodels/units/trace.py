"""The trace projection: dated steps, edges and current state of every batch, for traces.

What ``build_trace`` (:mod:`shared.readmodels.trace`) reads, and nothing else reads:

* ``rm_trace_steps``: one row per batch event (:mod:`shared.readmodels.trace_steps`), with its
  business time and when it was recorded, so a trace can be asked ``as_of`` a date and
  ``known_at`` a moment; a new kind of step is one more row kind;
* ``rm_trace_edges``: parent → child with the amount given, when, and when recorded;
* ``rm_trace_nodes``: each batch folded from all its steps (the trace as it stands now, read
  without folding: a 10,000-descendant lot is one indexed read);
* ``rm_trace_organisations``, ``rm_trace_plots``: the parties and plots a trace names.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, ClassVar

import psycopg
from psycopg.types.json import Jsonb

from shared.readmodels import facts
from shared.readmodels.events import is_batch
from shared.readmodels.projection import Projection
from shared.readmodels.trace_steps import (
    STEP_COLUMNS,
    NodeState,
    Step,
    fold,
    quantity_of,
    step_of,
)
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units import tables
from shared.wire.envelope import Envelope

STEPS = "rm_trace_steps"
EDGES = "rm_trace_edges"
NODES = "rm_trace_nodes"
ORGANISATIONS = "rm_trace_organisations"
PLOTS = "rm_trace_plots"
NODE_COLUMNS = (
    "batch_id, code, product, holder_id, producer_id, in_transit_to, status, amount, unit,"
    " produced_amount, produced_unit, produced_at, recorded_at, recalled, recall_origin, gtin,"
    " lot, plot_ids, harvested_on, transformation_id, step, lost, unexplained, recovered,"
    " parties, last_position"
)
_KINDS = facts.ORGANISATION_KINDS | {"Plot"}


class TraceProjection(Projection):
    """Steps, edges and states of batches with their dates (the trace and its as-of)."""

    name: ClassVar[str] = "trace"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = (
        "rm_trace_events",
        STEPS,
        EDGES,
        NODES,
        ORGANISATIONS,
        PLOTS,
    )
    fact_set = facts.FactSet(
        events="rm_trace_events",
        tables={"organisations": ORGANISATIONS, "plots": PLOTS},
        keep_envelope=lambda _: False,  # its steps say what it needs; positions dedupe
    )

    def ddl(self) -> list[str]:
        return [
            *facts.events_table_ddl("rm_trace_events"),
            f"""CREATE TABLE IF NOT EXISTS {STEPS} (
            batch_id uuid NOT NULL,
            version integer NOT NULL,
            position bigint NOT NULL,
            kind text NOT NULL,
            at timestamptz,
            recorded_at timestamptz,
            org_id uuid,
            to_id uuid,
            amount numeric,
            unit text,
            detail jsonb NOT NULL,
            PRIMARY KEY (batch_id, version))""",
            f"""CREATE TABLE IF NOT EXISTS {EDGES} (
            parent_id uuid NOT NULL,
            child_id uuid NOT NULL,
            transformation_id uuid NOT NULL,
            amount numeric,
            unit text,
            at timestamptz,
            recorded_at timestamptz,
            position bigint NOT NULL,
            PRIMARY KEY (parent_id, child_id, transformation_id))""",
            # The walk goes both ways, and the balance asks each transformation's flows.
            f"CREATE INDEX IF NOT EXISTS {EDGES}_child ON {EDGES} (child_id, parent_id)",
            f"CREATE INDEX IF NOT EXISTS {EDGES}_transformation ON {EDGES} (transformation_id)",
            f"""CREATE TABLE IF NOT EXISTS {NODES} (
            batch_id uuid PRIMARY KEY,
            code text NOT NULL,
            product text NOT NULL,
            holder_id uuid,
            producer_id uuid,
            in_transit_to uuid,
            status text NOT NULL,
            amount numeric,
            unit text NOT NULL,
            produced_amount numeric,
            produced_unit text,
            produced_at timestamptz,
            recorded_at timestamptz,
            recalled boolean NOT NULL,
            recall_origin text,
            gtin text,
            lot text,
            plot_ids uuid[] NOT NULL,
            harvested_on date,
            transformation_id uuid,
            step text,
            lost numeric NOT NULL,
            unexplained numeric NOT NULL,
            recovered numeric NOT NULL,
            parties uuid[] NOT NULL,
            last_position bigint NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {NODES}_code ON {NODES} (code)",
            f"CREATE INDEX IF NOT EXISTS {NODES}_label ON {NODES} (gtin, lot)",
            tables.organisations(ORGANISATIONS),
            f"""CREATE TABLE IF NOT EXISTS {PLOTS} (
            id uuid PRIMARY KEY,
            cooperative_id uuid NOT NULL,
            crop text NOT NULL,
            area_ha numeric NOT NULL,
            commune text NOT NULL,
            location jsonb NOT NULL,
            planting_area_code text)""",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        mine = [e for e in envelopes if is_batch(e) or e.aggregate_type in _KINDS]
        new = facts.record_new(conn, mine, self.fact_set)
        facts.store_facts(conn, [e for e in new if not is_batch(e)], self.fact_set)
        batches = [e for e in new if is_batch(e)]
        if not batches:
            return
        store_steps(conn, [step_of(e) for e in batches])
        store_edges(conn, [row for e in batches for row in edge_rows(e)])
        if materialize:
            compose_nodes(conn, {e.aggregate_id for e in batches})

    def finish(self, connect: Connect) -> int:
        with session(connect) as conn:
            ids = [str(r[0]) for r in conn.execute(f"SELECT DISTINCT batch_id FROM {STEPS}")]
        for chunk in tables.chunks(ids):
            with connect() as conn:
                compose_nodes(conn, chunk)
        return len(ids)


def edge_rows(envelope: Envelope) -> list[tuple[Any, ...]]:
    """The edges a ``Batch.Produced`` envelope implies (none for other events)."""
    if envelope.type != "Batch.Produced":
        return []
    step = step_of(envelope)
    p = envelope.payload
    rows = []
    for parent in p.get("parents") or []:
        amount, unit = quantity_of(parent)
        rows.append(
            (
                parent["batch_id"],
                envelope.aggregate_id,
                p["transformation_id"],
                amount,
                unit,
                step.at,
                step.recorded_at,
                envelope.position,
            )
        )
    return rows


def store_steps(conn: psycopg.Connection[Any], steps: Sequence[Step]) -> None:
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {STEPS} ({STEP_COLUMNS}) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [
                (
                    s.batch_id,
                    s.version,
                    s.position,
                    s.kind,
                    s.at,
                    s.recorded_at,
                    s.org_id,
                    s.to_id,
                    s.amount,
                    s.unit,
                    Jsonb(s.detail),
                )
                for s in steps
            ],
        )


def store_edges(conn: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {EDGES} (parent_id, child_id, transformation_id, amount, unit, at,"
            " recorded_at, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            rows,
        )


def id_array(ids: Collection[str]) -> str:
    """Ids as one PostgreSQL array literal (``'{…}'::uuid[]``): binding a Python list of
    10,000s of strings costs more than the query that uses them."""
    return "{" + ",".join(ids) + "}"


def read_steps(
    conn: psycopg.Connection[Any], batch_ids: Collection[str], where: str = "", **params: Any
) -> dict[str, list[Step]]:
    """The steps of these batches (``where``: more conditions on them, e.g. a date)."""
    rows = conn.execute(
        f"SELECT {STEP_COLUMNS} FROM {STEPS} WHERE batch_id = ANY(%(ids)s::uuid[]){where}",
        {"ids": id_array(batch_ids), **params},
    ).fetchall()
    found: dict[str, list[Step]] = {}
    for r in rows:
        step = Step(str(r[0]), r[1], r[2], r[3], r[4], r[5], _s(r[6]), _s(r[7]), r[8], r[9], r[10])
        found.setdefault(step.batch_id, []).append(step)
    return found


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def compose_nodes(conn: psycopg.Connection[Any], batch_ids: Collection[str]) -> None:
    """Folds these batches' steps into their ``rm_trace_nodes`` rows."""
    steps = read_steps(conn, batch_ids)
    rows = [node_row(s) for s in (fold(b, found) for b, found in steps.items()) if s.created]
    if not rows:
        return
    updates = ", ".join(
        f"{c} = excluded.{c}"
        for c in (x.strip() for x in NODE_COLUMNS.split(","))
        if c != "batch_id"
    )
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {NODES} ({NODE_COLUMNS}) VALUES ({', '.join(['%s'] * 26)})"
            f" ON CONFLICT (batch_id) DO UPDATE SET {updates}",
            rows,
        )


def node_row(s: NodeState) -> tuple[Any, ...]:
    return (
        s.batch_id,
        s.code,
        s.product,
        s.holder_id,
        s.producer_id,
        s.in_transit_to,
        s.status,
        s.amount,
        s.unit,
        s.produced_amount,
        s.produced_unit,
        s.produced_at,
        s.recorded_at,
        s.recalled,
        s.recall_origin,
        s.gtin,
        s.lot,
        s.plot_ids,
        s.harvested_on,
        s.transformation_id,
        s.step,
        s.lost,
        s.unexplained,
        s.recovered,
        sorted(s.parties),
        s.last_position,
    )
