"""What the FSMA 204 and EUDR exports are made of, read from the provenance projection's facts.

Why provenance's tables: they are the one read model that keeps every batch event whole
(``rm_events``, the canonical envelopes, with their business times, transport documents and
quantities), the lineage (``rm_provenance_edges``), the organisations with their addresses and
whether they publish quantities, and the plots with their geometry but without any household
(``rm_plots``), and the GLNs registered for organisations and plots (``rm_glns``). One
projection's tables are consistent with each other, so an export never
mixes two projections' progress. The readers return plain data; ``shared.exports`` turns it
into rows and files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row

from shared.domain.errors import NotFound, NotPermitted
from shared.readmodels.lineage import JOURNEY_EDGES
from shared.records.unit_of_work import batch_id_from

ConnectionFactory = Callable[[], AbstractContextManager[Any]]


@dataclass(frozen=True)
class BatchEvent:
    """One batch event as recorded: its type without the ``Batch.`` prefix, and its facts."""

    position: int
    batch_id: str
    version: int
    kind: str  # "Harvested", "Shipped", ...
    payload: dict[str, Any]


@dataclass(frozen=True)
class Organisation:
    id: str
    kind: str
    name: str
    address: str | None
    commune: str
    province: str
    publish_quantities: bool
    gln: str | None = None  # its party GLN, once registered: its premises' location identifier


@dataclass(frozen=True)
class Plot:
    """A plot as the read model keeps it: no household, ever."""

    id: str
    cooperative_id: str
    crop: str
    area_ha: Decimal
    commune: str
    location: dict[str, Any]
    planting_area_code: str | None
    gln: str | None = None  # once its cooperative registered one for it


@dataclass(frozen=True)
class LotFacts:
    """The events of the batches an export covers, and who and where they speak of."""

    requested: tuple[str, ...]  # the batch ids asked for (empty: a date range alone)
    events: tuple[BatchEvent, ...]  # in position order
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)  # batch → its ancestors
    organisations: dict[str, Organisation] = field(default_factory=dict)
    plots: dict[str, Plot] = field(default_factory=dict)


# The batch, its ancestors and its descendants: two walks, one statement.
_LINEAGE = f"""
WITH RECURSIVE up(batch_id) AS (
    SELECT %(start)s::uuid
  UNION
    SELECT l.parent_id FROM {JOURNEY_EDGES} l JOIN up ON l.child_id = up.batch_id
), down(batch_id) AS (
    SELECT %(start)s::uuid
  UNION
    SELECT l.child_id FROM {JOURNEY_EDGES} l JOIN down ON l.parent_id = down.batch_id
) SELECT batch_id FROM up UNION SELECT batch_id FROM down"""


class ExportReader:
    """Reads the facts of a lot's lineage (or of a date range) from provenance's tables."""

    def __init__(self, connect: ConnectionFactory) -> None:
        self._connect = connect

    def for_lot(self, lot: str, gtin: str | None, organisation_id: str | None) -> LotFacts:
        """A lot's lineage, if the asker may export it: provincial staff (``None``) any lot,
        an organisation one it holds, held or was sent (the trace's rule)."""
        batch_id = self._batch_of(lot, gtin)
        facts = self.lineage(batch_id)
        if organisation_id is not None and organisation_id not in _parties(facts, str(batch_id)):
            msg = "an organisation exports only the lots it holds, held or was sent"
            raise NotPermitted(msg, code="export_not_a_party", params={"lot": lot})
        return facts

    def _batch_of(self, lot: str, gtin: str | None) -> UUID:
        if gtin is not None:
            found = self.batch_by_gtin_lot(gtin, lot)
            if found is None:
                msg = f"no lot {lot} of GTIN {gtin}: check both"
                raise NotFound(msg, code="gtin_lot_not_found", params={"gtin": gtin, "lot": lot})
            return UUID(found)
        batch_id = batch_id_from(lot)
        if not self.known(batch_id):
            msg = f"no batch {lot}: check the code (e.g. TH-2026-000123) or the id"
            raise NotFound(msg, params={"id": lot})
        return batch_id

    def batch_by_gtin_lot(self, gtin: str, lot: str) -> str | None:
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    "SELECT batch_id FROM rm_provenance WHERE gtin = %s AND lot = %s ORDER BY code"
                    " LIMIT 1",
                    (gtin, lot),
                )
                .fetchone()
            )
        return None if row is None else str(row[0])

    def known(self, batch_id: UUID) -> bool:
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    "SELECT 1 FROM rm_events WHERE aggregate_id = %s AND type IN"
                    " ('Batch.Harvested', 'Batch.Produced') LIMIT 1",
                    (batch_id,),
                )
                .fetchone()
            )
        return row is not None

    def lineage(self, batch_id: UUID) -> LotFacts:
        """The batch, everything it came from and everything made of it."""
        with self._connect() as conn:
            cursor = conn.cursor(row_factory=tuple_row)
            rows = cursor.execute(_LINEAGE, {"start": batch_id}).fetchall()
            return self._facts(cursor, (str(batch_id),), {str(r[0]) for r in rows})

    def active_between(self, first: date, last: date) -> LotFacts:
        """Every batch with an event whose business date falls in the range (a coarse cut
        by UTC date, a day either side; the rows are cut exactly by Vietnam's date later)."""
        with self._connect() as conn:
            cursor = conn.cursor(row_factory=tuple_row)
            rows = cursor.execute(
                "SELECT DISTINCT aggregate_id FROM rm_events WHERE type LIKE 'Batch.%%'"
                " AND envelope IS NOT NULL AND (envelope::jsonb #>> '{payload,at}')::date"
                " BETWEEN %s::date - 1 AND %s::date + 1",
                (first, last),
            ).fetchall()
            return self._facts(cursor, (), {str(r[0]) for r in rows})

    def _facts(self, conn: Any, requested: tuple[str, ...], ids: Collection[str]) -> LotFacts:
        events = tuple(
            BatchEvent(
                int(r[0]),
                str(r[1]),
                int(r[2]),
                r[3].removeprefix("Batch."),
                json.loads(r[4])["payload"],
            )
            for r in conn.execute(
                "SELECT position, aggregate_id, aggregate_version, type, envelope FROM rm_events"
                " WHERE aggregate_id = ANY(%s::uuid[]) AND type LIKE 'Batch.%%'"
                " AND envelope IS NOT NULL ORDER BY position",
                (list(ids),),
            ).fetchall()
        )
        ancestors = _ancestry(conn, ids)
        party_ids = {
            str(value)
            for event in events
            for key in ("holder_id", "by", "to")
            if (value := event.payload.get(key))
        }
        plot_ids = {str(p) for e in events if e.kind == "Harvested" for p in e.payload["plot_ids"]}
        plots = {
            str(r[0]): Plot(str(r[0]), str(r[1]), r[2], Decimal(r[3]), r[4], r[5], r[6], r[7])
            for r in conn.execute(
                "SELECT id, cooperative_id, crop, area_ha, commune, location, planting_area_code,"
                " (SELECT gln FROM rm_glns g WHERE g.plot_id = p.id ORDER BY position LIMIT 1)"
                " FROM rm_plots p WHERE id = ANY(%s::uuid[])",
                (list(plot_ids),),
            ).fetchall()
        }
        party_ids |= {p.cooperative_id for p in plots.values()}
        organisations = {
            str(r[0]): Organisation(str(r[0]), r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])
            for r in conn.execute(
                "SELECT id, kind, name, address, commune, province, publish_quantities,"
                " (SELECT gln FROM rm_glns g WHERE g.owner_id = o.id AND g.plot_id IS NULL"
                " ORDER BY position LIMIT 1)"
                " FROM rm_organisations o WHERE id = ANY(%s::uuid[])",
                (list(party_ids),),
            ).fetchall()
        }
        return LotFacts(requested, events, ancestors, organisations, plots)


def _ancestry(conn: Any, ids: Collection[str]) -> dict[str, frozenset[str]]:
    """Each batch's ancestors (itself excluded), from one walk up over all of them."""
    rows = conn.execute(
        f"""WITH RECURSIVE up(batch_id, ancestor) AS (
            SELECT child_id, parent_id FROM {JOURNEY_EDGES} WHERE child_id = ANY(%s::uuid[])
          UNION
            SELECT up.batch_id, l.parent_id FROM {JOURNEY_EDGES} l JOIN up
            ON l.child_id = up.ancestor
        ) SELECT batch_id, array_agg(ancestor) FROM up GROUP BY batch_id""",
        (list(ids),),
    ).fetchall()
    return {str(r[0]): frozenset(str(a) for a in r[1]) for r in rows}


def _parties(facts: LotFacts, batch_id: str) -> set[str]:
    """Who held the batch, acted on it or was sent it."""
    found: set[str] = set()
    for event in facts.events:
        if event.batch_id == batch_id:
            payload = event.payload
            found |= {str(payload[k]) for k in ("holder_id", "by", "to") if payload.get(k)}
    return found
