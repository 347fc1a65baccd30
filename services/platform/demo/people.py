"""The demo's people: a provincial staff account and a cooperative administrator's account.

So that a person trying ``make run`` can sign in at ``/sign-in`` with what the banner prints.
Made by the platform itself (an administrator's rights: it may make province accounts). Each
start hands out a fresh one-time code while the account still waits for its first sign-in
(the previous code was shown once and is gone); once a password is set, the account is left
alone and the banner says to sign in with it. Accounts are not events: the event store is
untouched, so seeding again still adds nothing to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.platform.demo.builders import DemoWorld
from shared.accounts.store import AccountStore, NewAccount
from shared.accounts.usernames import normalise_username
from shared.records.actors import Actor, Role

PLATFORM = Actor(Role.ADMIN)  # the platform seeding its own demo


@dataclass(frozen=True)
class DemoPerson:
    who: str
    """Whom the account is for, as the banner says it."""
    username: str
    one_time_code: str | None
    """None: the account already has its password (set at an earlier first sign-in)."""


@dataclass(frozen=True)
class _Wanted:
    who: str
    username: str
    display_name: str
    role: Role
    organisation: str | None  # the demo's key of the organisation


PEOPLE = (
    _Wanted(
        "provincial staff",
        "so.nnmt@demo.nguon.example",
        "Cán bộ Sở Nông nghiệp và Môi trường (demo)",
        Role.PROVINCE,
        None,
    ),
    _Wanted(
        "administrator of HTX Thiệu Trung",
        "quantri.thieutrung@demo.nguon.example",
        "Quản trị HTX Thiệu Trung (demo)",
        Role.COOPERATIVE_ADMIN,
        "thieu-trung",
    ),
)


def demo_people(store: AccountStore, world: DemoWorld) -> list[DemoPerson]:
    """Makes (or readies again) the demo's accounts; returns what to print for each."""
    return [_ready(store, world, wanted) for wanted in PEOPLE]


def _ready(store: AccountStore, world: DemoWorld, wanted: _Wanted) -> DemoPerson:
    found = store.by_username(normalise_username(wanted.username))
    if found is None:
        organisation = world.organisation(wanted.organisation) if wanted.organisation else None
        new = NewAccount(wanted.username, wanted.display_name, wanted.role, organisation)
        issued = store.create(PLATFORM, new)
        return DemoPerson(wanted.who, issued.username, issued.code)
    if found.must_set_password:
        return DemoPerson(wanted.who, found.username, store.reset(PLATFORM, found.id).code)
    return DemoPerson(wanted.who, found.username, None)
