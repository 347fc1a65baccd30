"""Bearer tokens on a real PostgreSQL: listing, expiry, and revocation seen by every process.

Two ``TokenStore``s on one database stand for two processes (say capture and ``nguon token
revoke``): each has its own cache and its own revocation listener, as separate processes would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import psycopg
import pytest

from shared.database import prepare
from shared.domain.errors import InvalidValue, NotFound
from shared.postgres.token_cache import listening_on
from shared.postgres.tokens import TokenInfo, TokenStore
from shared.records.actors import Role
from shared.settings import NguonSettings
from tests.databases import on_database

HEARD_SECONDS = 10.0


@pytest.fixture
def app_url(fresh_database_admin_url: str) -> str:
    return prepare(NguonSettings(**on_database(fresh_database_admin_url))).app


def _pooled(url: str) -> Iterator[TokenStore]:
    def connect() -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(url)

    store = TokenStore(connect, listen=listening_on(url))
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def here(app_url: str) -> Iterator[TokenStore]:
    yield from _pooled(app_url)


@pytest.fixture
def elsewhere(app_url: str) -> Iterator[TokenStore]:
    yield from _pooled(app_url)


def _cached_through(store: TokenStore, token: str) -> None:
    """Resolves once the listener holds LISTEN, so the answer is cached."""
    assert store.cache.wait_until_listening(HEARD_SECONDS)
    assert store.resolve(token) is not None
    assert store.cached(token) is not None


def test_a_token_revoked_in_one_process_is_refused_at_once_through_anothers_cache(
    here: TokenStore, elsewhere: TokenStore
) -> None:
    issued = here.issue(Role.PROVINCE, label="Sở NN&MT")
    _cached_through(elsewhere, issued.token)

    here.revoke(issued.id)

    assert elsewhere.cache.wait_until_heard(1, HEARD_SECONDS)
    assert elsewhere.cached(issued.token) is None
    assert elsewhere.resolve(issued.token) is None
    assert here.resolve(issued.token) is None


def test_a_token_revoked_by_hand_in_the_database_is_refused_through_the_cache(
    here: TokenStore, app_url: str
) -> None:
    issued = here.issue(Role.ADMIN)
    _cached_through(here, issued.token)

    with psycopg.connect(app_url) as conn:
        conn.execute("UPDATE nguon_tokens SET revoked_at = now() WHERE id = %s", (issued.id,))

    assert here.cache.wait_until_heard(1, HEARD_SECONDS)
    assert here.resolve(issued.token) is None


def test_a_revocation_missed_while_the_listener_was_cut_off_still_stops_the_token(
    here: TokenStore, fresh_database_admin_url: str, app_url: str
) -> None:
    issued = here.issue(Role.ADMIN)
    _cached_through(here, issued.token)

    with psycopg.connect(fresh_database_admin_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query = 'LISTEN nguon_tokens'"
        )
    with psycopg.connect(app_url) as conn:  # no listener hears this one
        conn.execute("UPDATE nguon_tokens SET revoked_at = now() WHERE id = %s", (issued.id,))

    assert here.cache.wait_until_listening(HEARD_SECONDS, times=2)
    assert here.cached(issued.token) is None
    assert here.resolve(issued.token) is None


def test_without_a_revocation_listener_nothing_is_cached(app_url: str, here: TokenStore) -> None:
    deaf = TokenStore(lambda: psycopg.connect(app_url))
    issued = here.issue(Role.ADMIN)

    assert deaf.resolve(issued.token) is not None
    assert deaf.cached(issued.token) is None
    here.revoke(issued.id)
    assert deaf.resolve(issued.token) is None


def test_an_expired_token_is_refused_even_from_the_cache(app_url: str, here: TokenStore) -> None:
    now = [datetime(2027, 3, 1, 8, 0, tzinfo=UTC)]
    store = TokenStore(
        lambda: psycopg.connect(app_url), listen=listening_on(app_url), wall_clock=lambda: now[0]
    )
    try:
        issued = store.issue(Role.PROVINCE, expires_at=now[0] + timedelta(hours=1))
        _cached_through(store, issued.token)

        now[0] += timedelta(hours=1, seconds=1)

        assert store.cached(issued.token) is None
        assert store.resolve(issued.token) is None
    finally:
        store.close()


def test_a_token_whose_expiry_has_passed_in_the_database_is_refused(
    here: TokenStore, app_url: str
) -> None:
    issued = here.issue(Role.PROVINCE, expires_at=datetime.now(UTC) + timedelta(days=1))
    with psycopg.connect(app_url) as conn:
        conn.execute(
            "UPDATE nguon_tokens SET expires_at = now() - interval '1 second' WHERE id = %s",
            (issued.id,),
        )
    assert here.resolve(issued.token) is None


def test_an_expiry_in_the_past_is_refused_and_nothing_is_stored(here: TokenStore) -> None:
    with pytest.raises(InvalidValue, match="has passed"):
        here.issue(Role.ADMIN, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert here.list() == []


def test_the_list_shows_every_token_but_never_its_secret(app_url: str, here: TokenStore) -> None:
    organisation = uuid4()
    expiry = datetime(2030, 1, 1, tzinfo=UTC)
    grower = here.issue(Role.COOPERATIVE, organisation, "HTX Thiệu Trung", expires_at=expiry)
    staff = here.issue(Role.PROVINCE, label="Sở NN&MT")
    here.revoke(staff.id)

    listed = here.list()

    assert [t.id for t in listed] == [grower.id, staff.id]
    first, second = listed
    assert (first.label, first.role, first.organisation_id) == (
        "HTX Thiệu Trung",
        Role.COOPERATIVE,
        organisation,
    )
    assert first.expires_at == expiry
    assert first.revoked_at is None
    assert first.state(datetime.now(UTC)) == "active"
    assert second.revoked_at is not None
    assert second.state(datetime.now(UTC)) == "revoked"
    assert first.created_at <= second.created_at
    with psycopg.connect(app_url) as conn:
        hashes = {str(h) for (h,) in conn.execute("SELECT token_hash FROM nguon_tokens")}
    shown = {str(getattr(t, f.name)) for t in listed for f in fields(TokenInfo)}
    assert not shown & (hashes | {grower.token, staff.token})


def test_revoking_an_unknown_token_says_how_to_find_one(here: TokenStore) -> None:
    with pytest.raises(NotFound, match="nguon token list"):
        here.revoke(uuid4())
