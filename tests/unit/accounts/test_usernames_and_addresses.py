"""The pure rules of sign-in: one form per username, local ``?next=`` only, the client's
address from trusted proxies only, and who may manage whose accounts."""

from __future__ import annotations

from uuid import uuid4

import pytest
from starlette.requests import Request

from shared.accounts.addresses import ClientAddresses, parse_networks
from shared.accounts.homes import safe_next
from shared.accounts.passwords import new_one_time_code, typed_code
from shared.accounts.permissions import may_manage, may_see_people_of
from shared.accounts.usernames import normalise_username, try_normalise
from shared.domain.errors import InvalidValue
from shared.records.actors import Actor, Role


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "091.234.5678",
    ],
)
def test_every_way_of_writing_a_phone_number_is_one_username(typed: str) -> None:
    assert normalise_username(typed) == "0912345678"


def test_an_email_is_kept_lower_cased() -> None:
    assert (
        normalise_username("  Lan.Nguyen@SNN.ThanhHoa.gov.vn ") == "lan.nguyen@snn.thanhhoa.gov.vn"
    )


@pytest.mark.parametrize(
    "typed", ["", "12345", "091234567", "lan@", "lan@snn", "a b@c.vn", "x" * 300]
)
def test_anything_else_is_refused_as_a_username(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        normalise_username(typed)
    assert refused.value.code == "username_invalid"
    assert try_normalise(typed) is None


def test_a_one_time_code_is_accepted_however_it_is_typed() -> None:
    code = new_one_time_code()
    assert len(code) == 14
    assert typed_code(code.lower().replace("-", " ")) == code


@pytest.mark.parametrize("path", ["/account", "/province/dashboard?as_of=2026-01-01"])
def test_next_may_be_a_local_path(path: str) -> None:
    assert safe_next(path) == path


@pytest.mark.parametrize(
    "path", [None, "", "https://evil.example/", "//evil.example", "/\\evil.example", "account",
             "/sign-in?next=/account", "/x\r\nSet-Cookie: a=b"],
)  # fmt: skip
def test_next_never_leads_to_another_site(path: str | None) -> None:
    assert safe_next(path) is None


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [] if forwarded is None else [(b"x-forwarded-for", forwarded.encode())]
    return Request({"type": "http", "headers": headers, "client": (peer, 1234)})


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy() -> None:
    addresses = ClientAddresses(parse_networks("10.0.0.0/24, 192.168.1.7"))

    assert addresses.of(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    assert addresses.of(_request("10.0.0.5", "198.51.100.1")) == "198.51.100.1"
    assert addresses.of(_request("10.0.0.5", "6.6.6.6, 198.51.100.1, 192.168.1.7")) == (
        "198.51.100.1"
    )
    assert addresses.of(_request("10.0.0.5", None)) == "10.0.0.5"


def test_who_may_manage_whose_accounts() -> None:
    own, other = uuid4(), uuid4()
    admin, province = Actor(Role.ADMIN), Actor(Role.PROVINCE)
    cooperative_admin = Actor(Role.COOPERATIVE_ADMIN, own)
    staff = Actor(Role.COOPERATIVE, own)

    assert may_manage(admin, Role.PROVINCE, None)
    assert not may_manage(province, Role.PROVINCE, None)
    assert not may_manage(province, Role.ADMIN, None)
    assert may_manage(province, Role.COOPERATIVE_ADMIN, other)
    assert may_manage(province, Role.ENTERPRISE, other)
    assert may_manage(cooperative_admin, Role.HOUSEHOLD, own)
    assert may_manage(cooperative_admin, Role.COOPERATIVE, own)
    assert not may_manage(cooperative_admin, Role.COOPERATIVE_ADMIN, own)
    assert not may_manage(cooperative_admin, Role.HOUSEHOLD, other)
    assert not may_manage(staff, Role.HOUSEHOLD, own)
    assert may_see_people_of(province, other)
    assert may_see_people_of(cooperative_admin, own)
    assert not may_see_people_of(cooperative_admin, other)
    assert not may_see_people_of(staff, own)
