"""Accounts on a fresh, migrated database of each test's own, with a registered cooperative."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.passwords import Passwords
from shared.accounts.service import Accounts
from shared.accounts.store import IssuedCode, NewAccount
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import Grower, a_grower, an_enterprise
from tests.databases import on_database

PLATFORM = Actor(Role.ADMIN)  # what `nguon user create` acts as: the platform, no id
PASSWORD = "lúa-thơm-2026"


def cheap_passwords() -> Passwords:
    """Argon2id still, with a small cost so that a test may sign in many times."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


@pytest.fixture
def settings(fresh_database_admin_url: str) -> PlatformSettings:
    return PlatformSettings(**on_database(fresh_database_admin_url))


@pytest.fixture
def records(settings: PlatformSettings) -> Iterator[Records]:
    urls = prepare(settings)
    app = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    yield app
    app.close()


@pytest.fixture
def tokens(records: Records) -> TokenStore:
    return TokenStore(connections_of(records))


@pytest.fixture
def accounts(settings: PlatformSettings, records: Records) -> Accounts:
    return Accounts.build(settings, connections_of(records), records, passwords=cheap_passwords())


@pytest.fixture
def grower(records: Records) -> Grower:
    return a_grower(records)


@pytest.fixture
def other_grower(records: Records) -> Grower:
    return a_grower(records)


@pytest.fixture
def enterprise_id(records: Records) -> UUID:
    found = an_enterprise(records).organisation_id
    assert found is not None
    return found


@dataclass(frozen=True)
class Signed:
    """An account that has set its password and may sign in."""

    account_id: UUID
    username: str
    password: str


def an_account(
    accounts: Accounts,
    username: str,
    role: Role,
    organisation_id: UUID | None = None,
    household_ref: str | None = None,
    *,
    by: Actor = PLATFORM,
) -> Signed:
    issued = issue(accounts, username, role, organisation_id, household_ref, by=by)
    accounts.store.set_password(issued.account_id, PASSWORD)
    return Signed(issued.account_id, issued.username, PASSWORD)


def issue(
    accounts: Accounts,
    username: str,
    role: Role,
    organisation_id: UUID | None = None,
    household_ref: str | None = None,
    *,
    by: Actor = PLATFORM,
) -> IssuedCode:
    new = NewAccount(username, f"Người {username}", role, organisation_id, household_ref)
    return accounts.store.create(by, new)


@pytest.fixture
def side(
    settings: PlatformSettings, records: Records, tokens: TokenStore, accounts: Accounts
) -> WriteSide:
    return WriteSide(settings, records, tokens, accounts)


@pytest.fixture
def site(side: WriteSide) -> Iterator[TestClient]:
    """The whole platform over HTTP, as `nguon serve` mounts it; the client keeps cookies."""
    with TestClient(
        build_app(side), base_url="http://127.0.0.1:8000", follow_redirects=False
    ) as client:
        yield client


class Browser:
    """A person's browser on the site: fetches a form's tokens, posts it as a browser would."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def form_token(self, path: str) -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        return csrf_in(page.text)

    def sign_in(self, username: str, password: str, **extra: str) -> httpx.Response:
        token = self.form_token("/sign-in")
        fields = {"csrf_token": token, "username": username, "password": password, **extra}
        answer: httpx.Response = self.client.post("/sign-in", data=fields)
        return answer

    def post(self, path: str, page: str, **fields: str) -> httpx.Response:
        """Posts a form of ``page`` (fetched first, as a person would have it on screen)."""
        token = self.form_token(page)
        answer: httpx.Response = self.client.post(path, data={"csrf_token": token, **fields})
        return answer


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def browser(site: TestClient) -> Browser:
    return Browser(site)
