"""The epcis projection: every batch event as GS1 EPCIS 2.0, with the master data it names.

It keeps its own copy of the facts a mapping reads (a batch's code, unit and labelling; the
GLNs of organisations and plots; plots' geography), each with the position that recorded it, and
hands the mapping a context **as of the event's position**: only facts recorded before it count.
A rebuild applies events in position order, so it reproduces every id. Live, Kafka gives no
order across aggregates: a ``Gln.Registered`` may arrive after events it precedes by position.
Then the stored events of that owner (or plot) with a later position are mapped again. Every id
given out stays in ``rm_epcis_issued``, which no reset or rebuild empties: an id replaced by a
late GLN or by a new mapping version resolves to the current id of the same domain event.

A ``Batch.Corrected`` becomes EPCIS's error declaration: its corrective events (the amended
event's form with the corrected facts) are stored under the correction, and the amended event's
stored document gains an ``errorDeclaration`` naming them, its ``eventID`` unchanged and its
``recordTime`` the declaration's. The amended event is found by the batch and the version the
correction names; one corrected before stands for it by its latest correction, so each EPCIS
event carries at most one declaration.

Rows are keyed by (source_event_id, seq), so applying an envelope twice changes nothing.
Over ~300 lines: the master data, the late remapping and the declarations read and write the
same tables, in the same transaction, and are easiest to check side by side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import psycopg
from psycopg.types.json import Jsonb

from shared.epcis import identifiers, tables
from shared.epcis.event_hash import event_hash
from shared.epcis.mapping import (
    MAPPING_VERSION,
    BatchRef,
    MappedEvent,
    Place,
    corrected_facts,
    declared,
    map_envelope,
)
from shared.readmodels.projection import Projection
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units import epcis_sight
from shared.wire.envelope import Envelope

BATCHES = "rm_epcis_batches"  # code, unit, the position that made it
LABELS = "rm_epcis_labels"  # a batch's GTIN + lot, and the position that labelled it
GLNS = "rm_epcis_glns"  # every registered GLN: owner, plot (null: the party), position
PLOTS = "rm_epcis_plots"  # a plot's cooperative and geography
SOURCES = "rm_epcis_sources"  # each batch envelope: mapped again when a GLN arrives late,
# and the event a correction amends
_CORRECTED = "Batch.Corrected"
# What it derives and how its tables look (2: corrections as error declarations; 3: each
# organisation's sight kept, not computed per request), with the mapping's version: a change
# of either rebuilds it.
_OWN_VERSION = 3

Mapping = Callable[[Envelope, Any], list[MappedEvent]]
Hash = Callable[[dict[str, Any]], str]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


class EpcisProjection(Projection):
    """The EPCIS read model (``shared.epcis.tables``) and the master data it is mapped with."""

    name: ClassVar[str] = "epcis"
    version: ClassVar[int] = 1000 * MAPPING_VERSION + _OWN_VERSION
    tables: ClassVar[tuple[str, ...]] = (
        tables.EVENTS,
        tables.HOLDERS,
        tables.EDGES,
        tables.SIGHT,
        tables.VISIBLE,
        BATCHES,
        LABELS,
        GLNS,
        PLOTS,
        SOURCES,
    )

    def __init__(self, mapping: Mapping = map_envelope, hash_event: Hash = event_hash) -> None:
        self._map = mapping
        self._hash = hash_event

    def ddl(self) -> list[str]:
        return [
            *tables.DDL,
            f"""CREATE TABLE IF NOT EXISTS {BATCHES} (
            batch_id uuid PRIMARY KEY,
            code text NOT NULL,
            unit text NOT NULL,
            position bigint NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {LABELS} (
            batch_id uuid PRIMARY KEY,
            gtin text NOT NULL,
            lot text NOT NULL,
            epc_class text NOT NULL,
            position bigint NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {GLNS} (
            gln text PRIMARY KEY,
            owner_id uuid NOT NULL,
            plot_id uuid,
            position bigint NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {GLNS}_owner ON {GLNS} (owner_id)",
            f"CREATE INDEX IF NOT EXISTS {GLNS}_plot ON {GLNS} (plot_id)",
            f"""CREATE TABLE IF NOT EXISTS {PLOTS} (
            plot_id uuid PRIMARY KEY,
            cooperative_id uuid NOT NULL,
            geo jsonb)""",
            # What an envelope names (every uuid in it): a late GLN finds what to map again.
            f"""CREATE TABLE IF NOT EXISTS {SOURCES} (
            source_event_id uuid PRIMARY KEY,
            position bigint NOT NULL,
            mentions uuid[] NOT NULL,
            envelope jsonb NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {SOURCES}_mentions ON {SOURCES} USING gin (mentions)",
            # A correction names the event it amends by its batch and version.
            f"CREATE INDEX IF NOT EXISTS {SOURCES}_version ON {SOURCES}"
            " ((envelope->>'aggregate_id'), ((envelope->>'aggregate_version')::int))",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        # A rebuild's pages (materialize=False) record custody and lineage only; ``finish``
        # derives every organisation's sight from them at once (epcis_sight.derive).
        # In pipeline mode: the many statements an event needs whose answer is not read are
        # sent without waiting for it (a failure still fails the batch, which the quarantine
        # then applies event by event).
        known = Known()  # this page's master-data reads; the projection's lock is held
        known.stored_before(conn, [e.event_id for e in envelopes if e.aggregate_type == "Batch"])
        with conn.pipeline():
            for e in envelopes:
                _remember(conn, e, materialize=materialize)
                if e.type in ("Gln.Registered", "Plot.Registered"):
                    known.forget()  # and a GLN maps stored events again: their ids may change
                elif e.type in ("Batch.Harvested", "Batch.Produced", "Batch.Labelled"):
                    known.forget_batch(e.aggregate_id)
                if e.type == "Gln.Registered":
                    self._remap_after(conn, e, known, materialize=materialize)
                elif e.aggregate_type == "Batch":
                    self._store(conn, e, known, remapped=False, materialize=materialize)

    def finish(self, connect: Connect) -> int:
        with session(connect) as conn, conn.transaction():
            return epcis_sight.derive(conn)

    # -- events -----------------------------------------------------------------------------

    def _store(
        self,
        conn: psycopg.Connection[Any],
        e: Envelope,
        known: Known,
        *,
        remapped: bool,
        materialize: bool,
    ) -> None:
        mapped = self._map(e, PositionedContext(conn, e.position, known))
        if not remapped:
            conn.execute(
                f"INSERT INTO {SOURCES} (source_event_id, position, mentions, envelope)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (source_event_id) DO NOTHING",
                (e.event_id, e.position, _mentions(conn, e), Jsonb(vars(e))),
            )
        self._replace(conn, e, mapped, known, remapped=remapped, materialize=materialize)
        if e.type == _CORRECTED:
            _declare(conn, e)
        if remapped:
            # Mapped again with a new id, it lost the declaration a correction had put on it.
            for correction in _corrections_of(conn, e):
                _declare(conn, correction)

    def _replace(
        self,
        conn: psycopg.Connection[Any],
        e: Envelope,
        mapped: list[MappedEvent],
        known: Known,
        *,
        remapped: bool,
        materialize: bool,
    ) -> None:
        before = known.before(e.event_id) if not remapped else None
        if before is None:
            before = dict(
                conn.execute(
                    f"SELECT seq, event_id FROM {tables.EVENTS} WHERE source_event_id = %s",
                    (e.event_id,),
                ).fetchall()
            )
        for seq, item in enumerate(mapped):
            document = dict(item.event)
            document.setdefault("recordTime", e.occurred_at)
            event_id = self._hash(document)
            occurrence = 1
            while not _claim(conn, event_id, str(e.event_id), seq):
                # Another domain event with the same facts at the same moment (a drying
                # recorded twice): CBV hashes the two alike, so this one says which it is.
                occurrence += 1
                document["nguon:occurrence"] = occurrence
                event_id = self._hash(document)
            old = before.pop(seq, None)
            if old == event_id:
                continue  # the same envelope again, or a GLN that changes nothing here
            if old is not None:  # its id stays in rm_epcis_issued, resolving to this one
                _delete(conn, old)
            _insert(conn, e, seq, event_id, {"eventID": event_id, **document}, item)
            if materialize:
                epcis_sight.show(conn, event_id)
        for stale in before.values():  # fewer events than before: none here yet, kept honest
            _delete(conn, stale)

    def _remap_after(
        self, conn: psycopg.Connection[Any], e: Envelope, known: Known, *, materialize: bool
    ) -> None:
        """Maps again the stored events the GLN names, recorded after it (a late arrival)."""
        named = e.payload["plot_id"] or e.payload["owner_id"]
        rows = conn.execute(
            f"SELECT envelope FROM {SOURCES} WHERE position > %s AND %s = ANY(mentions)"
            " ORDER BY position",
            (e.position, named),
        ).fetchall()
        for (raw,) in rows:
            self._store(conn, Envelope(**raw), known, remapped=True, materialize=materialize)


def _delete(conn: psycopg.Connection[Any], event_id: str) -> None:
    epcis_sight.withdraw(conn, event_id)  # first: its readers are found through its row
    conn.execute(f"DELETE FROM {tables.EVENTS} WHERE event_id = %s", (event_id,))


def _claim(conn: psycopg.Connection[Any], event_id: str, source: str, seq: int) -> bool:
    """Gives the id to this domain event (and place among its EPCIS events), unless it was
    given to another: one statement for a new id, the common case; a second to see whose
    an id given before is."""
    claimed = conn.execute(
        f"INSERT INTO {tables.ISSUED} (event_id, source_event_id, seq) VALUES (%s, %s, %s)"
        " ON CONFLICT (event_id) DO NOTHING RETURNING 1",
        (event_id, source, seq),
    ).fetchone()
    if claimed is not None:
        return True
    row = conn.execute(
        f"SELECT source_event_id, seq FROM {tables.ISSUED} WHERE event_id = %s", (event_id,)
    ).fetchone()
    return row is not None and (str(row[0]), int(row[1])) == (source, seq)


def _mentions(conn: psycopg.Connection[Any], e: Envelope) -> list[str]:
    named = {e.aggregate_id, *_UUID.findall(json.dumps(e.payload))}
    if e.type == _CORRECTED:
        # Its corrective events name what the amended event names: a late GLN maps them again.
        amended = _source(conn, e.aggregate_id, e.payload["amends_version"])
        if amended is not None:
            named |= set(map(str, amended[1]))
    return sorted(named)


def _source(
    conn: psycopg.Connection[Any], batch_id: str, version: int
) -> tuple[Envelope, list[str]] | None:
    row = conn.execute(
        f"SELECT envelope, mentions FROM {SOURCES} WHERE envelope->>'aggregate_id' = %s"
        " AND (envelope->>'aggregate_version')::int = %s",
        (str(batch_id), version),
    ).fetchone()
    return None if row is None else (Envelope(**row[0]), list(row[1]))


def _corrections(
    conn: psycopg.Connection[Any], batch_id: str, after: int, before: int | None = None
) -> list[Envelope]:
    """The batch's corrections recorded between two positions, in position order."""
    rows = conn.execute(
        f"SELECT envelope FROM {SOURCES} WHERE envelope->>'aggregate_id' = %s"
        " AND envelope->>'type' = %s AND position > %s AND position < %s ORDER BY position",
        (str(batch_id), _CORRECTED, after, before if before is not None else 2**62),
    ).fetchall()
    return [Envelope(**raw) for (raw,) in rows]


def standing(
    conn: psycopg.Connection[Any], batch_id: str, version: int, position: int
) -> Envelope | None:
    """The batch event that stands, at ``position``, for the one of this version: its latest
    correction recorded before, or the latest correction of that correction, and so on."""
    found = _source(conn, batch_id, version)
    if found is None or found[0].position >= position:
        return None
    current = found[0]
    later = _corrections(conn, batch_id, current.position, position)
    amending = {current.aggregate_version}
    for correction in later:  # in position order: each amends one standing for the event
        if correction.payload["amends_version"] in amending:
            amending.add(correction.aggregate_version)
            current = correction
    return current


def _corrections_of(conn: psycopg.Connection[Any], e: Envelope) -> list[Envelope]:
    """The corrections whose declaration lands on ``e``'s events."""
    return [
        c
        for c in _corrections(conn, e.aggregate_id, e.position)
        if (found := standing(conn, c.aggregate_id, c.payload["amends_version"], c.position))
        and found.event_id == e.event_id
    ]


def _declare(conn: psycopg.Connection[Any], correction: Envelope) -> None:
    """The amended events gain the correction's error declaration, their ids unchanged."""
    amended = standing(
        conn, correction.aggregate_id, correction.payload["amends_version"], correction.position
    )
    if amended is None:
        return
    corrective = conn.execute(
        f"SELECT event_id FROM {tables.EVENTS} WHERE source_event_id = %s ORDER BY seq",
        (correction.event_id,),
    ).fetchall()
    gained = declared(correction, [str(row[0]) for row in corrective])
    conn.execute(
        f"UPDATE {tables.EVENTS} SET document = document || %s, record_time = %s"
        " WHERE source_event_id = %s",
        (Jsonb(gained), gained["recordTime"], amended.event_id),
    )


def _insert(
    conn: psycopg.Connection[Any],
    e: Envelope,
    seq: int,
    event_id: str,
    document: dict[str, Any],
    item: MappedEvent,
) -> None:
    epcs = [epc for name in _EPC_LISTS for epc in document.get(name, [])]
    if document.get("parentID"):
        epcs.append(document["parentID"])
    classes = [q["epcClass"] for name in _QUANTITY_LISTS for q in document.get(name, [])]
    lots = item.lots()
    conn.execute(
        f"INSERT INTO {tables.EVENTS} (event_id, source_event_id, seq, position,"
        " mapping_version, event_type, event_time, record_time, action, biz_step, disposition,"
        " biz_location, read_point, epcs, parent_id, epc_classes, batch_ids, lot_batches,"
        " lot_classes, document) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (source_event_id, seq) DO NOTHING",
        (
            event_id,
            e.event_id,
            seq,
            e.position,
            MAPPING_VERSION,
            document["type"],
            document["eventTime"],
            document["recordTime"],
            document.get("action"),
            document.get("bizStep"),
            document.get("disposition"),
            (document.get("bizLocation") or {}).get("id"),
            (document.get("readPoint") or {}).get("id"),
            sorted(set(epcs)),
            document.get("parentID"),
            sorted(set(classes)),
            list(item.batch_ids),
            [batch for batch, _ in lots],
            [epc_class for _, epc_class in lots],
            Jsonb(document),
        ),
    )


# -- master data, holders and edges: the facts, each with its position (holders and edges
# through epcis_sight, which keeps what each organisation reads) ---------------------------


def _remember(conn: psycopg.Connection[Any], e: Envelope, *, materialize: bool) -> None:
    p = e.payload
    if e.type in ("Batch.Harvested", "Batch.Produced"):
        conn.execute(
            f"INSERT INTO {BATCHES} (batch_id, code, unit, position) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (batch_id) DO NOTHING",
            (e.aggregate_id, p["code"], p["quantity"]["unit"], e.position),
        )
        # Its parents first: its holder sees their lineage from the start.
        for parent in p.get("parents", []):
            epcis_sight.link(conn, parent["batch_id"], e.aggregate_id, derive=materialize)
        epcis_sight.hold(conn, e.aggregate_id, p["holder_id"], derive=materialize)
    elif e.type == "Batch.Shipped":
        epcis_sight.hold(conn, e.aggregate_id, p["to"], derive=materialize)
    elif e.type == "Batch.Received":
        epcis_sight.hold(conn, e.aggregate_id, p["by"], derive=materialize)
    elif e.type == "Batch.Labelled":
        conn.execute(
            f"INSERT INTO {LABELS} (batch_id, gtin, lot, epc_class, position)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (batch_id) DO NOTHING",
            (
                e.aggregate_id,
                p["gtin"],
                p["lot"],
                identifiers.lot_class(p["gtin"], p["lot"]),
                e.position,
            ),
        )
    elif e.type == "Gln.Registered":
        conn.execute(
            f"INSERT INTO {GLNS} (gln, owner_id, plot_id, position) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (gln) DO NOTHING",
            (p["gln"], p["owner_id"], p["plot_id"], e.position),
        )
    elif e.type == "Plot.Registered":
        conn.execute(
            f"INSERT INTO {PLOTS} (plot_id, cooperative_id, geo) VALUES (%s, %s, %s)"
            " ON CONFLICT (plot_id) DO NOTHING",
            (e.aggregate_id, p["cooperative_id"], Jsonb(p.get("location"))),
        )


@dataclass(frozen=True)
class _KnownBatch:
    code: str
    unit: str
    label_class: str | None
    labelled_at: int | None  # the label's position


class Known:
    """The master data read while applying one page, kept for the rest of it.

    Most events name the same few organisations and plots, and each read waits a round trip.
    What is kept is the first GLN of each organisation or plot, whatever its position (the
    context compares positions itself), so it holds for every event of the page; the tables
    change only when this projection applies a GLN or a plot, under its lock, and then
    :meth:`forget` drops everything. A batch is dropped when the page registers or labels it.
    The EPCIS events already stored for the page's domain events are read once for the page
    too (:meth:`stored_before`); a GLN, which maps stored events again, drops that as well.
    """

    def __init__(self) -> None:
        self._glns: dict[tuple[str, str], tuple[str, int] | None] = {}
        self._geos: dict[str, Any] = {}  # plot → its GeoJSON, None when it has none
        self._batches: dict[str, _KnownBatch | None] = {}
        self._before: dict[str, dict[int, str]] | None = None

    def forget(self) -> None:
        self._glns.clear()
        self._geos.clear()
        self._before = None

    def stored_before(self, conn: psycopg.Connection[Any], source_ids: list[str]) -> None:
        """The EPCIS events already stored for the page's domain events (seq → id), in one
        read: a domain event delivered again finds its own, the others none."""
        self._before = {source: {} for source in source_ids}
        if source_ids:
            rows = conn.execute(
                f"SELECT source_event_id::text, seq, event_id FROM {tables.EVENTS}"
                " WHERE source_event_id = ANY(%s::uuid[])",
                (source_ids,),
            ).fetchall()
            for source, seq, event_id in rows:
                self._before[str(source)][int(seq)] = str(event_id)

    def before(self, source_id: str) -> dict[int, str] | None:
        """What :meth:`stored_before` read for it (taken once); None: read it again."""
        if self._before is None:
            return None
        return self._before.pop(str(source_id), None)

    def forget_batch(self, batch_id: str) -> None:
        self._batches.pop(str(batch_id), None)

    def batch(self, conn: psycopg.Connection[Any], batch_id: str) -> _KnownBatch | None:
        """Its code and unit, and its label's class and position if it has one (any)."""
        key = str(batch_id)
        if key not in self._batches:
            row = conn.execute(
                f"SELECT b.code, b.unit, l.epc_class, l.position FROM {BATCHES} b"
                f" LEFT JOIN {LABELS} l ON l.batch_id = b.batch_id WHERE b.batch_id = %s",
                (key,),
            ).fetchone()
            self._batches[key] = None if row is None else _KnownBatch(*row)
        return self._batches[key]

    def first_gln(
        self, conn: psycopg.Connection[Any], where: str, value: str
    ) -> tuple[str, int] | None:
        key = (where, value)
        if key not in self._glns:
            row = conn.execute(
                f"SELECT gln, position FROM {GLNS} WHERE {where} = %s"
                + (" AND plot_id IS NULL" if where == "owner_id" else "")
                + " ORDER BY position LIMIT 1",
                (value,),
            ).fetchone()
            self._glns[key] = None if row is None else (str(row[0]), int(row[1]))
        return self._glns[key]

    def geo(self, conn: psycopg.Connection[Any], plot_id: str) -> Any:
        if plot_id not in self._geos:
            row = conn.execute(f"SELECT geo FROM {PLOTS} WHERE plot_id = %s", (plot_id,)).fetchone()
            self._geos[plot_id] = None if row is None else row[0]
        return self._geos[plot_id]


@dataclass(frozen=True)
class PositionedContext:
    """:class:`shared.epcis.mapping.MappingContext` over the projection's tables: only facts
    recorded before ``position`` count, so an event maps the same live and in a rebuild."""

    conn: psycopg.Connection[Any]
    position: int
    known: Known = field(default_factory=Known)

    def batch(self, batch_id: str) -> BatchRef | None:
        found = self.known.batch(self.conn, batch_id)
        if found is None:
            return None
        labelled = found.labelled_at is not None and found.labelled_at < self.position
        epc_class = found.label_class if labelled else None
        return BatchRef(
            str(batch_id), found.code, epc_class or identifiers.batch_class(found.code), found.unit
        )

    def _gln(self, where: str, value: str) -> str | None:
        """The first GLN registered for it, if registered before this event."""
        first = self.known.first_gln(self.conn, where, value)
        return first[0] if first is not None and first[1] < self.position else None

    def party(self, organisation_id: str) -> Place:
        gln = self._gln("owner_id", organisation_id)
        if gln is None:
            return Place(identifiers.organisation(organisation_id))
        return Place(identifiers.party(gln))

    def location_of_organisation(self, organisation_id: str) -> Place:
        gln = self._gln("owner_id", organisation_id)
        if gln is None:
            return Place(identifiers.organisation(organisation_id))
        return Place(identifiers.location(gln))

    def plot(self, plot_id: str) -> Place:
        geo = self.known.geo(self.conn, plot_id)
        gln = self._gln("plot_id", plot_id)
        uri = identifiers.plot(plot_id) if gln is None else identifiers.location(gln)
        return Place(uri, geo)

    def amended(self, batch_id: str, version: int) -> Envelope | None:
        found = standing(self.conn, batch_id, version, self.position)
        if found is None or found.type != _CORRECTED:
            return found
        # A correction stands for the event: its facts are those it corrected, as they stood.
        earlier = PositionedContext(self.conn, found.position, self.known)
        facts = earlier.amended(batch_id, found.payload["amends_version"])
        return None if facts is None else corrected_facts(facts, found)
