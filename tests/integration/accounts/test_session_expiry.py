"""A session ends after its idle time without a request, and after its absolute lifetime."""

from __future__ import annotations

import psycopg

from shared.accounts.service import Accounts
from shared.records.actors import Role
from tests.integration.accounts.conftest import PLATFORM, Browser, an_account


def _age_sessions(admin_url: str, *, seen: str = "0 minutes", created: str = "0 minutes") -> None:
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "UPDATE nguon_sessions SET last_seen_at = last_seen_at - %s::interval,"
            " created_at = created_at - %s::interval",
            (seen, created),
        )


def test_a_session_idle_longer_than_its_limit_has_ended(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912222001", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)
    _age_sessions(fresh_database_admin_url, seen="29 minutes", created="29 minutes")
    assert browser.client.get("/account").status_code == 200  # and it was seen just now

    _age_sessions(fresh_database_admin_url, seen="29 minutes")
    assert browser.client.get("/account").status_code == 200

    _age_sessions(fresh_database_admin_url, seen="31 minutes")
    assert browser.client.get("/account").status_code == 303


def test_a_busy_session_still_ends_at_its_absolute_lifetime(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912222002", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)
    _age_sessions(fresh_database_admin_url, created="11 hours 59 minutes")
    assert browser.client.get("/account").status_code == 200

    _age_sessions(fresh_database_admin_url, created="2 minutes")
    answer = browser.client.get("/account")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/account"


def test_a_disabled_accounts_sessions_end_at_once(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912222003", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)

    accounts.store.disable(PLATFORM, staff.account_id)

    assert browser.client.get("/account").status_code == 303
    assert browser.sign_in(staff.username, staff.password).status_code == 401


def _seconds_since_seen(admin_url: str) -> float:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT extract(epoch FROM now() - last_seen_at) FROM nguon_sessions"
        ).fetchone()
    assert row is not None
    return float(row[0])


def test_reading_pages_writes_the_sessions_last_visit_at_most_once_a_minute(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912222004", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)

    _age_sessions(fresh_database_admin_url, seen="40 seconds")
    browser.client.get("/account")
    assert _seconds_since_seen(fresh_database_admin_url) >= 40

    _age_sessions(fresh_database_admin_url, seen="30 seconds")
    browser.client.get("/account")
    assert _seconds_since_seen(fresh_database_admin_url) < 5
