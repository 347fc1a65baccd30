"""Guessing passwords: the account locks after five failures, the address is throttled; and no
answer tells whether a username has an account."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.gate import SESSION_COOKIE
from shared.accounts.passwords import Passwords
from shared.accounts.service import Accounts
from shared.accounts.signing_in import Refused
from shared.postgres.tokens import TokenStore
from shared.records.actors import Role
from shared.records.application import Records
from tests.integration.accounts.conftest import PLATFORM, Browser, an_account, cheap_passwords

PROXY = "10.0.0.5"


class CountedPasswords(Passwords):
    """The real Argon2id hasher, counting the verifications a sign-in costs."""

    verified = 0

    def verify(self, stored: str | None, typed: str) -> bool:
        self.verified += 1
        return super().verify(stored, typed)


def _site(
    settings: PlatformSettings, records: Records, tokens: TokenStore, peer: str, **changes: object
) -> Iterator[Browser]:
    tuned = settings.model_copy(update=changes)
    accounts = Accounts.build(tuned, connections_of(records), records, passwords=cheap_passwords())
    app = build_app(WriteSide(tuned, records, tokens, accounts))
    with TestClient(
        app, base_url="http://127.0.0.1:8000", follow_redirects=False, client=(peer, 50000)
    ) as client:
        yield Browser(client)


@pytest.fixture
def direct(settings: PlatformSettings, records: Records, tokens: TokenStore) -> Iterator[Browser]:
    """A browser reaching the platform directly, three failures per address allowed."""
    yield from _site(settings, records, tokens, "198.51.100.7", sign_in_failures_per_address=3)


@pytest.fixture
def proxied(settings: PlatformSettings, records: Records, tokens: TokenStore) -> Iterator[Browser]:
    """Browsers behind a trusted reverse proxy, three failures per address allowed."""
    yield from _site(
        settings, records, tokens, PROXY, sign_in_failures_per_address=3, trusted_proxies=PROXY
    )


def test_after_five_failures_the_account_is_locked_and_says_so_no_differently(
    accounts: Accounts, browser: Browser
) -> None:
    person = an_account(accounts, "0912111000", Role.PROVINCE)
    wrong = [browser.sign_in(person.username, "sai mật khẩu") for _ in range(5)]
    assert {answer.status_code for answer in wrong} == {401}

    locked = browser.sign_in(person.username, person.password)

    assert locked.status_code == 401
    assert locked.text == wrong[-1].text
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in locked.text
    assert SESSION_COOKIE not in browser.client.cookies
    assert accounts.store.get(person.account_id).state(accounts.store.now()) == "locked"


def test_the_lock_lifts_after_fifteen_minutes(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    person = an_account(accounts, "0912111001", Role.PROVINCE)
    for _ in range(5):
        browser.sign_in(person.username, "sai mật khẩu")
    with psycopg.connect(fresh_database_admin_url) as conn:
        conn.execute(
            "UPDATE nguon_accounts SET locked_until = locked_until - interval '15 minutes'"
        )

    assert browser.sign_in(person.username, person.password).status_code == 303


def test_an_unknown_username_answers_exactly_as_a_wrong_password_and_costs_one_hash(
    settings: PlatformSettings, records: Records
) -> None:
    passwords = CountedPasswords(cheap_passwords().hasher)
    accounts = Accounts.build(settings, connections_of(records), records, passwords=passwords)
    known = an_account(accounts, "0912111002", Role.PROVINCE)
    disabled = an_account(accounts, "0912111003", Role.PROVINCE)
    accounts.store.disable(PLATFORM, disabled.account_id)

    costs = []
    for username, password in [
        (known.username, "sai mật khẩu"),
        ("0912999999", "sai mật khẩu"),
        ("không phải tên", "sai mật khẩu"),
        (disabled.username, disabled.password),
    ]:
        before = passwords.verified
        outcome = accounts.sign_in.attempt(username, password, "198.51.100.1")
        assert outcome == Refused(), username
        costs.append(passwords.verified - before)

    assert costs == [1, 1, 1, 1]


def test_known_and_unknown_usernames_get_the_same_page(
    accounts: Accounts, browser: Browser
) -> None:
    an_account(accounts, "0912111004", Role.PROVINCE)

    known = browser.sign_in("0912111004", "sai mật khẩu")
    unknown = browser.sign_in("0912111005", "sai mật khẩu")

    assert known.status_code == unknown.status_code == 401
    assert known.text.replace("0912111004", "") == unknown.text.replace("0912111005", "")


def test_an_address_past_its_failures_is_throttled_but_the_account_is_not_locked(
    accounts: Accounts, direct: Browser
) -> None:
    person = an_account(accounts, "0912111006", Role.PROVINCE)
    for attempt in range(3):
        assert direct.sign_in(f"09121110{attempt}9", "đoán thử").status_code == 401

    throttled = direct.sign_in(person.username, person.password)

    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["retry-after"]) <= 600
    assert "Hãy thử lại sau 10 phút" in throttled.text
    assert accounts.store.get(person.account_id).state(accounts.store.now()) == "active"


def test_without_a_trusted_proxy_a_forwarded_header_does_not_dodge_the_throttle(
    accounts: Accounts, direct: Browser
) -> None:
    person = an_account(accounts, "0912111007", Role.PROVINCE)
    for attempt in range(3):
        forged = {"X-Forwarded-For": f"203.0.113.{attempt}"}
        direct.client.headers.update(forged)
        direct.sign_in("0912999000", "đoán thử")

    direct.client.headers.update({"X-Forwarded-For": "203.0.113.200"})
    assert direct.sign_in(person.username, person.password).status_code == 429


def test_behind_a_trusted_proxy_each_client_address_is_throttled_on_its_own(
    accounts: Accounts, proxied: Browser
) -> None:
    person = an_account(accounts, "0912111008", Role.PROVINCE)
    proxied.client.headers.update({"X-Forwarded-For": "203.0.113.9, 10.0.0.5"})
    for _ in range(3):
        proxied.sign_in("0912999001", "đoán thử")
    assert proxied.sign_in(person.username, person.password).status_code == 429

    proxied.client.headers.update({"X-Forwarded-For": "203.0.113.10"})
    assert proxied.sign_in(person.username, person.password).status_code == 303
