"""The Gate other apps ask: who a request's session cookie names, and whether a form is theirs."""

from __future__ import annotations

from uuid import uuid4

from starlette.requests import Request

from services.capture.context import connections_of
from shared.accounts.gate import SESSION_COOKIE
from shared.accounts.names import names_of
from shared.accounts.service import Accounts
from shared.accounts.signing_in import SignedIn
from shared.postgres.tokens import TokenStore
from shared.records.actors import Role
from shared.records.application import Records
from tests.builders import Grower
from tests.integration.accounts.conftest import an_account


def _request(cookie: str | None) -> Request:
    headers = [] if cookie is None else [(b"cookie", f"{SESSION_COOKIE}={cookie}".encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


def test_a_signed_in_persons_requests_name_them_and_the_organisation_they_act_for(
    accounts: Accounts, grower: Grower
) -> None:
    signed = an_account(accounts, "+84 912 345 678", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    outcome = accounts.sign_in.attempt("0912345678", signed.password, "203.0.113.9")
    assert isinstance(outcome, SignedIn)

    person = accounts.gate.person(_request(outcome.cookie))

    assert person is not None
    assert person.account_id == signed.account_id
    assert person.username == "0912345678"
    assert person.actor.role is Role.COOPERATIVE_ADMIN
    assert person.actor.organisation_id == grower.cooperative_id
    assert person.actor.actor_id == signed.account_id
    assert accounts.gate.csrf_ok(person, person.csrf_token)
    assert not accounts.gate.csrf_ok(person, None)
    assert not accounts.gate.csrf_ok(person, person.csrf_token[:-1] + "x")


def test_a_request_without_a_cookie_or_with_an_edited_one_names_nobody(
    accounts: Accounts,
) -> None:
    signed = an_account(accounts, "staff@soNN.gov.vn", Role.PROVINCE)
    outcome = accounts.sign_in.attempt(signed.username, signed.password, "203.0.113.9")
    assert isinstance(outcome, SignedIn)
    token, _, signature = outcome.cookie.partition(".")

    assert accounts.gate.person(_request(None)) is None
    assert accounts.gate.person(_request(f"{token[:-1]}A.{signature}")) is None
    assert accounts.gate.person(_request(f"{token}.{signature[:-2]}")) is None
    assert accounts.gate.person(_request(outcome.cookie)) is not None


def test_names_of_gives_accounts_names_and_tokens_labels_for_staff_pages(
    accounts: Accounts, tokens: TokenStore, records: Records, grower: Grower
) -> None:
    signed = an_account(accounts, "0987654321", Role.COOPERATIVE, grower.cooperative_id)
    token = tokens.issue(Role.COOPERATIVE, grower.cooperative_id, "HTX Thiệu Trung: kho")

    names = accounts.names_of([signed.account_id, token.id, uuid4()])

    assert names == {signed.account_id: "Người 0987654321", token.id: "HTX Thiệu Trung: kho"}
    assert accounts.gate.names_of([signed.account_id, token.id]) == names
    assert names_of(connections_of(records), [token.id]) == {token.id: "HTX Thiệu Trung: kho"}
    assert names_of(connections_of(records), []) == {}
