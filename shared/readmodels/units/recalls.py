"""The recalls projection: each recall (and drill), the lots it reaches, their holders' steps.

It reads only ``Recall.*`` events and the names of organisations (its own copy, like every
projection here). Every row is keyed by the event that wrote it (a report by its position), so
applying an envelope twice changes nothing; sums are taken when read
(:class:`shared.readmodels.recalls.PostgresRecallReader`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg

from shared.domain.quantities import Quantity
from shared.readmodels.projection import Projection
from shared.wire.envelope import Envelope

RECALLS = "rm_recalls"
LOTS = "rm_recall_lots"
HOLDERS = "rm_recall_holders"
REPORTS = "rm_recall_reports"
NAMES = "rm_recall_organisations"


class RecallsProjection(Projection):
    """Recalls for staff: who holds what, who was told and opened it, what came back."""

    name: ClassVar[str] = "recalls"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = (RECALLS, LOTS, HOLDERS, REPORTS, NAMES)

    def ddl(self) -> list[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {RECALLS} (
            recall_id uuid PRIMARY KEY,
            batch_id uuid NOT NULL,
            batch_code text NOT NULL,
            drill boolean NOT NULL,
            reason text NOT NULL,
            issued_by uuid,
            opened_at timestamptz NOT NULL,
            closed_at timestamptz,
            lifted_at timestamptz,
            lift_reason text,
            time_to_trace_ms integer NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {LOTS} (
            recall_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            code text NOT NULL,
            product text NOT NULL,
            holder_id uuid NOT NULL,
            status text NOT NULL,
            amount numeric NOT NULL,
            unit text NOT NULL,
            PRIMARY KEY (recall_id, batch_id))""",
            f"CREATE INDEX IF NOT EXISTS {LOTS}_holder ON {LOTS} (holder_id)",
            f"""CREATE TABLE IF NOT EXISTS {HOLDERS} (
            recall_id uuid NOT NULL,
            organisation_id uuid NOT NULL,
            notified_at timestamptz NOT NULL,
            opened_at timestamptz,
            acknowledged_at timestamptz,
            PRIMARY KEY (recall_id, organisation_id))""",
            # In the lot's unit: the domain refuses a report that does not convert to it.
            f"""CREATE TABLE IF NOT EXISTS {REPORTS} (
            position bigint PRIMARY KEY,
            recall_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            withdrawn numeric NOT NULL,
            destroyed numeric NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {REPORTS}_recall ON {REPORTS} (recall_id)",
            f"""CREATE TABLE IF NOT EXISTS {NAMES} (
            id uuid PRIMARY KEY,
            name text NOT NULL)""",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        for e in envelopes:
            handler = _HANDLERS.get(e.type)
            if handler is not None:
                handler(conn, e)


def _named(conn: psycopg.Connection[Any], e: Envelope) -> None:
    conn.execute(
        f"INSERT INTO {NAMES} (id, name) VALUES (%s, %s)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        (e.aggregate_id, e.payload["name"]),
    )


def _opened(conn: psycopg.Connection[Any], e: Envelope) -> None:
    p = e.payload
    conn.execute(
        f"INSERT INTO {RECALLS} (recall_id, batch_id, batch_code, drill, reason, issued_by,"
        " opened_at, time_to_trace_ms) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (recall_id) DO NOTHING",
        (
            e.aggregate_id,
            p["batch_id"],
            p["batch_code"],
            p["drill"],
            p["reason"],
            p["issued_by"],
            p["at"],
            p["time_to_trace_ms"],
        ),
    )
    for lot in p["lots"]:
        conn.execute(
            f"INSERT INTO {LOTS} (recall_id, batch_id, code, product, holder_id, status, amount,"
            " unit) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                e.aggregate_id,
                lot["batch_id"],
                lot["code"],
                lot["product"],
                lot["holder_id"],
                lot["status"],
                lot["amount"],
                lot["unit"],
            ),
        )
    # Every holder is notified the moment the recall opens (its inbox lists it from then on).
    for holder in sorted({lot["holder_id"] for lot in p["lots"]}):
        conn.execute(
            f"INSERT INTO {HOLDERS} (recall_id, organisation_id, notified_at)"
            " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (e.aggregate_id, holder, p["at"]),
        )


def _holder_step(column: str) -> Any:
    def step(conn: psycopg.Connection[Any], e: Envelope) -> None:
        conn.execute(
            f"UPDATE {HOLDERS} SET {column} = coalesce({column}, %s)"
            " WHERE recall_id = %s AND organisation_id = %s",
            (e.payload["at"], e.aggregate_id, e.payload["organisation_id"]),
        )

    return step


def _reported(conn: psycopg.Connection[Any], e: Envelope) -> None:
    p = e.payload
    row = conn.execute(
        f"SELECT unit FROM {LOTS} WHERE recall_id = %s AND batch_id = %s",
        (e.aggregate_id, p["batch_id"]),
    ).fetchone()
    if row is None:
        return
    lot_unit = Quantity.of("0", str(row[0])).unit

    def amount(part: dict[str, str] | None) -> Any:
        return Quantity.from_dict(part).to(lot_unit).amount if part else 0

    conn.execute(
        f"INSERT INTO {REPORTS} (position, recall_id, batch_id, withdrawn, destroyed)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (e.position, e.aggregate_id, p["batch_id"], amount(p["withdrawn"]), amount(p["destroyed"])),
    )


def _closed(conn: psycopg.Connection[Any], e: Envelope) -> None:
    conn.execute(
        f"UPDATE {RECALLS} SET closed_at = coalesce(closed_at, %s) WHERE recall_id = %s",
        (e.payload["at"], e.aggregate_id),
    )


def _lifted(conn: psycopg.Connection[Any], e: Envelope) -> None:
    conn.execute(
        f"UPDATE {RECALLS} SET lifted_at = coalesce(lifted_at, %s), lift_reason = %s"
        " WHERE recall_id = %s",
        (e.payload["at"], e.payload["reason"], e.aggregate_id),
    )


_HANDLERS = {
    "Cooperative.Registered": _named,
    "Enterprise.Registered": _named,
    "Recall.Opened": _opened,
    "Recall.NoticeOpened": _holder_step("opened_at"),
    "Recall.Acknowledged": _holder_step("acknowledged_at"),
    "Recall.Reported": _reported,
    "Recall.Closed": _closed,
    "Recall.Lifted": _lifted,
}
