"""Passwords are stored as Argon2id hashes, rehashed when the parameters change."""

from __future__ import annotations

from argon2 import extract_parameters
from argon2.low_level import Type

from services.capture.context import connections_of
from services.platform.settings import PlatformSettings
from shared.accounts.passwords import Passwords, standard_hasher
from shared.accounts.service import Accounts
from shared.accounts.signing_in import SignedIn
from shared.records.actors import Role
from shared.records.application import Records
from tests.integration.accounts.conftest import an_account


def _stored_hash(accounts: Accounts, username: str) -> str:
    account = accounts.store.by_username(username)
    assert account is not None
    assert account.password_hash is not None
    return account.password_hash


def test_a_password_is_an_argon2id_hash_never_the_password(accounts: Accounts) -> None:
    person = an_account(accounts, "0914000001", Role.PROVINCE)

    stored = _stored_hash(accounts, person.username)

    assert stored.startswith("$argon2id$")
    assert person.password not in stored
    assert extract_parameters(stored).type is Type.ID


def test_a_hash_made_with_older_parameters_is_rehashed_at_the_next_sign_in(
    accounts: Accounts, settings: PlatformSettings, records: Records
) -> None:
    person = an_account(accounts, "0914000002", Role.PROVINCE)  # cheap parameters
    old = _stored_hash(accounts, person.username)
    today = Accounts.build(
        settings, connections_of(records), records, passwords=Passwords(standard_hasher())
    )
    assert today.store.passwords.needs_rehash(old)

    outcome = today.sign_in.attempt(person.username, person.password, "198.51.100.3")

    assert isinstance(outcome, SignedIn)
    new = _stored_hash(today, person.username)
    assert new != old
    assert not today.store.passwords.needs_rehash(new)
    assert extract_parameters(new).memory_cost == 19 * 1024
    assert isinstance(today.sign_in.attempt(person.username, person.password, "x"), SignedIn)
