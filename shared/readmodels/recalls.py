"""What staff see of recalls: each recall, who holds affected lots, who was told, what came back.

The interface both the recall projection (which fills it) and the staff pages (which show it)
keep to. Drills (mock recalls) are recalls with ``drill=True``: they appear here and on the
dashboard, never on a public page or in an export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import psycopg

from shared.readmodels.tracking import Connect, session
from shared.readmodels.units.recalls import HOLDERS, LOTS, NAMES, RECALLS, REPORTS
from shared.trace.graph import Amount


@dataclass(frozen=True)
class AffectedLot:
    """One lot a recall reaches, as its holder last reported it."""

    batch_id: str
    code: str
    product: str
    affected: Amount | None  # what the holder held when the recall opened (None: not published)
    withdrawn: Amount | None
    destroyed: Amount | None
    sold_before: Amount | None  # already sold to buyers before the recall: to be recovered


@dataclass(frozen=True)
class RecallHolder:
    """An organisation that holds (or held) affected lots, and where it stands with the recall."""

    organisation_id: str
    name: str
    lots: tuple[AffectedLot, ...]
    notified_at: datetime | None
    opened_at: datetime | None  # when one of its staff first opened the notice
    acknowledged_at: datetime | None
    accounted: bool  # every affected quantity withdrawn, destroyed or explained


@dataclass(frozen=True)
class RecallView:
    recall_id: str
    batch_id: str
    batch_code: str
    drill: bool
    state: str  # "open", "closed", "lifted"
    reason: str
    issued_by: str  # the organisation's id, or "province"
    issued_by_name: str
    opened_at: datetime
    closed_at: datetime | None
    lifted_at: datetime | None
    lift_reason: str | None
    holders: tuple[RecallHolder, ...]
    time_to_trace_ms: int | None  # drills: from the command to the holder list being known


class RecallReader(Protocol):
    """Read access to recalls; ``viewer`` None is provincial staff (everything)."""

    def recalls(
        self, *, viewer: UUID | None, include_drills: bool = True
    ) -> Sequence[RecallView]: ...

    def recall(self, recall_id: UUID, *, viewer: UUID | None) -> RecallView | None: ...

    def inbox(self, organisation_id: UUID) -> Sequence[RecallView]:
        """Open recalls (and drills) that reach the organisation's lots, newest first."""
        ...

    def unanswered(self, organisation_id: UUID) -> int:
        """How many open recalls (and drills) the organisation has not yet acknowledged."""
        ...


class PostgresRecallReader(RecallReader):
    """``RecallReader`` over the recalls projection's tables.

    Who sees what (ARCHITECTURE.md, "Who may read what"): provincial staff (``viewer`` None)
    every recall in full; the recall's issuer in full; a holder only its own part."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def recalls(self, *, viewer: UUID | None, include_drills: bool = True) -> Sequence[RecallView]:
        where, args = _visible(viewer)
        if not include_drills:
            where += " AND NOT r.drill"
        return self._views(where, args, viewer)

    def recall(self, recall_id: UUID, *, viewer: UUID | None) -> RecallView | None:
        where, args = _visible(viewer)
        found = self._views(where + " AND r.recall_id = %s", [*args, recall_id], viewer)
        return found[0] if found else None

    def inbox(self, organisation_id: UUID) -> Sequence[RecallView]:
        where = (
            f"r.lifted_at IS NULL AND r.closed_at IS NULL AND EXISTS (SELECT 1 FROM {HOLDERS} h"
            " WHERE h.recall_id = r.recall_id AND h.organisation_id = %s)"
        )
        return self._views(where, [organisation_id], organisation_id)

    def unanswered(self, organisation_id: UUID) -> int:
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT count(*) FROM {RECALLS} r JOIN {HOLDERS} h ON h.recall_id = r.recall_id"
                " WHERE h.organisation_id = %s AND h.acknowledged_at IS NULL"
                " AND r.lifted_at IS NULL AND r.closed_at IS NULL",
                [organisation_id],
            ).fetchone()
        return int(row[0]) if row else 0

    def _views(self, where: str, args: list[Any], viewer: UUID | None) -> list[RecallView]:
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT r.recall_id, r.batch_id, r.batch_code, r.drill, r.reason, r.issued_by,"
                " n.name, r.opened_at, r.closed_at, r.lifted_at, r.lift_reason,"
                f" r.time_to_trace_ms FROM {RECALLS} r LEFT JOIN {NAMES} n ON n.id = r.issued_by"
                f" WHERE {where} ORDER BY r.opened_at DESC, r.recall_id",
                args,
            ).fetchall()
            ids = [row[0] for row in rows]
            holders = _holders(conn, ids)
        views = []
        for row in rows:
            (rid, batch_id, code, drill, reason, issued_by, issuer_name) = row[:7]
            (opened_at, closed_at, lifted_at, lift_reason, ttt) = row[7:]
            shown = holders.get(rid, [])
            if viewer is not None and viewer != issued_by:
                shown = [h for h in shown if h.organisation_id == str(viewer)]
            views.append(
                RecallView(
                    recall_id=str(rid),
                    batch_id=str(batch_id),
                    batch_code=code,
                    drill=drill,
                    state="lifted" if lifted_at else ("closed" if closed_at else "open"),
                    reason=reason,
                    issued_by=str(issued_by) if issued_by else "province",
                    issued_by_name=issuer_name or ("province" if issued_by is None else ""),
                    opened_at=opened_at,
                    closed_at=closed_at,
                    lifted_at=lifted_at,
                    lift_reason=lift_reason,
                    holders=tuple(shown),
                    time_to_trace_ms=ttt if drill else None,
                )
            )
        return views


def _visible(viewer: UUID | None) -> tuple[str, list[Any]]:
    if viewer is None:
        return "TRUE", []
    return (
        f"(r.issued_by = %s OR EXISTS (SELECT 1 FROM {HOLDERS} h"
        " WHERE h.recall_id = r.recall_id AND h.organisation_id = %s))",
        [viewer, viewer],
    )


def _holders(conn: psycopg.Connection[Any], ids: list[Any]) -> dict[Any, list[RecallHolder]]:
    lots: dict[tuple[Any, Any], list[AffectedLot]] = {}
    accounted: dict[tuple[Any, Any], bool] = {}
    for (
        rid,
        holder,
        batch_id,
        code,
        product,
        status,
        amount,
        unit,
        withdrawn,
        destroyed,
    ) in conn.execute(
        "SELECT l.recall_id, l.holder_id, l.batch_id, l.code, l.product, l.status, l.amount,"
        " l.unit, coalesce(sum(p.withdrawn), 0), coalesce(sum(p.destroyed), 0)"
        f" FROM {LOTS} l LEFT JOIN {REPORTS} p"
        " ON p.recall_id = l.recall_id AND p.batch_id = l.batch_id"
        " WHERE l.recall_id = ANY(%s) GROUP BY l.recall_id, l.holder_id, l.batch_id"
        " ORDER BY l.code",
        (ids,),
    ).fetchall():
        key = (rid, holder)
        sold = status in ("sold", "consumed")
        lots.setdefault(key, []).append(
            AffectedLot(
                batch_id=str(batch_id),
                code=code,
                product=product,
                affected=Amount(amount, unit),
                withdrawn=Amount(withdrawn, unit) if withdrawn else None,
                destroyed=Amount(destroyed, unit) if destroyed else None,
                sold_before=Amount(amount, unit) if sold else None,
            )
        )
        accounted[key] = accounted.get(key, True) and withdrawn + destroyed >= amount
    found: dict[Any, list[RecallHolder]] = {}
    for rid, organisation_id, name, notified_at, opened_at, acknowledged_at in conn.execute(
        f"SELECT h.recall_id, h.organisation_id, coalesce(n.name, ''), h.notified_at,"
        f" h.opened_at, h.acknowledged_at FROM {HOLDERS} h LEFT JOIN {NAMES} n"
        " ON n.id = h.organisation_id WHERE h.recall_id = ANY(%s)"
        " ORDER BY n.name, h.organisation_id",
        (ids,),
    ).fetchall():
        key = (rid, organisation_id)
        found.setdefault(rid, []).append(
            RecallHolder(
                organisation_id=str(organisation_id),
                name=name,
                lots=tuple(lots.get(key, ())),
                notified_at=notified_at,
                opened_at=opened_at,
                acknowledged_at=acknowledged_at,
                accounted=accounted.get(key, True),
            )
        )
    return found
