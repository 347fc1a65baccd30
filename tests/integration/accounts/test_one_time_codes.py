"""A one-time code is stored hashed, expires, and is void once it has signed in."""

from __future__ import annotations

import psycopg

from shared.accounts.service import Accounts
from shared.accounts.signing_in import Refused, SignedIn
from shared.records.actors import Role
from tests.integration.accounts.conftest import issue


def test_the_code_itself_is_never_stored(accounts: Accounts, fresh_database_admin_url: str) -> None:
    issued = issue(accounts, "0915000001", Role.PROVINCE)

    with psycopg.connect(fresh_database_admin_url) as conn:
        rows = conn.execute("SELECT * FROM nguon_accounts").fetchall()

    assert issued.code not in repr(rows)
    assert issued.code.replace("-", "") not in repr(rows)


def test_an_expired_code_no_longer_signs_in(
    accounts: Accounts, fresh_database_admin_url: str
) -> None:
    issued = issue(accounts, "0915000002", Role.PROVINCE)
    with psycopg.connect(fresh_database_admin_url) as conn:
        conn.execute("UPDATE nguon_accounts SET code_expires_at = now() - interval '1 second'")

    assert accounts.sign_in.attempt(issued.username, issued.code, "198.51.100.4") == Refused()


def test_a_code_signs_in_once_even_if_no_password_was_chosen_after_it(
    accounts: Accounts,
) -> None:
    issued = issue(accounts, "0915000003", Role.PROVINCE)

    first = accounts.sign_in.attempt(issued.username, issued.code, "198.51.100.5")
    again = accounts.sign_in.attempt(issued.username, issued.code, "198.51.100.5")

    assert isinstance(first, SignedIn)
    assert first.must_set_password
    assert again == Refused()
    assert accounts.store.get(issued.account_id).state(accounts.store.now()) == (
        "awaiting_first_sign_in"
    )
