"""Re-materializes the documents (provenance) and catalogue rows a page of new events affects.

Affected by a batch event: the batch and every descendant (a recall, or any event before the
cut, reaches them; see :mod:`shared.readmodels.journey`). Affected by an event about an
organisation, plot or chain: the documents built from it, known or not yet known at the
time, as recorded in ``rm_document_refs``. Documents are written only when they changed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

import psycopg

from shared.readmodels import snapshot as snapshots
from shared.readmodels.batch_state import BatchState
from shared.readmodels.events import is_batch
from shared.readmodels.lineage import descendants_and_self
from shared.readmodels.provenance import Composed, compose
from shared.wire.envelope import Envelope

_STAGE_DOCUMENTS = """CREATE TEMP TABLE IF NOT EXISTS rm_staged_documents (batch_id uuid,
    code text, gtin text, lot text, document_text text, last_position bigint)
    ON COMMIT DELETE ROWS"""
_STAGE_BATCHES = (
    "CREATE TEMP TABLE IF NOT EXISTS rm_staged_batches (LIKE rm_batches) ON COMMIT DELETE ROWS"
)

_UPSERT_DOCUMENTS = """
INSERT INTO rm_provenance (batch_id, code, gtin, lot, document, last_position)
SELECT batch_id, code, gtin, lot, document_text::jsonb, last_position FROM rm_staged_documents
ON CONFLICT (batch_id) DO UPDATE SET code = excluded.code, gtin = excluded.gtin,
    lot = excluded.lot, document = excluded.document, last_position = excluded.last_position
WHERE rm_provenance.document IS DISTINCT FROM excluded.document"""

_BATCH_CONFLICT = """
ON CONFLICT (batch_id) DO UPDATE SET code = excluded.code, commodity = excluded.commodity,
    variety = excluded.variety, quantity = excluded.quantity, unit = excluded.unit,
    status = excluded.status, holder_id = excluded.holder_id, recalled = excluded.recalled,
    gtin = excluded.gtin, lot = excluded.lot, last_position = excluded.last_position
WHERE (rm_batches.*) IS DISTINCT FROM (excluded.*)"""
_UPSERT_BATCHES = "INSERT INTO rm_batches SELECT * FROM rm_staged_batches" + _BATCH_CONFLICT
# Live traffic changes a few rows at a time: one statement, the rows bound as arrays.
_UPSERT_FEW_BATCHES = (
    "INSERT INTO rm_batches SELECT * FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[],"
    " %s::numeric[], %s::text[], %s::text[], %s::uuid[], %s::boolean[], %s::text[], %s::text[],"
    " %s::bigint[])" + _BATCH_CONFLICT
)
_FEW = 64

_DOCUMENT_COLUMNS = "batch_id, code, gtin, lot, document_text, last_position"
_BATCH_COLUMNS = (
    "batch_id, code, commodity, variety, quantity, unit, status, holder_id, recalled, gtin, lot,"
    " last_position"
)


def affected(conn: psycopg.Connection[Any], envelopes: Sequence[Envelope]) -> set[str]:
    batches = {e.aggregate_id for e in envelopes if is_batch(e)}
    others = list({e.aggregate_id for e in envelopes if not is_batch(e)})
    if others:
        rows = conn.execute(
            "SELECT DISTINCT batch_id FROM rm_document_refs WHERE ref_id = ANY(%s::uuid[])",
            (others,),
        ).fetchall()
        batches.update(str(r[0]) for r in rows)
    return descendants_and_self(conn, batches) if batches else set()


def materialize(
    conn: psycopg.Connection[Any], batch_ids: Collection[str], today: date, *, fresh: bool = False
) -> int:
    """Re-composes and stores the documents of ``batch_ids``; returns how many exist.

    ``fresh``: none of them has a document yet (the end of a rebuild), so
    the rows are copied straight into their tables.
    """
    if not batch_ids:
        return 0
    composed = documents(snapshots.load(conn, batch_ids), batch_ids, today)
    (_insert if fresh else _write)(conn, composed)
    return len(composed)


def documents(
    snapshot: snapshots.Snapshot, batch_ids: Collection[str], today: date
) -> list[Composed]:
    """The documents of ``batch_ids`` composed from ``snapshot``: Python's work, no query."""
    return [c for c in (compose(b, snapshot, today) for b in sorted(batch_ids)) if c]


def insert_documents(conn: psycopg.Connection[Any], composed: Sequence[Composed]) -> None:
    """The end of a rebuild: none of these documents exists yet."""
    _insert(conn, composed)


def _insert(conn: psycopg.Connection[Any], composed: Sequence[Composed]) -> None:
    with conn.cursor() as cursor:
        columns = _DOCUMENT_COLUMNS.replace("document_text", "document")
        _copy(cursor, f"rm_provenance ({columns})", map(_document_row, composed))
        refs = ((ref, c.state.batch_id) for c in composed for ref in sorted(c.refs))
        _copy(cursor, "rm_document_refs (ref_id, batch_id)", refs)


def _write(conn: psycopg.Connection[Any], composed: Sequence[Composed]) -> None:
    """Stages the rows with COPY, then upserts them set-wise (fast for a rebuild's pages)."""
    if not composed:
        return
    ids = [c.state.batch_id for c in composed]
    with conn.cursor() as cursor:
        cursor.execute(_STAGE_DOCUMENTS)
        _copy(cursor, f"rm_staged_documents ({_DOCUMENT_COLUMNS})", map(_document_row, composed))
        cursor.execute(_UPSERT_DOCUMENTS)
        cursor.execute("DELETE FROM rm_document_refs WHERE batch_id = ANY(%s::uuid[])", (ids,))
        refs = ((ref, c.state.batch_id) for c in composed for ref in sorted(c.refs))
        _copy(cursor, "rm_document_refs (ref_id, batch_id)", refs)
        cursor.execute("DELETE FROM rm_staged_documents")


def write_catalogue(conn: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    """Upserts catalogue rows (``batch_row``), writing only those that changed."""
    if not rows:
        return
    if len(rows) <= _FEW:
        conn.execute(_UPSERT_FEW_BATCHES, [list(c) for c in zip(*rows, strict=True)])
        return
    with conn.cursor() as cursor:
        cursor.execute(_STAGE_BATCHES)
        _copy(cursor, f"rm_staged_batches ({_BATCH_COLUMNS})", rows)
        cursor.execute(_UPSERT_BATCHES)
        cursor.execute("DELETE FROM rm_staged_batches")


def insert_catalogue(conn: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    """The end of a catalogue rebuild: none of these rows exists yet."""
    with conn.cursor() as cursor:
        _copy(cursor, f"rm_batches ({_BATCH_COLUMNS})", rows)


def _copy(cursor: psycopg.Cursor[Any], target: str, rows: Iterable[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _document_row(c: Composed) -> tuple[Any, ...]:
    d = c.document
    text = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    return (d["batch_id"], d["code"], d["gtin"], d["lot"], text, d["last_position"])


def batch_row(s: BatchState, *, recalled: bool, last: int) -> tuple[Any, ...]:
    """A catalogue row: ``recalled`` itself or through an ancestor; ``last`` its journey's end."""
    return (
        s.batch_id,
        s.code,
        s.commodity,
        s.variety,
        s.quantity.amount,
        s.quantity.unit.value,
        s.status,
        s.holder_id,
        recalled,
        s.gtin,
        s.lot,
        last,
    )
