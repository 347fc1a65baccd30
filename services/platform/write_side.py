"""The write side alone, and the operators' chores that need nothing more.

:func:`records_only` opens the records application, the token store and people's accounts on
the services' role; ``nguon token``, ``nguon user``, ``nguon db``, ``nguon kafka`` and
``nguon projections`` run on it. None of it imports an HTTP app, so those commands (and the
production processes, :mod:`services.platform.processes`) start in well under a second; the
composition root (:mod:`services.platform.composition`) builds the apps on top of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.platform.settings import PlatformSettings
from shared.accounts.service import Accounts
from shared.database import current_schema_version, prepare, service_url
from shared.domain.organisations import Cooperative, Enterprise
from shared.kafka.topics import EVENTS_PARTITIONS, ensure_topics
from shared.postgres.token_cache import listening_on
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.rebuild import connections_of
from shared.readmodels.rebuild import rebuild as rebuild_read_models
from shared.readmodels.tracking import Connect
from shared.records.actors import Role
from shared.records.application import Records


@dataclass
class WriteSide:
    settings: PlatformSettings
    records: Records
    tokens: TokenStore
    accounts: Accounts  # people's accounts and sessions; its gate serves every app for people

    @property
    def connect(self) -> Connect:
        return connections_of(self.records)


@contextmanager
def records_only(settings: PlatformSettings) -> Iterator[WriteSide]:
    """The records application on the services' role, closed on exit.

    Refuses a database that is not migrated to this version, except the embedded one, which
    this process owns and migrates itself.
    """
    url = service_url(settings)
    records = Records(eventsourcing_env(url, create_table=False), settings.province_code)
    tokens = TokenStore(connections_of(records), listen=listening_on(url))
    accounts = Accounts.build(settings, connections_of(records), records)
    try:
        yield WriteSide(settings, records, tokens, accounts)
    finally:
        tokens.close()
        records.close()


def check_token_organisation(side: WriteSide, role: Role, organisation: UUID | None) -> None:
    """A cooperative's token must name a registered cooperative, an enterprise's an enterprise."""
    if organisation is None:
        return  # the token store refuses a missing organisation for these roles
    expected = {Role.COOPERATIVE: Cooperative, Role.ENTERPRISE: Enterprise}.get(role)
    try:
        found: object = side.records.repository.get(organisation)
    except AggregateNotFoundError:
        found = None
    if expected is None or not isinstance(found, expected):
        kind = expected.__name__.lower() if expected else "organisation"
        msg = f"{organisation} is not a registered {kind}: a {role.value} token names one"
        raise SystemExit(msg)


def init_kafka(
    settings: PlatformSettings, partitions: int = EVENTS_PARTITIONS, replication_factor: int = 1
) -> list[str]:
    if not settings.kafka_bootstrap_servers:
        msg = "set NGUON_KAFKA_BOOTSTRAP_SERVERS to the brokers first"
        raise SystemExit(msg)
    return ensure_topics(
        settings.kafka_bootstrap_servers,
        settings.kafka_topic_prefix,
        replication_factor=replication_factor,
        partitions=partitions,
    )


def rebuild(settings: PlatformSettings) -> None:
    with records_only(settings) as side:
        done = rebuild_read_models(side.records, progress=True)
    print(
        f"rebuilt {done.events} events in {done.seconds:.1f} s"
        f" ({done.events_per_second:,.0f} events/s)"
    )


def migrate_database(settings: PlatformSettings) -> str:
    """``nguon db migrate``: the owner creates or updates everything; returns the version."""
    prepare(settings)
    return current_schema_version()
