"""Everything of people's sign-in, built once from settings in the composition root."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from shared.accounts.addresses import ClientAddresses, parse_networks
from shared.accounts.organisations import Organisations, RegisteredOrganisations
from shared.accounts.passwords import Passwords
from shared.accounts.sessions import AccountsGate, SessionPolicy, SessionStore
from shared.accounts.signing_in import SignIn
from shared.accounts.store import AccountStore
from shared.accounts.throttle import AddressThrottle
from shared.postgres.tokens import ConnectionFactory
from shared.records.application import Records
from shared.settings import NguonSettings


@dataclass(frozen=True)
class Accounts:
    store: AccountStore
    sessions: SessionStore
    sign_in: SignIn
    gate: AccountsGate
    addresses: ClientAddresses

    @classmethod
    def build(
        cls,
        settings: NguonSettings,
        connect: ConnectionFactory,
        records: Records | None = None,
        *,
        organisations: Organisations | None = None,
        passwords: Passwords | None = None,
    ) -> Accounts:
        """``records`` tells which organisations exist (or ``organisations`` directly)."""
        if organisations is None:
            assert records is not None, "name the records application or the organisations"
            organisations = RegisteredOrganisations(records)
        store = AccountStore(
            connect,
            organisations,
            passwords or Passwords(),
            code_lifetime=timedelta(hours=settings.one_time_code_hours),
        )
        sessions = SessionStore(connect, SessionPolicy.from_settings(settings))
        throttle = AddressThrottle(
            connect,
            failures=settings.sign_in_failures_per_address,
            window=timedelta(minutes=settings.sign_in_window_minutes),
        )
        return cls(
            store=store,
            sessions=sessions,
            sign_in=SignIn(store, sessions, throttle),
            gate=AccountsGate(sessions),
            addresses=ClientAddresses(parse_networks(settings.trusted_proxies)),
        )

    def names_of(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        """Who recorded events (accounts' names, tokens' labels): for staff pages only."""
        return self.store.names_of(ids)
