"""EPCIS capture through HTTP: a full document to ``POST /epcis/capture``, and its job.

The EPCIS app in process (a TestClient, so no network or server costs), on a database of its
own on the PostgreSQL server named by ``--admin-url``, dropped at the end. Times GS1's schema
check of the document alone, then the whole request (media type, size, JSON, schema, the job
and ``capture``), then reading the job. ``bench/epcis_capture.py`` times ``capture`` alone.
Prints figures; asserts nothing.

    python bench/epcis_capture_http.py --admin-url postgresql://postgres@127.0.0.1:55432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from epcis_capture import a_database
from fastapi.testclient import TestClient

# The partners and their events are the tests' own builders (tests/ is not installed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.epcis.app import create_app
from shared.database import prepare
from shared.epcis.capture import CAPTURE_LIMIT
from shared.epcis.schema import validate_document
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.tracking import connector
from shared.records.actors import Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.epcis_events import a_partner_class, days_ago, harvest_event
from tests.integration.epcis_capture.partners import partners
from tests.integration.epcis_capture_http.conftest import a_document

TARGET_SECONDS_PER_FULL_REQUEST = 2.0  # CAPTURE_LIMIT events, rollback, schema included


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
        connect = connector(urls.app)
        tokens = TokenStore(connect)
        try:
            world = partners(records)
            token = tokens.create(Role.COOPERATIVE, world.cooperative_id)
            client = TestClient(create_app(NguonSettings(), records, tokens, connect))
            events = [
                harvest_event(a_partner_class(), world.plot_gln, days_ago(2))
                for _ in range(args.events)
            ]
            document = a_document(*events)
            body = json.dumps(document).encode()
            started = time.perf_counter()
            assert validate_document(document) == []
            schema = time.perf_counter() - started
            print(
                f"GS1's schema check of {len(events)} events ({len(body):,} bytes): {schema:.2f} s"
            )
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
            started = time.perf_counter()
            answer = client.post("/epcis/capture", content=body, headers=headers)
            seconds = time.perf_counter() - started
            assert answer.status_code == 202, answer.text[:500]
            assert answer.json()["success"], answer.json()["errors"][:3]
            print(
                f"POST /epcis/capture, {len(events)} harvests, rollback: {seconds:.2f} s,"
                f" {len(events) / seconds:,.0f} events/s"
                f" (target ≤ {TARGET_SECONDS_PER_FULL_REQUEST:.1f} s for {CAPTURE_LIMIT})"
            )
            started = time.perf_counter()
            job = client.get(answer.headers["Location"], headers=headers)
            assert job.status_code == 200
            print(
                f"GET the job ({len(job.content):,} bytes): {time.perf_counter() - started:.3f} s"
            )
        finally:
            tokens.close()
            records.close()


if __name__ == "__main__":
    main()
