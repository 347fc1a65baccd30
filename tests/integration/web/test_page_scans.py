"""QR scans reach ``nguon_page_scans`` in the real PostgreSQL, and outlive a rebuild."""

from __future__ import annotations

from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient

from services.web.app import create_app
from services.web.scans import ScanCounter
from shared.database import DatabaseUrls
from shared.domain.clock import today_in_vietnam
from shared.readmodels.monitoring.figures import Filters, Share
from shared.readmodels.monitoring.queries import PostgresIndicators
from shared.readmodels.page_scans import PostgresScanStore
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import Connect, Position
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes

PAGE_REQUESTS = 7
LINK_SCANS = 3


def _batch_id(reader: PostgresProvenanceReader, code: str) -> UUID:
    document = reader.by_code(code)
    assert document is not None
    return UUID(document["batch_id"])


@pytest.fixture
def scanned(
    records: Records,
    projections: Projections,
    reader: PostgresProvenanceReader,
    connect: Connect,
    chain: Chain,
) -> tuple[PostgresScanStore, UUID]:
    """Seven requests of the retail lot's page and three of its Digital Link, then a flush."""
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    store = PostgresScanStore(connect)
    counter = ScanCounter(store)
    app = create_app(NguonSettings(), reader, scans=counter)
    client = TestClient(app)
    for _ in range(PAGE_REQUESTS):
        assert client.get(f"/b/{chain.retail_lot}").status_code == 200
    for _ in range(LINK_SCANS):
        assert client.get(f"/01/{chain.gtin}/10/{chain.lot}").status_code == 200
    assert counter.flush() == PAGE_REQUESTS + LINK_SCANS
    return store, _batch_id(reader, chain.retail_lot)


def test_every_page_request_is_counted_for_its_batch_and_day(
    scanned: tuple[PostgresScanStore, UUID],
) -> None:
    store, batch_id = scanned

    assert store.scans(batch_id, today_in_vietnam()) == PAGE_REQUESTS + LINK_SCANS


def test_later_flushes_add_to_the_days_count(scanned: tuple[PostgresScanStore, UUID]) -> None:
    store, batch_id = scanned
    counter = ScanCounter(store)
    counter.count(batch_id)
    counter.count(batch_id)

    counter.flush()

    assert store.scans(batch_id, today_in_vietnam()) == PAGE_REQUESTS + LINK_SCANS + 2


def test_a_rebuild_of_the_read_models_leaves_the_counts(
    scanned: tuple[PostgresScanStore, UUID], records: Records, projections: Projections
) -> None:
    store, batch_id = scanned

    rebuild(records, projections, progress=False)

    assert store.scans(batch_id, today_in_vietnam()) == PAGE_REQUESTS + LINK_SCANS


def test_the_services_role_may_add_scans_but_never_delete_them(
    scanned: tuple[PostgresScanStore, UUID], database: DatabaseUrls
) -> None:
    with psycopg.connect(database.app) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM nguon_page_scans")


def test_only_a_batch_a_day_and_a_count_are_stored(database: DatabaseUrls) -> None:
    with psycopg.connect(database.app) as conn:
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'nguon_page_scans' ORDER BY ordinal_position"
        ).fetchall()

    assert [c[0] for c in columns] == ["batch_id", "day", "scans"]


def test_the_provinces_traceability_indicator_counts_the_scans(
    scanned: tuple[PostgresScanStore, UUID], connect: Connect
) -> None:
    indicator = PostgresIndicators(connect).indicator(
        "traceability", Filters(as_of=today_in_vietnam())
    )

    (scans,) = [f.value for f in indicator.figures if f.label == "mon_labels_scanned"]
    assert isinstance(scans, Share)
    assert scans.numerator == PAGE_REQUESTS + LINK_SCANS
