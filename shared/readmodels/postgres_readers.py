"""The PostgreSQL implementations of the web's ``ProvenanceReader`` and capture's
``BatchCatalogue``, over the tables the projections maintain.

Both wait by position through a ``Waiter``: ``PositionWaiter`` in embedded mode,
``KafkaWaiter(topic, group)`` in production.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast
from uuid import UUID

from psycopg import sql

from shared.domain.clock import today_in_vietnam
from shared.readmodels.catalogue import BatchCatalogue, BatchSummary
from shared.readmodels.certifications import refresh_validity
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.events import BatchEvent
from shared.readmodels.journey import journey
from shared.readmodels.lineage import ancestors_and_self, edges_into
from shared.readmodels.provenance import digest
from shared.readmodels.reader import (
    GTIN_LOTS_SHOWN,
    GtinProduct,
    ProvenanceReader,
    gtin_product,
)
from shared.readmodels.tracking import Connect, Waiter, session


class PostgresProvenanceReader(ProvenanceReader):
    def __init__(
        self, connect: Connect, waiter: Waiter, today: Callable[[], date] = today_in_vietnam
    ) -> None:
        self._connect = connect
        self._waiter = waiter
        self._today = today

    def by_code(self, code: str) -> ProvenanceDocument | None:
        return self._one("SELECT document FROM rm_provenance WHERE code = %s", (code,))

    def by_gtin_lot(self, gtin14: str, lot: str) -> ProvenanceDocument | None:
        # The domain does not (yet) stop two batches sharing a GTIN and lot: the latest wins.
        return self._one(
            "SELECT document FROM rm_provenance WHERE gtin = %s AND lot = %s"
            " ORDER BY last_position DESC, code LIMIT 1",
            (gtin14, lot),
        )

    def by_gtin(self, gtin14: str) -> GtinProduct | None:
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT document FROM rm_provenance WHERE gtin = %s"
                " ORDER BY last_position DESC, code LIMIT %s",
                (gtin14, GTIN_LOTS_SHOWN),
            ).fetchall()
        return gtin_product(gtin14, (cast(ProvenanceDocument, row[0]) for row in rows))

    def wait_for(self, position: int, timeout: float) -> bool:
        return self._waiter.wait_for(position, timeout)

    def event_digests(self, code: str) -> list[dict[str, Any]] | None:
        """What the fingerprint covers, publicly: ``position``, ``type``, ``digest`` per event.

        See :mod:`shared.readmodels.provenance` for how the digests make the fingerprint.
        """
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT batch_id FROM rm_batches WHERE code = %s", (code,)
            ).fetchone()
            if row is None:
                return None
            batch_id = str(row[0])
            closure = ancestors_and_self(conn, [batch_id])
            parents: dict[str, list[Any]] = {}
            for edge in edges_into(conn, closure):
                parents.setdefault(edge.child_id, []).append(edge)
            rows = conn.execute(
                "SELECT envelope FROM rm_events WHERE aggregate_id = ANY(%s::uuid[])"
                " AND envelope IS NOT NULL ORDER BY position",
                (list(closure),),
            ).fetchall()
        events: dict[str, list[BatchEvent]] = {}
        for (canonical,) in rows:
            event = BatchEvent.from_canonical(canonical)
            events.setdefault(event.batch_id, []).append(event)
        covered, _ = journey(batch_id, events, parents)
        return [
            {"position": e.position, "type": f"Batch.{e.name}", "digest": digest(e.canonical)}
            for e in covered
        ]

    def _one(self, query: str, params: tuple[Any, ...]) -> ProvenanceDocument | None:
        with session(self._connect) as conn:
            row = conn.execute(query, params).fetchone()
        if row is None:
            return None
        return refresh_validity(cast(ProvenanceDocument, row[0]), self._today())


class PostgresBatchCatalogue(BatchCatalogue):
    """Keyset pagination by code: each page starts after the last code of the previous one."""

    def __init__(self, connect: Connect, waiter: Waiter) -> None:
        self._connect = connect
        self._waiter = waiter

    def search(
        self,
        holder_id: UUID | None,
        commodity: str | None,
        status: str | None,
        limit: int,
        after_code: str | None,
    ) -> list[BatchSummary]:
        conditions = []
        params: list[Any] = []
        for column, value in (
            ("holder_id", holder_id),
            ("commodity", commodity),
            ("status", status),
            ("code", after_code),
        ):
            if value is not None:
                operator = ">" if column == "code" else "="
                conditions.append(
                    sql.SQL("{} {} %s").format(sql.Identifier(column), sql.SQL(operator))
                )
                params.append(value)
        where = sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("true")
        query = sql.SQL(
            "SELECT batch_id, code, commodity, variety, quantity, unit, status, holder_id,"
            " recalled, gtin, lot, last_position FROM rm_batches WHERE {} ORDER BY code LIMIT %s"
        ).format(where)
        params.append(max(0, limit))
        with session(self._connect) as conn:
            rows = conn.execute(query, params).fetchall()
        return [_summary(row) for row in rows]

    def wait_for(self, position: int, timeout: float) -> bool:
        return self._waiter.wait_for(position, timeout)


def _summary(row: tuple[Any, ...]) -> BatchSummary:
    (
        batch_id,
        code,
        commodity,
        variety,
        quantity,
        unit,
        status,
        holder,
        recalled,
        gtin,
        lot,
        last,
    ) = row
    return BatchSummary(
        batch_id=str(batch_id),
        code=code,
        commodity=commodity,
        variety=variety,
        quantity=str(quantity),
        unit=unit,
        status=status,
        holder_id=str(holder) if holder else None,
        recalled=bool(recalled),
        gtin=gtin,
        lot=lot,
        last_position=int(last),
    )
