"""Named policy ``quarantine-unappliable``: one event a projection cannot apply never stops it.

An event the projection cannot apply (a value its table cannot hold, a payload it does not
understand) is set aside in ``rm_quarantine`` with its position, aggregate, type, error and
time, together with every later event of the same aggregate: they queue behind it, since their
aggregate's state would be wrong without it. The batch is first tried whole inside a savepoint;
if it fails, each event gets its own savepoint, so one bad event does not roll back its
batch-mates. The projection goes on with the rest and re-derives what depends on the
quarantined aggregates (:meth:`Projection.touch`: their documents say "record incomplete").

A lost connection is not a bad event (``TRANSIENT``): it is re-raised and nothing of the batch
is stored. ``retry`` re-applies the quarantined events in position order once the cause is
fixed, and removes each that applies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import psycopg

from shared.readmodels.events import canonical_json
from shared.readmodels.projection import Projection
from shared.wire.envelope import Envelope

log = logging.getLogger(__name__)

TRANSIENT = (psycopg.OperationalError, psycopg.InterfaceError)
"""Errors of the connection, not of the event: never a reason to quarantine."""
QUEUED = "queued behind an earlier quarantined event"


@dataclass(frozen=True)
class Quarantined:
    projection: str
    position: int
    aggregate_id: str
    type: str
    error: str


def apply_or_quarantine(
    conn: psycopg.Connection[Any],
    projection: Projection,
    envelopes: list[Envelope],
    *,
    materialize: bool,
    check_queue: bool,
) -> None:
    """Applies ``envelopes`` (position order), setting aside what cannot be applied.

    ``check_queue``: the projection has quarantined events, so some of these may queue.
    """
    ids = {e.aggregate_id for e in envelopes}
    first = _first_quarantined(conn, projection.name, ids) if check_queue else {}
    # A quarantined event delivered again stays where it is, and its aggregate's later events
    # queue behind it. An earlier one delivered again (Kafka redelivers) was applied before,
    # and applying it again is a no-op.
    queued = [e for e in envelopes if e.position >= first.get(e.aggregate_id, e.position + 1)]
    waiting = {e.position for e in queued}
    rest = [e for e in envelopes if e.position not in waiting]
    for envelope in queued:
        _set_aside(conn, projection.name, envelope, QUEUED)
    blocked = set(first)
    try:
        with conn.transaction():  # a savepoint: a failure costs only this attempt
            projection.apply(conn, rest, materialize=materialize)
    except TRANSIENT:
        raise
    except Exception:
        log.warning("projection %s: a batch failed; applying it event by event", projection.name)
        blocked |= _one_by_one(conn, projection, rest, materialize=materialize)
    if materialize and (queued or blocked):
        projection.touch(conn, blocked)


def retry(conn: psycopg.Connection[Any], projection: Projection) -> tuple[int, int]:
    """Re-applies the quarantined events in position order: (applied, still quarantined).

    An event that applies now leaves the quarantine; one that fails again keeps it, with its
    new error, and so do the later events of its aggregate, which stay queued behind it.
    """
    rows = conn.execute(
        "SELECT position, aggregate_id, envelope FROM rm_quarantine"
        " WHERE projection = %s ORDER BY position",
        (projection.name,),
    ).fetchall()
    applied = 0
    blocked: set[str] = set()
    for position, aggregate_id, text in rows:
        if str(aggregate_id) in blocked:
            continue
        try:
            with conn.transaction():
                conn.execute(
                    "DELETE FROM rm_quarantine WHERE projection = %s AND position = %s",
                    (projection.name, position),
                )
                projection.apply(conn, [Envelope.from_json(text)], materialize=True)
            applied += 1
        except TRANSIENT:
            raise
        except Exception as error:
            blocked.add(str(aggregate_id))
            conn.execute(
                "UPDATE rm_quarantine SET error = %s, quarantined_at = now()"
                " WHERE projection = %s AND position = %s",
                (describe(error), projection.name, position),
            )
    projection.touch(conn, {str(r[1]) for r in rows})
    log.info("projection %s: %d quarantined events applied", projection.name, applied)
    return applied, len(rows) - applied


def listed(conn: psycopg.Connection[Any], name: str) -> list[Quarantined]:
    rows = conn.execute(
        "SELECT projection, position, aggregate_id, type, error FROM rm_quarantine"
        " WHERE projection = %s ORDER BY position",
        (name,),
    ).fetchall()
    return [Quarantined(r[0], int(r[1]), str(r[2]), r[3], r[4]) for r in rows]


def describe(error: BaseException) -> str:
    """The error class and its first line: enough to find the cause, short enough to list."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def _one_by_one(
    conn: psycopg.Connection[Any],
    projection: Projection,
    envelopes: list[Envelope],
    *,
    materialize: bool,
) -> set[str]:
    bad: set[str] = set()
    for envelope in envelopes:
        if envelope.aggregate_id in bad:
            _set_aside(conn, projection.name, envelope, QUEUED)
            continue
        try:
            with conn.transaction():
                projection.apply(conn, [envelope], materialize=materialize)
        except TRANSIENT:
            raise
        except Exception as error:
            bad.add(envelope.aggregate_id)
            _set_aside(conn, projection.name, envelope, describe(error))
    return bad


def _first_quarantined(conn: psycopg.Connection[Any], name: str, ids: set[str]) -> dict[str, int]:
    """Of these aggregates, those with an event in quarantine: the first one's position."""
    rows = conn.execute(
        "SELECT aggregate_id, min(position) FROM rm_quarantine"
        " WHERE projection = %s AND aggregate_id = ANY(%s::uuid[]) GROUP BY aggregate_id",
        (name, list(ids)),
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def _set_aside(conn: psycopg.Connection[Any], name: str, envelope: Envelope, error: str) -> None:
    log.error(
        "quarantine-unappliable: projection %s sets aside position %d (%s of %s): %s",
        name,
        envelope.position,
        envelope.type,
        envelope.aggregate_id,
        error,
    )
    conn.execute(
        "INSERT INTO rm_quarantine (projection, position, aggregate_id, type, error, envelope)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (
            name,
            envelope.position,
            envelope.aggregate_id,
            envelope.type,
            error,
            canonical_json(envelope),
        ),
    )
