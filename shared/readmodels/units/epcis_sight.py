"""Who may read which EPCIS event, kept by the ``epcis`` projection as the facts arrive.

An organisation reads the events of the batches it holds or held and of their ancestors
(DOMAIN.md, as for trace). Working that out per request (the organisation's batches, then
their ancestry, then the events naming any of them) costs what the organisation's history
costs: a mill that handled every harvest of a season asked for thirty events first gathered
tens of thousands of batches. So the projection keeps the answer instead:

* ``rm_epcis_sight`` (organisation, batch): each batch it held, and every ancestor of one;
* ``rm_epcis_visible`` (organisation, event_time, event_id, biz_step): each event it reads,
  in the served order, so its page is one walk of an index from where the last one stopped,
  like the province's over ``rm_epcis_events``.

Sight only grows (custody once held is never "unheld", a batch's parents never change), and
an organisation's sight is closed under ancestry: a batch in it brings all its ancestors. So
adding a batch walks up only through ancestors not yet seen, and an event's readers are the
organisations whose sight holds one of its batches. A rebuild's pages record custody and
lineage only, and :func:`derive` works out every organisation's sight at the end, set-wise:
one batch at a time it cost a third of the projection's rebuild.
"""

from __future__ import annotations

from typing import Any

import psycopg

from shared.epcis import tables


def hold(
    conn: psycopg.Connection[Any], batch_id: str, organisation_id: str, *, derive: bool = True
) -> None:
    """The organisation holds (or is sent) the batch: it reads its events and its ancestors'.

    ``derive=False`` (a rebuild's pages) records the custody only, for :func:`derive`."""
    if not derive:
        conn.execute(_HOLDING, {"org": organisation_id, "batch": batch_id})
        return
    conn.execute(_HOLD, {"org": organisation_id, "batch": batch_id})


def link(
    conn: psycopg.Connection[Any], parent_id: str, child_id: str, *, derive: bool = True
) -> None:
    """``child`` was made from ``parent``: whoever sees the child sees the parent's lineage."""
    if not derive:
        conn.execute(_EDGE, {"parent": parent_id, "child": child_id})
        return
    seers = conn.execute(
        f"WITH edge AS ({_EDGE})"
        f" SELECT organisation_id FROM {tables.SIGHT} WHERE batch_id = %(child)s",
        {"parent": parent_id, "child": child_id},
    ).fetchall()
    for (organisation_id,) in seers:  # none while the child is new: edges come at its making
        conn.execute(_SEE, {"org": organisation_id, "batch": parent_id})


def show(conn: psycopg.Connection[Any], event_id: str) -> None:
    """A stored event, to every organisation that sees one of its batches."""
    conn.execute(
        f"INSERT INTO {tables.VISIBLE} (organisation_id, event_time, event_id, biz_step)"
        f" SELECT DISTINCT s.organisation_id, e.event_time, e.event_id, e.biz_step"
        f" FROM {tables.EVENTS} e JOIN {tables.SIGHT} s ON s.batch_id = ANY(e.batch_ids)"
        " WHERE e.event_id = %s ON CONFLICT DO NOTHING",
        (event_id,),
    )


def derive(conn: psycopg.Connection[Any]) -> int:
    """Every organisation's sight and what it reads, from all custody and lineage at once
    (after a rebuild's pages): set-wise, where the incremental path walks one batch at a time.
    How many batches some organisation reads, as the other projections' ``finish`` count
    batches."""
    conn.execute(_DERIVE_SIGHT)
    conn.execute(_DERIVE_VISIBLE)
    row = conn.execute(f"SELECT count(DISTINCT batch_id) FROM {tables.SIGHT}").fetchone()
    return int(row[0]) if row else 0


def withdraw(conn: psycopg.Connection[Any], event_id: str) -> None:
    """A stored event about to be replaced (mapped again under a new id): no one reads it.

    Its readers are the organisations that see one of its batches (sight only grows), so
    each row is found by its key, with no index on event_id to keep up."""
    conn.execute(
        f"DELETE FROM {tables.VISIBLE} v USING {tables.EVENTS} e, {tables.SIGHT} s"
        " WHERE e.event_id = %s AND s.batch_id = ANY(e.batch_ids)"
        " AND v.organisation_id = s.organisation_id AND v.event_time = e.event_time"
        " AND v.event_id = e.event_id",
        (event_id,),
    )


# Up the lineage from the batch, stopping at what the organisation already sees (whose
# ancestors it already sees too); those batches added to its sight, and their events to what
# it reads. One statement: a rebuild runs it for every custody change.
_SEEN = f"""unseen(batch_id) AS (
    SELECT %(batch)s::uuid WHERE NOT EXISTS (
        SELECT 1 FROM {tables.SIGHT} WHERE organisation_id = %(org)s AND batch_id = %(batch)s)
    UNION
    SELECT e.parent_id FROM {tables.EDGES} e JOIN unseen u ON e.child_id = u.batch_id
    WHERE NOT EXISTS (
        SELECT 1 FROM {tables.SIGHT} s
        WHERE s.organisation_id = %(org)s AND s.batch_id = e.parent_id)),
added AS (
    INSERT INTO {tables.SIGHT} (organisation_id, batch_id) SELECT %(org)s, batch_id FROM unseen
    ON CONFLICT DO NOTHING RETURNING batch_id)
INSERT INTO {tables.VISIBLE} (organisation_id, event_time, event_id, biz_step)
SELECT %(org)s, event_time, event_id, biz_step FROM {tables.EVENTS}
WHERE batch_ids && (SELECT array_agg(batch_id) FROM added)
ON CONFLICT DO NOTHING"""
_SEE = f"WITH RECURSIVE {_SEEN}"
_HOLDING = f"""INSERT INTO {tables.HOLDERS} (batch_id, organisation_id)
VALUES (%(batch)s, %(org)s) ON CONFLICT DO NOTHING"""
_HOLD = f"WITH RECURSIVE holding AS ({_HOLDING}), {_SEEN}"
_EDGE = f"""INSERT INTO {tables.EDGES} (parent_id, child_id) VALUES (%(parent)s, %(child)s)
ON CONFLICT DO NOTHING"""

_DERIVE_SIGHT = f"""INSERT INTO {tables.SIGHT} (organisation_id, batch_id)
WITH RECURSIVE seen(organisation_id, batch_id) AS (
    SELECT organisation_id, batch_id FROM {tables.HOLDERS}
    UNION
    SELECT s.organisation_id, e.parent_id FROM {tables.EDGES} e
    JOIN seen s ON e.child_id = s.batch_id)
SELECT organisation_id, batch_id FROM seen ORDER BY 1, 2
ON CONFLICT DO NOTHING"""
# In the order of the table's key, so the index is filled from one end.
_DERIVE_VISIBLE = f"""INSERT INTO {tables.VISIBLE} (organisation_id, event_time, event_id, biz_step)
SELECT s.organisation_id, e.event_time, e.event_id, e.biz_step
FROM {tables.EVENTS} e CROSS JOIN LATERAL unnest(e.batch_ids) AS b(batch_id)
JOIN {tables.SIGHT} s ON s.batch_id = b.batch_id
ORDER BY 1, 2, 3
ON CONFLICT DO NOTHING"""
