"""EPCIS capture throughput: a partner's document of harvests, then of their shipments.

Creates a database of its own on the PostgreSQL server named by ``--admin-url`` (the test
server: ``deploy/local/postgres.sh url``), drops it at the end, and times ``capture`` itself
(translation, look-ups in the event store, one ``Records.execute``), without HTTP. Prints
figures; asserts nothing.

    python bench/epcis_capture.py --admin-url postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

# The partners and their events are the tests' own builders (tests/ is not installed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.database import prepare
from shared.epcis.capture import CAPTURE_LIMIT, Behaviour, capture
from shared.postgres.urls import eventsourcing_env
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.epcis_events import a_partner_class, days_ago, harvest_event, shipping_event
from tests.integration.epcis_capture.partners import partners

TARGET_SECONDS_PER_FULL_DOCUMENT = 1.0  # CAPTURE_LIMIT events, rollback: one transaction


@contextmanager
def a_database(admin_url: str) -> Iterator[str]:
    name = f"nguon_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # ``make bench`` names the test server in this variable, as the tests' own runs do.
    admin = os.environ.get("NGUON_TEST_DATABASE_ADMIN_URL")
    parser.add_argument("--admin-url", default=admin, required=admin is None)
    parser.add_argument("--events", type=int, default=CAPTURE_LIMIT)
    args = parser.parse_args()
    with a_database(args.admin_url) as url:
        urls = prepare(NguonSettings(**on_database(url)))
        records = Records(eventsourcing_env(urls.app, create_table=False, pool_size=2))
        try:
            world = partners(records)
            lots = [a_partner_class() for _ in range(args.events)]
            harvests = [harvest_event(lot, world.plot_gln, days_ago(2)) for lot in lots]
            shipments = [
                shipping_event(
                    lot, days_ago(1), sender_gln=world.cooperative_gln, receiver_gln=world.mill_gln
                )
                for lot in lots
            ]
            for name, events in (("harvests", harvests), ("shipments", shipments)):
                started = time.perf_counter()
                outcome = capture(records, world.cooperative, events, Behaviour.ROLLBACK)
                seconds = time.perf_counter() - started
                assert outcome.success, outcome.refusals[:3]
                print(
                    f"{len(events)} {name} in one rollback document: {seconds:.2f} s,"
                    f" {len(events) / seconds:,.0f} events/s"
                    f" (target ≤ {TARGET_SECONDS_PER_FULL_DOCUMENT:.1f} s for {CAPTURE_LIMIT})"
                )
            started = time.perf_counter()
            again = capture(records, world.cooperative, harvests, Behaviour.ROLLBACK)
            seconds = time.perf_counter() - started
            print(f"the harvests sent again (all duplicates): {seconds:.2f} s")
            assert {e.status for e in again.events} == {"duplicate"}
        finally:
            records.close()


if __name__ == "__main__":
    main()
