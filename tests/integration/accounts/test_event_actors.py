"""Every stored event records who recorded it, beside the events, in the same transaction."""

from __future__ import annotations

from uuid import UUID

import psycopg
from fastapi.testclient import TestClient

from services.capture.app import create_app
from services.platform.settings import PlatformSettings
from shared.accounts.service import Accounts
from shared.postgres.tokens import TokenStore
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import Grower, a_harvest, harvest_json
from tests.integration.accounts.conftest import an_account
from tests.integration.capture.capture_api import NoCatalogue


def _actors(admin_url: str, after: int) -> dict[int, UUID]:
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute(
            "SELECT position, actor_id FROM nguon_event_actors WHERE position > %s", (after,)
        ).fetchall()
    return {int(position): actor for position, actor in rows}


def test_events_recorded_through_the_api_with_a_token_carry_the_tokens_id(
    settings: PlatformSettings,
    records: Records,
    tokens: TokenStore,
    grower: Grower,
    fresh_database_admin_url: str,
) -> None:
    issued = tokens.issue(Role.COOPERATIVE, grower.cooperative_id, "HTX app")
    before = records.position()
    with TestClient(create_app(settings, records, tokens, NoCatalogue())) as client:
        answer = client.post(
            "/api/v1/batches",
            json=harvest_json(grower.plot_id),
            headers={"Authorization": f"Bearer {issued.token}"},
        )
    assert answer.status_code == 201, answer.text

    assert _actors(fresh_database_admin_url, before) == {answer.json()["position"]: issued.id}


def test_every_event_of_a_bulk_request_carries_the_tokens_id(
    settings: PlatformSettings,
    records: Records,
    tokens: TokenStore,
    grower: Grower,
    fresh_database_admin_url: str,
) -> None:
    issued = tokens.issue(Role.COOPERATIVE, grower.cooperative_id)
    before = records.position()
    commands = [{"type": "harvest", **harvest_json(grower.plot_id)} for _ in range(3)]
    with TestClient(create_app(settings, records, tokens, NoCatalogue())) as client:
        answer = client.post(
            "/api/v1/bulk",
            json={"commands": commands},
            headers={"Authorization": f"Bearer {issued.token}"},
        )
    assert answer.status_code == 200, answer.text

    recorded = _actors(fresh_database_admin_url, before)
    assert sorted(recorded) == [before + 1, before + 2, before + 3]
    assert set(recorded.values()) == {issued.id}


def test_events_recorded_by_a_signed_in_person_carry_the_accounts_id(
    records: Records, accounts: Accounts, grower: Grower, fresh_database_admin_url: str
) -> None:
    person = an_account(accounts, "0912345678", Role.COOPERATIVE, grower.cooperative_id)
    actor = accounts.store.get(person.account_id).actor
    before = records.position()

    outcome = records.execute(actor, [a_harvest([grower.plot_id])])

    assert _actors(fresh_database_admin_url, before) == {outcome.position: person.account_id}


def test_events_the_platform_records_itself_carry_no_actor(
    records: Records, grower: Grower, fresh_database_admin_url: str
) -> None:
    before = records.position()

    records.execute(Actor(Role.COOPERATIVE, grower.cooperative_id), [a_harvest([grower.plot_id])])

    assert records.position() == before + 1
    assert _actors(fresh_database_admin_url, before) == {}
