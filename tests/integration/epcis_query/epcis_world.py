"""A small EPCIS read model on a real PostgreSQL, for the query interface's tests.

The ``epcis`` projection fills these tables in production; here event rows shaped as
``shared.epcis.tables`` says are inserted directly, with events shaped like GS1's examples, and
custody and lineage go through the projection's own :mod:`shared.readmodels.units.epcis_sight`:

* batch A: harvested by cooperative C (500 kg), labelled, shipped to enterprise E, received;
* E processes A into batch M (a TransformationEvent), ships M to retailer X, X receives it.

So C held A; E held A and M; X held M only, and sees A's events as M's ancestor.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.types.json import Jsonb

from shared.epcis.tables import DDL, EDGES, EVENTS, HOLDERS, ISSUED, SIGHT, VISIBLE
from shared.readmodels.units import epcis_sight
from tests.databases import APP_ROLE

_REPO = Path(__file__).resolve().parents[3]
# GS1's schema: vendored by the EPCIS validation work into shared/epcis/standard/ (switch to
# shared.epcis.schema once it lands); until then the handbook's copy beside the repository.
SCHEMA = next(
    path
    for path in (
        _REPO / "shared/epcis/standard/EPCIS-JSON-Schema.json",
        _REPO.parent / "shared/standards/gs1-epcis-2.0/EPCIS-JSON-Schema.json",
        Path("/work/shared/standards/gs1-epcis-2.0/EPCIS-JSON-Schema.json"),
    )
    if path.exists()
)

A, M = UUID(int=0xA), UUID(int=0xB)
C, E, X, STRANGER = (uuid4() for _ in range(4))
PLATFORM_A, PLATFORM_M = "urn:nguon:batch:TH-A", "urn:nguon:batch:TH-M"
LINK_A = "https://id.gs1.org/01/08930000000017/10/A%2F26"
FARM = "https://id.gs1.org/414/8930000000013"
PLANT = "urn:nguon:organisation:" + str(E)
SHOP = "urn:nguon:organisation:" + str(X)


def event_id(name: str) -> str:
    return f"ni:///sha-256;{hashlib.sha256(name.encode()).hexdigest()}?ver=CBV2.0"


def _object(name: str, at: str, step: str, disp: str, where: str, cls: str, qty: float) -> Any:
    return {
        "type": "ObjectEvent",
        "eventTime": at,
        "eventTimeZoneOffset": "+07:00",
        "epcList": [],
        "action": "ADD" if step == "commissioning" else "OBSERVE",
        "bizStep": step,
        "disposition": disp,
        "readPoint": {"id": where},
        "bizLocation": {"id": where},
        "quantityList": [{"epcClass": cls, "quantity": qty, "uom": "KGM"}],
    }


def _transformation(at: str, step: str, where: str, inputs: Any, outputs: Any) -> Any:
    return {
        "type": "TransformationEvent",
        "eventTime": at,
        "eventTimeZoneOffset": "+07:00",
        "bizStep": step,
        "disposition": "active",
        "readPoint": {"id": where},
        "bizLocation": {"id": where},
        "inputQuantityList": inputs,
        "outputQuantityList": outputs,
    }


def _q(cls: str, qty: float) -> dict[str, Any]:
    return {"epcClass": cls, "quantity": qty, "uom": "KGM"}


# name → (document, batches); harvest and labelling share their time: the id breaks the tie.
EVENTS_BY_NAME: dict[str, tuple[Any, tuple[UUID, ...]]] = {
    "harvest": (
        _object(
            "harvest",
            "2026-03-01T07:00:00+07:00",
            "commissioning",
            "active",
            FARM,
            PLATFORM_A,
            500.0,
        ),
        (A,),
    ),
    "label": (
        _transformation(
            "2026-03-01T07:00:00+07:00",
            "commissioning",
            FARM,
            [_q(PLATFORM_A, 500.0)],
            [_q(LINK_A, 500.0)],
        ),
        (A,),
    ),
    "ship_a": (
        _object(
            "ship_a", "2026-03-02T08:00:00+07:00", "shipping", "in_transit", FARM, LINK_A, 500.0
        ),
        (A,),
    ),
    "receive_a": (
        _object(
            "receive_a",
            "2026-03-02T15:00:00+07:00",
            "receiving",
            "in_progress",
            PLANT,
            LINK_A,
            498.5,
        ),
        (A,),
    ),
    "process": (
        _transformation(
            "2026-03-03T09:00:00+07:00",
            "commissioning",
            PLANT,
            [_q(LINK_A, 498.5)],
            [_q(PLATFORM_M, 420.0)],
        ),
        (A, M),
    ),
    "ship_m": (
        _object(
            "ship_m",
            "2026-03-04T08:00:00+07:00",
            "shipping",
            "in_transit",
            PLANT,
            PLATFORM_M,
            420.0,
        ),
        (M,),
    ),
    "receive_m": (
        _object(
            "receive_m",
            "2026-03-04T18:00:00+07:00",
            "receiving",
            "in_progress",
            SHOP,
            PLATFORM_M,
            420.0,
        ),
        (M,),
    ),
}
ORDER = sorted(
    EVENTS_BY_NAME,
    key=lambda n: (datetime.fromisoformat(EVENTS_BY_NAME[n][0]["eventTime"]), event_id(n)),
)
ALIASED = event_id("harvest before the farm's GLN was registered")
HOLDINGS = [(A, C), (A, E), (M, E), (M, X)]
NAMED = {PLATFORM_A: A, LINK_A: A, PLATFORM_M: M}  # the batch each epcClass names


def create_tables(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for statement in DDL:
            conn.execute(statement)
        for table in (EVENTS, ISSUED, HOLDERS, EDGES, SIGHT, VISIBLE):
            conn.execute(f"GRANT SELECT ON {table} TO {APP_ROLE}")


def fill(admin_url: str) -> None:
    with psycopg.connect(admin_url) as conn, conn.transaction():
        sources = {}
        for position, name in enumerate(ORDER, start=1):
            document, batches = EVENTS_BY_NAME[name]
            document = {"eventID": event_id(name), **document}
            sources[name] = insert_event(conn, document, position, batches)
        # The harvest's id before the GLN: given to the same domain event, now under another.
        conn.execute(f"INSERT INTO {ISSUED} VALUES (%s, %s, 0)", (ALIASED, sources["harvest"]))
        # Custody and lineage as the projection records them, so each organisation's sight
        # (rm_epcis_sight, rm_epcis_visible) is derived by the projection's own code.
        epcis_sight.link(conn, str(A), str(M))
        for batch, organisation in HOLDINGS:
            epcis_sight.hold(conn, str(batch), str(organisation))


def insert_event(
    conn: psycopg.Connection[Any], document: dict[str, Any], position: int, batches: Any
) -> UUID:
    """One row, its columns taken from the document as the projection takes them; the id of
    the domain event it stands for."""
    source = uuid4()
    lists = ("quantityList", "inputQuantityList", "outputQuantityList", "childQuantityList")
    classes = [q["epcClass"] for name in lists for q in document.get(name, [])]
    lots = sorted({(NAMED[c], c) for c in classes if NAMED.get(c) in set(batches)})
    epcs = [
        e
        for name in ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
        for e in document.get(name, [])
    ]
    conn.execute(
        f"INSERT INTO {EVENTS} (event_id, source_event_id, seq, position, mapping_version,"
        " event_type, event_time, record_time, action, biz_step, disposition, biz_location,"
        " read_point, epcs, parent_id, epc_classes, batch_ids, lot_batches, lot_classes,"
        " document) VALUES"
        " (%s, %s, 0, %s, 1, %s, %s, now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            document["eventID"],
            source,
            position,
            document["type"],
            datetime.fromisoformat(document["eventTime"]),
            document.get("action"),
            document.get("bizStep"),
            document.get("disposition"),
            document.get("bizLocation", {}).get("id"),
            document.get("readPoint", {}).get("id"),
            epcs,
            document.get("parentID"),
            classes,
            list(batches),
            [batch for batch, _ in lots],
            [epc_class for _, epc_class in lots],
            Jsonb(document),
        ),
    )
    return source
