"""Rollback stores a document's events all or none; proceed stores each good one; an event is
stored once, even when two capture jobs race with it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

from shared.database import DatabaseUrls
from shared.epcis.capture import Behaviour, CaptureOutcome, capture
from shared.postgres.urls import eventsourcing_env
from shared.records.application import Records
from tests.epcis_events import (
    a_partner_class,
    days_ago,
    harvest_event,
    transformation_event,
)
from tests.integration.epcis_capture.partners import Partners, partners, send
from tests.platform_world import database, records

__all__ = ["database", "records"]


def _harvest_and_overdrawn_mill(world: Partners) -> list[dict[str, object]]:
    """A good harvest, then a milling of it that takes more than it holds."""
    paddy, rice = a_partner_class(), a_partner_class()
    return [
        harvest_event(paddy, world.plot_gln, days_ago(2), amount=500),
        transformation_event(
            [(paddy, 800)], (rice, 600), days_ago(1), gln=world.plot_gln,
            transformation_id="urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100",
        ),
    ]  # fmt: skip


def test_a_broken_rule_names_the_event_and_rule_and_rollback_stores_nothing(
    records: Records,
) -> None:
    world = partners(records)
    before = records.position()

    outcome = send(records, world.cooperative, _harvest_and_overdrawn_mill(world))

    assert not outcome.success
    assert [e.status for e in outcome.events] == ["rolled_back", "refused"]
    refusal = outcome.events[1].refusal
    assert refusal is not None
    assert (refusal.index, refusal.field) == (1, "$.epcisBody.eventList[1]")
    assert refusal.code == "mass_balance"
    assert outcome.position is None
    assert records.position() == before


def test_proceed_stores_the_good_events_and_refuses_the_rest(records: Records) -> None:
    world = partners(records)
    events = _harvest_and_overdrawn_mill(world)
    before = records.position()

    outcome = send(records, world.cooperative, events, Behaviour.PROCEED)

    assert [e.status for e in outcome.events] == ["captured", "refused"]
    assert outcome.position == records.position() > before
    assert len(outcome.events[0].batches) == 1


def test_the_same_event_twice_is_stored_once(records: Records) -> None:
    world = partners(records)
    harvest = harvest_event(a_partner_class(), world.plot_gln, days_ago(1))
    sent = send(records, world.cooperative, [harvest, harvest])
    assert [e.status for e in sent.events] == ["captured", "duplicate"]
    stored = records.position()

    again = send(records, world.cooperative, [{**harvest, "eventID": "urn:uuid:any-id-it-likes"}])

    assert [e.status for e in again.events] == ["duplicate"]
    assert again.events[0].event_id == sent.events[0].event_id
    assert again.position is None
    assert records.position() == stored


def test_two_lots_with_the_same_class_are_refused_the_second(records: Records) -> None:
    world = partners(records)
    paddy = a_partner_class()
    first = harvest_event(paddy, world.plot_gln, days_ago(2), amount=100)
    second = harvest_event(paddy, world.plot_gln, days_ago(1), amount=200)

    in_one = send(records, world.cooperative, [first, second])
    assert in_one.refusals[0].code == "lot_known"
    assert in_one.refusals[0].field == "$.epcisBody.eventList[1].quantityList[0].epcClass"

    send(records, world.cooperative, [first])
    later = send(records, world.cooperative, [second])
    assert [r.code for r in later.refusals] == ["lot_known"]


def test_two_jobs_racing_with_the_same_event_store_it_once(
    records: Records, database: DatabaseUrls
) -> None:
    world = partners(records)
    harvest = harvest_event(a_partner_class(), world.plot_gln, days_ago(1))
    other = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    before = records.position()
    start = Barrier(2)

    def job(app: Records) -> CaptureOutcome:
        start.wait()
        return capture(app, world.cooperative, [dict(harvest)], Behaviour.ROLLBACK)

    try:
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(job, [records, other]))
    finally:
        other.close()

    statuses = sorted(o.events[0].status for o in outcomes)
    codes = [r.code for o in outcomes for r in o.refusals]
    # Both translate before either stores, so the loser is refused by the event's claim; had
    # it started after the winner's commit it would find the event already captured.
    assert statuses in (["captured", "refused"], ["captured", "duplicate"])
    assert codes in (["event_captured"], [])
    stored = [records.history(e.originator_id) for e in _since(records, before)]
    # The batch, the event's claim and the lot's binding: once.
    assert len(stored) == 3


def _since(records: Records, position: int) -> list[Any]:
    return list(records.recorder.select_notifications(position + 1, 100))
