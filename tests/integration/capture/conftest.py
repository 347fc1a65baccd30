"""A capture API on a fresh, migrated database of each test's own, with a token per role."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.capture.app import create_app
from services.capture.context import connections_of
from services.capture.settings import CaptureSettings
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env, with_user
from shared.records.actors import Role
from shared.records.application import Records
from tests.builders import a_grower, an_enterprise
from tests.databases import on_database
from tests.integration.capture.capture_api import CaptureApi, NoCatalogue, Party


@pytest.fixture
def settings(fresh_database_admin_url: str) -> CaptureSettings:
    return CaptureSettings(
        **on_database(fresh_database_admin_url),
    )


@pytest.fixture
def records(settings: CaptureSettings) -> Iterator[Records]:
    urls = prepare(settings)
    app = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    yield app
    app.close()


@pytest.fixture
def tokens(records: Records) -> TokenStore:
    return TokenStore(connections_of(records))


@pytest.fixture
def api(
    settings: CaptureSettings, records: Records, tokens: TokenStore, fresh_database_admin_url: str
) -> Iterator[CaptureApi]:
    grower, other = a_grower(records), a_grower(records)
    enterprise = an_enterprise(records)
    assert enterprise.organisation_id is not None
    app = create_app(settings, records, tokens, NoCatalogue())
    with TestClient(app) as client:
        yield CaptureApi(
            client=client,
            records=records,
            admin_url=fresh_database_admin_url,
            admin=Party(tokens.create(Role.ADMIN)),
            province=Party(tokens.create(Role.PROVINCE)),
            cooperative=Party(
                tokens.create(Role.COOPERATIVE, grower.cooperative_id),
                grower.cooperative_id,
                grower.plot_id,
            ),
            other_cooperative=Party(
                tokens.create(Role.COOPERATIVE, other.cooperative_id),
                other.cooperative_id,
                other.plot_id,
            ),
            enterprise=Party(
                tokens.create(Role.ENTERPRISE, enterprise.organisation_id),
                enterprise.organisation_id,
            ),
        )


class RacingRecords(Records):
    """The real records, holding every save at a barrier until two requests reach it."""

    name = "nguon"  # the same events table: eventsourcing names tables after the class
    barrier: threading.Barrier | None = None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if self.barrier is not None:
            self.barrier.wait()
        return super().save(*objs, **kwargs)


@pytest.fixture
def racing(
    api: CaptureApi, settings: CaptureSettings, tokens: TokenStore, fresh_database_admin_url: str
) -> Iterator[tuple[RacingRecords, TestClient]]:
    url = with_user(fresh_database_admin_url, "nguon_app")
    records = RacingRecords(eventsourcing_env(url, create_table=False))
    with TestClient(create_app(settings, records, tokens, NoCatalogue())) as client:
        yield records, client
    records.close()
