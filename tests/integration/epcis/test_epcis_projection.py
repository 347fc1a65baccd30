"""The epcis projection on the real PostgreSQL: a rice chain's events become EPCIS rows.

Until the mapping (``shared.epcis.mapping.map_envelope``) lands, the projection is given a small
stand-in, written here: one ObjectEvent per batch event naming what the context says (the batch's
identifier, its holder's party and location), given its id by the real CBV 2.0 event hash. What
these tests pin is the projection's own work: rows, idempotency, rebuilds, late GLNs and the
identifier change at labelling.
"""

from __future__ import annotations

from typing import Any

import pytest

from shared.database import DatabaseUrls
from shared.epcis import tables
from shared.epcis.mapping import MappedEvent, MappingContext
from shared.postgres.migrate import migrate
from shared.postgres.urls import password_of, user_of
from shared.readmodels.engine import ENGINE_DDL, Unit, ddl_of
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, session
from shared.readmodels.units.epcis import EpcisProjection, PositionedContext
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.wire.envelope import Envelope
from tests.builders import a_gtin
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes
from tests.platform_world import connect, database, records

__all__ = ["connect", "database", "records"]

STAFF = Actor(Role.PROVINCE)


def stand_in_mapping(e: Envelope, context: MappingContext) -> list[MappedEvent]:
    if e.aggregate_type != "Batch":
        return []
    ref = context.batch(e.aggregate_id)
    assert ref is not None
    who = e.payload.get("holder_id") or e.payload.get("by")
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": e.payload.get("at") or e.occurred_at,
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": e.type.removeprefix("Batch.").lower(),
        "epcList": [],
        "quantityList": [{"epcClass": ref.epc_class}],
    }
    if who is not None:
        event["bizLocation"] = {"id": context.location_of_organisation(who).uri}
        event["sourceList"] = [{"type": "owning_party", "source": context.party(who).uri}]
    return [MappedEvent(event, (e.aggregate_id,))]


@pytest.fixture
def projection() -> EpcisProjection:
    return EpcisProjection(mapping=stand_in_mapping)


@pytest.fixture
def epcis(database: DatabaseUrls, connect: Connect, projection: EpcisProjection) -> Projections:
    projections = Projections(connect, units=[Unit(projection, connect)])
    ddl = [s for unit in projections.units for s in ddl_of(unit.projection)]
    migrate(
        database.admin,
        user_of(database.app),
        password_of(database.app),
        extra_ddl=[*ENGINE_DDL, *ddl],
    )
    projections.reset()
    return projections


def _apply(connect: Connect, projection: EpcisProjection, envelopes: list[Envelope]) -> None:
    with session(connect) as conn, conn.transaction():
        projection.apply(conn, envelopes, materialize=True)


def _rows(connect: Connect, sql: str) -> list[tuple[Any, ...]]:
    with session(connect) as conn:
        return list(conn.execute(sql).fetchall())


def _events(connect: Connect) -> list[tuple[Any, ...]]:
    return _rows(
        connect,
        f"SELECT event_id, source_event_id::text, seq, position, epc_classes, biz_location"
        f" FROM {tables.EVENTS} ORDER BY position, seq",
    )


def test_a_rice_chains_batch_events_become_rows_with_holders_and_edges(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    envelopes = all_envelopes(records)

    epcis.apply(envelopes, Position(chain.position))

    batch_events = [e for e in envelopes if e.aggregate_type == "Batch"]
    rows = _events(connect)
    assert [r[1] for r in rows] == [e.event_id for e in batch_events]
    assert all(r[0].startswith("ni:///sha-256;") for r in rows)
    holders = _rows(connect, f"SELECT organisation_id FROM {tables.HOLDERS}")
    assert {h[0] for h in holders} >= {chain.cooperative_a, chain.miller, chain.retailer}
    assert _rows(connect, f"SELECT count(*) FROM {tables.EDGES}")[0][0] > 0


def test_applying_the_same_envelopes_twice_changes_nothing(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    a_chain(records)
    envelopes = all_envelopes(records)
    _apply(connect, projection, envelopes)
    once = _events(connect)

    _apply(connect, projection, envelopes)

    assert _events(connect) == once
    issued = _rows(connect, f"SELECT event_id FROM {tables.ISSUED} ORDER BY event_id")
    assert [i[0] for i in issued] == sorted(r[0] for r in once)  # no id given out twice


def test_a_rebuild_gives_the_same_ids(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    a_chain(records)
    envelopes = all_envelopes(records)
    _apply(connect, projection, envelopes)
    before = _events(connect)

    epcis.reset()
    _apply(connect, projection, envelopes)

    assert _events(connect) == before


def test_the_labelled_batch_changes_identifier_from_its_labelling_on(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    chain = a_chain(records)
    records.execute(Actor(Role.ENTERPRISE, chain.retailer), [c.SellBatch(batch=chain.retail_lot)])
    _apply(connect, projection, all_envelopes(records))

    classes = _rows(
        connect,
        f"SELECT e.epc_classes[1], s.envelope->>'type' FROM {tables.EVENTS} e"
        f" JOIN rm_epcis_sources s USING (source_event_id)"
        f" WHERE s.envelope->>'aggregate_id' = (SELECT batch_id::text FROM rm_epcis_labels)"
        " ORDER BY e.position",
    )
    types = [t for _, t in classes]
    labelled = types.index("Batch.Labelled")
    link = f"https://id.gs1.org/01/{chain.gtin}/10/{chain.lot}"
    assert {cls for cls, _ in classes[: labelled + 1]} == {f"urn:nguon:batch:{chain.retail_lot}"}
    assert {cls for cls, _ in classes[labelled + 1 :]} == {link}


def _late_gln(records: Records, chain: Chain) -> tuple[str, list[Envelope]]:
    """The miller registers its party GLN, then sells its other lot: the GLN precedes the sale."""
    gln = a_gtin()
    records.execute(STAFF, [c.RegisterGln(organisation_id=chain.miller, gln=gln)])
    records.execute(Actor(Role.ENTERPRISE, chain.miller), [c.SellBatch(batch=chain.other_lot)])
    return gln, all_envelopes(records)


def test_a_gln_arriving_late_remaps_only_later_events_and_keeps_aliases(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    chain = a_chain(records)
    gln, envelopes = _late_gln(records, chain)
    registered = next(e for e in envelopes if e.type == "Gln.Registered")
    without = [e for e in envelopes if e is not registered]
    _apply(connect, projection, without)
    before = {r[1]: r for r in _events(connect)}

    _apply(connect, projection, [registered])  # Kafka delivered it after the sale

    after = {r[1]: r for r in _events(connect)}
    changed = {k for k in after if after[k][0] != before[k][0]}
    sale = next(e for e in envelopes if e.type == "Batch.Sold" and e.position > registered.position)
    assert changed == {sale.event_id}
    assert after[sale.event_id][5] == f"https://id.gs1.org/414/{gln}"
    aliases = _aliases(connect)
    assert aliases == [(before[sale.event_id][0], after[sale.event_id][0])]
    _apply(connect, projection, [registered])  # delivered once more: nothing changes
    assert {r[1]: r for r in _events(connect)} == after
    assert _aliases(connect) == aliases
    # And the result is what a rebuild in position order gives.
    epcis.reset()
    _apply(connect, projection, envelopes)
    assert _events(connect) == sorted(after.values(), key=lambda r: (r[3], r[2]))


def _aliases(connect: Connect) -> list[tuple[Any, ...]]:
    """(an id given out earlier, the id its domain event has now)."""
    return _rows(
        connect,
        f"SELECT i.event_id, e.event_id FROM {tables.ISSUED} i JOIN {tables.EVENTS} e"
        " USING (source_event_id, seq) WHERE i.event_id <> e.event_id",
    )


def test_a_plot_is_its_gln_with_its_geography_from_the_registration_on(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    chain = a_chain(records)
    gln = a_gtin()
    records.execute(
        STAFF, [c.RegisterGln(organisation_id=chain.cooperative_a, gln=gln, plot_id=chain.plot_a)]
    )
    envelopes = all_envelopes(records)
    _apply(connect, projection, envelopes)
    registered = next(e for e in envelopes if e.type == "Gln.Registered").position
    plot = str(chain.plot_a)

    with session(connect) as conn:
        before = PositionedContext(conn, registered).plot(plot)
        after = PositionedContext(conn, registered + 1).plot(plot)
        party = PositionedContext(conn, registered + 1).party(str(chain.cooperative_a))

    assert before.uri == f"urn:nguon:plot:{plot}"
    assert after.uri == f"https://id.gs1.org/414/{gln}"
    assert after.geo is not None
    assert after.geo["type"] in {"Point", "Polygon"}
    assert party.uri == f"urn:nguon:organisation:{chain.cooperative_a}"  # a plot's GLN is no party


# -- who reads what: each organisation's rows, kept by the projection (epcis_sight) ----------


def _visible(connect: Connect) -> set[tuple[str, str]]:
    return {
        (str(r[0]), r[1])
        for r in _rows(connect, f"SELECT organisation_id, event_id FROM {tables.VISIBLE}")
    }


def _worked_out(connect: Connect) -> set[tuple[str, str]]:
    """The rule as DOMAIN.md says it, asked of the holders and edges directly: the events of
    every batch an organisation held, and of every ancestor of one."""
    return {
        (str(r[0]), r[1])
        for r in _rows(
            connect,
            f"""WITH RECURSIVE seen(organisation_id, batch_id) AS (
                SELECT organisation_id, batch_id FROM {tables.HOLDERS}
                UNION
                SELECT s.organisation_id, e.parent_id FROM {tables.EDGES} e
                JOIN seen s ON e.child_id = s.batch_id)
            SELECT DISTINCT s.organisation_id, v.event_id FROM seen s
            JOIN {tables.EVENTS} v ON s.batch_id = ANY(v.batch_ids)""",
        )
    }


def test_each_organisation_reads_the_events_of_what_it_held_and_of_their_ancestors(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    chain = a_chain(records)
    _apply(connect, projection, all_envelopes(records))

    visible = _visible(connect)

    assert visible == _worked_out(connect)
    readers = {organisation for organisation, _ in visible}
    assert {str(chain.cooperative_a), str(chain.miller), str(chain.retailer)} <= readers


def test_what_each_organisation_reads_does_not_depend_on_the_order_kafka_delivers_in(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    a_chain(records)
    envelopes = all_envelopes(records)
    _apply(connect, projection, envelopes)
    in_order = _visible(connect)
    epcis.reset()

    # Kafka keeps each aggregate's order, not the order across aggregates: the last
    # aggregates first, so children and receipts arrive before their parents' events.
    by_aggregate: dict[str, list[Envelope]] = {}
    for e in envelopes:
        by_aggregate.setdefault(e.aggregate_id, []).append(e)
    _apply(connect, projection, [e for group in reversed(by_aggregate.values()) for e in group])

    assert _visible(connect) == in_order


def test_an_event_mapped_again_under_a_new_id_is_read_under_that_id_only(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    chain = a_chain(records)
    _, envelopes = _late_gln(records, chain)
    registered = next(e for e in envelopes if e.type == "Gln.Registered")
    _apply(connect, projection, [e for e in envelopes if e is not registered])
    before = _visible(connect)

    _apply(connect, projection, [registered])

    after = _visible(connect)
    assert after != before  # the sale's row moved to its new id
    assert after == _worked_out(connect)


def test_a_rebuild_derives_at_its_end_what_live_applying_keeps_as_it_goes(
    records: Records, epcis: Projections, connect: Connect, projection: EpcisProjection
) -> None:
    a_chain(records)
    envelopes = all_envelopes(records)
    _apply(connect, projection, envelopes)
    live = _visible(connect)
    epcis.reset()

    with session(connect) as conn, conn.transaction():
        projection.apply(conn, envelopes, materialize=False)  # a rebuild's pages
    assert _visible(connect) == set()
    held = {row[0] for row in _rows(connect, f"SELECT batch_id FROM {tables.HOLDERS}")}
    assert projection.finish(connect) == len(held)  # the batches someone reads the events of

    assert _visible(connect) == live
    sight = f"SELECT organisation_id, batch_id FROM {tables.SIGHT} ORDER BY 1, 2"
    derived = _rows(connect, sight)
    epcis.reset()
    _apply(connect, projection, envelopes)
    assert _rows(connect, sight) == derived
