"""QR scans are counted in memory by batch and Vietnam day, and flushed without failing pages."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import UUID

from fastapi.testclient import TestClient

from services.web.app import create_app
from services.web.scans import ScanCounter, ScanFlusher
from shared.readmodels.page_scans import ScanCounts, ScanStore
from shared.settings import NguonSettings
from tests.unit.web.builders import CODE, GTIN14, LOT, a_provenance_document
from tests.unit.web.conftest import PUBLIC_BASE_URL
from tests.unit.web.fakes import InMemoryProvenanceReader

BATCH = UUID(a_provenance_document()["batch_id"])
OTHER = UUID(int=7)
MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


class KeptScans(ScanStore):
    """Keeps what it is given; fails while ``down``."""

    def __init__(self) -> None:
        self.kept: Counter[tuple[UUID, date]] = Counter()
        self.down = False
        self.flushes = 0

    def add(self, counts: ScanCounts) -> None:
        if self.down:
            raise ConnectionError("the database is unreachable")
        self.flushes += 1
        self.kept.update(counts)

    def scans(self, batch_id: UUID, day: date) -> int:
        return self.kept[(batch_id, day)]


def _pages(store: ScanStore) -> tuple[TestClient, ScanCounter]:
    counter = ScanCounter(store)
    settings = NguonSettings(public_base_url=PUBLIC_BASE_URL)
    reader = InMemoryProvenanceReader(a_provenance_document())
    return TestClient(create_app(settings, reader, scans=counter)), counter


def test_scans_are_counted_by_batch_and_day_and_flushed_in_one_go() -> None:
    store, day = KeptScans(), [MONDAY]
    counter = ScanCounter(store, today=lambda: day[0])
    for batch in (BATCH, BATCH, OTHER):
        counter.count(batch)
    day[0] = TUESDAY
    counter.count(BATCH)

    flushed = counter.flush()

    assert flushed == 4
    assert store.flushes == 1
    assert store.kept == {(BATCH, MONDAY): 2, (OTHER, MONDAY): 1, (BATCH, TUESDAY): 1}
    assert counter.flush() == 0
    assert store.flushes == 1  # nothing new: no statement at all


def test_a_failed_flush_keeps_the_counts_for_the_next_one() -> None:
    store = KeptScans()
    counter = ScanCounter(store, today=lambda: MONDAY)
    counter.count(BATCH)
    store.down = True

    failed = counter.flush()
    counter.count(BATCH)
    store.down = False
    flushed = counter.flush()

    assert failed == 0
    assert flushed == 2
    assert store.kept == {(BATCH, MONDAY): 2}


def test_while_the_store_is_down_memory_is_bounded_and_what_is_dropped_is_counted() -> None:
    store = KeptScans()
    store.down = True
    counter = ScanCounter(store, max_keys=2, today=lambda: MONDAY)
    for n in range(5):
        counter.count(UUID(int=n))
    counter.flush()
    counter.count(UUID(int=0))

    assert counter.pending() == 3
    assert counter.dropped == 3


def test_a_page_request_counts_one_scan_and_a_failing_store_does_not_fail_it() -> None:
    store = KeptScans()
    store.down = True
    client, counter = _pages(store)

    responses = [client.get(f"/b/{CODE}") for _ in range(3)]
    counter.flush()

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert counter.pending() == 3


def test_a_digital_link_scan_counts_once_where_it_lands() -> None:
    store = KeptScans()
    client, counter = _pages(store)

    landed = client.get(f"/01/{GTIN14}/10/{LOT}")
    counter.flush()

    assert landed.url.path == f"/b/{CODE}"
    assert sum(store.kept.values()) == 1


def test_machines_reading_the_json_are_not_scans() -> None:
    client, counter = _pages(KeptScans())

    client.get(f"/b/{CODE}", headers={"Accept": "application/json"})
    client.get(f"/b/{CODE}/traceability.json")
    client.get(f"/b/{CODE}/qr.svg")

    assert counter.pending() == 0


def test_an_unknown_batch_counts_nothing() -> None:
    client, counter = _pages(KeptScans())

    client.get("/b/TH-2026-999999")

    assert counter.pending() == 0


def test_stopping_the_flusher_flushes_what_the_last_requests_counted() -> None:
    store = KeptScans()
    counter = ScanCounter(store, today=lambda: MONDAY)
    flusher = ScanFlusher(counter, interval=3600)
    flusher.start()
    counter.count(BATCH)

    flusher.stop()

    assert store.kept == {(BATCH, MONDAY): 1}
