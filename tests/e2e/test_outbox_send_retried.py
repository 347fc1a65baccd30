"""A send retried after the server committed but before the phone got the answer stores nothing
twice: the real platform under uvicorn, a raw socket that sends the outbox's request and hangs
up without reading the answer, then the same request again, as the outbox retries it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
import psycopg
import pytest

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.gate import SESSION_COOKIE
from shared.accounts.service import Accounts
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.records.actors import Role
from shared.records.application import Records
from tests.browser import serving_built
from tests.builders import Grower, a_grower, harvest_json
from tests.databases import on_database
from tests.eventually import eventually
from tests.integration.accounts.conftest import an_account, cheap_passwords

KEY = "0b7c9a52-5d1e-4c55-9a51-3f1f7f0e2a11"  # what crypto.randomUUID gave the record


@pytest.fixture
def admin_url(fresh_database_admin_url: str) -> str:
    return fresh_database_admin_url


def _platform(admin_url: str, base: str) -> tuple[WriteSide, Records]:
    settings = PlatformSettings(**on_database(admin_url), public_base_url=base)
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(settings, connect, records, passwords=cheap_passwords())
    return WriteSide(settings, records, TokenStore(connect), accounts), records


@pytest.fixture
def site(admin_url: str) -> Iterator[tuple[str, WriteSide]]:
    built: list[tuple[WriteSide, Records]] = []

    def build(base: str) -> Any:
        built.append(_platform(admin_url, base))
        return build_app(built[0][0])

    with serving_built(build) as base:
        yield base, built[0][0]
    built[0][1].close()


def _events(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM nguon_events").fetchone()
    assert row is not None
    return int(row[0])


def _send_and_hang_up(base: str, body: bytes, headers: dict[str, str]) -> None:
    """The whole request on the wire, then the phone loses coverage: nothing is read."""
    where = urlsplit(base)
    lines = ["POST /api/v1/bulk HTTP/1.1", f"Host: {where.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    with socket.create_connection((where.hostname, where.port)) as phone:
        phone.sendall("\r\n".join(lines).encode() + body)
        phone.shutdown(socket.SHUT_RDWR)


def test_a_send_retried_after_the_server_committed_but_the_answer_was_lost_stores_nothing_twice(
    site: tuple[str, WriteSide], admin_url: str
) -> None:
    base, side = site
    grower: Grower = a_grower(side.records)
    account = an_account(side.accounts, "0912777000", Role.COOPERATIVE, grower.cooperative_id)
    cookie = side.accounts.sessions.start(account.account_id)
    body = json.dumps({"commands": [{"type": "harvest", **harvest_json(grower.plot_id)}]})
    headers = {
        "Content-Type": "application/json",
        "Origin": base,
        "Idempotency-Key": KEY,
        "Cookie": f"{SESSION_COOKIE}={cookie}",
    }
    before = side.records.position()

    _send_and_hang_up(base, body.encode(), headers)
    committed = eventually(  # by the event store's position: the server went on and committed
        lambda: side.records.position() > before and side.records.position(),
        what="the lost request's harvest being stored",
    )
    stored = _events(admin_url)

    retried = httpx.post(f"{base}/api/v1/bulk", content=body, headers=headers)
    again = httpx.post(f"{base}/api/v1/bulk", content=body, headers=headers)

    assert retried.status_code == again.status_code == 200, retried.text
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json() == again.json()
    assert retried.json()["position"] == committed
    assert _events(admin_url) == stored
    batch = side.records.batch(UUID(retried.json()["results"][0]["batch_id"]))
    assert batch.code == retried.json()["results"][0]["code"]
