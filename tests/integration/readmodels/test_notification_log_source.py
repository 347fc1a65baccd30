"""The embedded source: the event store's log, live, in pages of whatever has arrived."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from shared.readmodels.notification_log import Page
from shared.readmodels.sources import NotificationLogSource
from shared.records.application import Records
from tests.builders import a_harvested_batch
from tests.integration.readmodels.readmodel_chain import Chain

TIMEOUT = 30.0


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def test_events_already_stored_come_in_pages_of_at_most_the_page_size(
    records: Records, chain: Chain, stop: threading.Event
) -> None:
    pages = NotificationLogSource(records, page_size=10).pages(0, stop)

    received: list[Page] = []
    while sum(len(p) for p in received) < chain.position:
        received.append(next(pages))
    pages.close()

    positions = [position for page in received for position, _ in page]
    assert positions == list(range(1, chain.position + 1))
    assert all(len(page) <= 10 for page in received)
    assert len(received) < chain.position  # batched, not one event at a time
    assert all(position == envelope.position for page in received for position, envelope in page)


def test_a_new_event_is_delivered_when_the_event_store_notifies_it(
    records: Records, chain: Chain, stop: threading.Event
) -> None:
    arrived: list[Page] = []
    delivered = threading.Event()

    def follow() -> None:
        for page in NotificationLogSource(records).pages(chain.position, stop):
            arrived.append(page)
            if any(envelope.type == "Batch.Harvested" for _, envelope in page):
                delivered.set()

    follower = threading.Thread(target=follow)
    follower.start()
    a_harvested_batch(records)

    assert delivered.wait(TIMEOUT)
    stop.set()
    follower.join(TIMEOUT)
    assert not follower.is_alive()
    assert arrived[0][0][0] == chain.position + 1
    assert [position for page in arrived for position, _ in page] == list(
        range(chain.position + 1, records.position() + 1)
    )
