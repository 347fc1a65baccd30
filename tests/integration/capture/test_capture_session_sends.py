"""The cooperative app's outbox sends as the signed-in person: the session cookie, checked by
``Origin``, no CSRF token; idempotency keys belong to the person (the actor), not to a
credential. The whole platform, as ``nguon serve`` mounts it, on a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from httpx import Response

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
from tests.builders import Grower, a_grower, harvest_json
from tests.databases import on_database
from tests.integration.accounts.conftest import an_account, cheap_passwords

SITE = "http://127.0.0.1:8000"  # the settings' default public address
BULK = "/api/v1/bulk"


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(settings, connect, records, passwords=cheap_passwords())
    yield WriteSide(settings, records, TokenStore(connect), accounts)
    records.close()


@pytest.fixture
def site(side: WriteSide) -> Iterator[TestClient]:
    with TestClient(build_app(side), base_url=SITE, follow_redirects=False) as client:
        yield client


@pytest.fixture
def grower(side: WriteSide) -> Grower:
    return a_grower(side.records)


def _person(side: WriteSide, grower: Grower, username: str = "0912000111") -> UUID:
    return an_account(side.accounts, username, Role.COOPERATIVE, grower.cooperative_id).account_id


def _session(side: WriteSide, account_id: UUID) -> str:
    return side.accounts.sessions.start(account_id)


def _harvest(grower: Grower) -> dict[str, Any]:
    return {"commands": [{"type": "harvest", **harvest_json(grower.plot_id)}]}


def _send(
    site: TestClient,
    body: dict[str, Any],
    *,
    session: str | None,
    origin: str | None = SITE,
    key: str | None = None,
) -> Response:
    headers = {"Idempotency-Key": key} if key else {}
    if origin is not None:
        headers["Origin"] = origin
    site.cookies.clear()
    if session is not None:
        site.cookies.set(SESSION_COOKIE, session)
    answer: Response = site.post(BULK, json=body, headers=headers)
    return answer


def _events(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM nguon_events").fetchone()
    assert row is not None
    return int(row[0])


def _recorded_by(admin_url: str) -> set[UUID]:
    """Who recorded the events of batches (the plot and cooperative were the platform's)."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute("SELECT DISTINCT actor_id FROM nguon_event_actors").fetchall()
    return {row[0] for row in rows if row[0] is not None}


def test_a_person_sends_a_harvest_with_their_session_from_the_sites_own_pages(
    side: WriteSide, site: TestClient, grower: Grower, fresh_database_admin_url: str
) -> None:
    account = _person(side, grower)

    answer = _send(site, _harvest(grower), session=_session(side, account))

    assert answer.status_code == 200, answer.text
    code = answer.json()["results"][0]["code"]
    assert code.startswith("TH-")
    assert _recorded_by(fresh_database_admin_url) == {account}


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8001", "null", None])
def test_a_session_send_from_another_site_or_none_is_refused_and_stores_nothing(
    side: WriteSide,
    site: TestClient,
    grower: Grower,
    fresh_database_admin_url: str,
    origin: str | None,
) -> None:
    session = _session(side, _person(side, grower))
    stored = _events(fresh_database_admin_url)

    answer = _send(site, _harvest(grower), session=session, origin=origin)

    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "session_origin_refused"
    assert "bearer token" in error["message"]
    assert _events(fresh_database_admin_url) == stored


def test_a_cross_site_form_post_without_a_csrf_token_is_refused(
    side: WriteSide, site: TestClient, grower: Grower, fresh_database_admin_url: str
) -> None:
    session = _session(side, _person(side, grower))
    stored = _events(fresh_database_admin_url)
    site.cookies.set(SESSION_COOKIE, session)

    # What a hostile page's <form method=post action=…/api/v1/bulk enctype=text/plain> sends.
    answer = site.post(
        BULK,
        content='{"commands": [{"type": "harvest", "x": "=1"}]}',
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "session_origin_refused"
    assert _events(fresh_database_admin_url) == stored


def test_an_ended_session_asks_to_sign_in_again(
    side: WriteSide, site: TestClient, grower: Grower
) -> None:
    session = _session(side, _person(side, grower))
    side.accounts.sessions.end(session)

    answer = _send(site, _harvest(grower), session=session)

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "session_expired"
    vietnamese = site.post(
        BULK, json=_harvest(grower), headers={"Origin": SITE, "Accept-Language": "vi"}
    )
    assert "đăng nhập lại" in vietnamese.json()["error"]["message"]


def test_bearer_tokens_still_work_without_an_origin(
    side: WriteSide, site: TestClient, grower: Grower
) -> None:
    token = side.tokens.create(Role.COOPERATIVE, grower.cooperative_id, "a scale at the dryer")
    site.cookies.clear()

    answer = site.post(BULK, json=_harvest(grower), headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 200, answer.text


def test_a_send_retried_after_signing_in_again_meets_its_first_answer(
    side: WriteSide, site: TestClient, grower: Grower, fresh_database_admin_url: str
) -> None:
    account = _person(side, grower)
    first = _send(site, _harvest(grower), session=_session(side, account), key="phone-0001")
    stored = _events(fresh_database_admin_url)

    renewed = _session(side, account)  # the first session expired; the person signed in again
    again = _send(site, _harvest(grower), session=renewed, key="phone-0001")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _events(fresh_database_admin_url) == stored


def test_two_people_using_the_same_key_each_store_their_own_record(
    side: WriteSide, site: TestClient, grower: Grower, fresh_database_admin_url: str
) -> None:
    # People's sessions carry no token: scoped by token, every person shared one scope, and
    # the second person got the first one's answer with nothing of theirs stored.
    mine = _session(side, _person(side, grower, "0912000111"))
    theirs = _session(side, _person(side, grower, "0912000222"))

    first = _send(site, _harvest(grower), session=mine, key="the-same-key")
    stored = _events(fresh_database_admin_url)
    second = _send(site, _harvest(grower), session=theirs, key="the-same-key")

    assert first.status_code == second.status_code == 200
    assert "Idempotent-Replayed" not in second.headers
    assert second.json()["results"][0]["code"] != first.json()["results"][0]["code"]
    assert _events(fresh_database_admin_url) > stored


ELSEWHERE = "http://localhost:8000"  # the same platform, reached at another of its names


@pytest.fixture
def site_elsewhere(side: WriteSide) -> Iterator[TestClient]:
    """The platform as a browser sees it at ``localhost``: its Host header names that address."""
    with TestClient(build_app(side), base_url=ELSEWHERE, follow_redirects=False) as client:
        yield client


def test_a_session_send_from_the_address_the_site_was_opened_at_is_accepted(
    side: WriteSide, site_elsewhere: TestClient, grower: Grower, fresh_database_admin_url: str
) -> None:
    account = _person(side, grower)

    answer = _send(
        site_elsewhere, _harvest(grower), session=_session(side, account), origin=ELSEWHERE
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["code"].startswith("TH-")
    assert _recorded_by(fresh_database_admin_url) == {account}


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://localhost:8001", "https://localhost:8000"]
)
def test_a_session_send_from_a_foreign_origin_is_refused_at_any_address_of_the_site(
    side: WriteSide,
    site_elsewhere: TestClient,
    grower: Grower,
    fresh_database_admin_url: str,
    origin: str,
) -> None:
    session = _session(side, _person(side, grower))
    stored = _events(fresh_database_admin_url)

    answer = _send(site_elsewhere, _harvest(grower), session=session, origin=origin)

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "session_origin_refused"
    assert _events(fresh_database_admin_url) == stored
