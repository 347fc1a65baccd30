"""The whole platform in one process on a test's own database: capture and the public pages
mounted as ``nguon serve`` mounts them, fed by the embedded projections (the notification-log
source), with a province token and a cooperative token.

After a test has thrown what it likes at the API, ``check_healthy`` asks what a buyer would:
are the projections still following, and does a batch harvested now get its page?
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient
from starlette.applications import Starlette

from services.platform.composition import WriteSide, build_app, feed_read_models, records_only
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.readmodels.tracking import PositionWaiter
from shared.records.actors import Role
from tests.builders import a_grower, harvest_json
from tests.databases import on_database

CATCH_UP_SECONDS = 60.0


@dataclass(frozen=True)
class Platform:
    app: Starlette
    client: TestClient
    waiter: PositionWaiter
    province_token: str
    cooperative_token: str
    plot_id: str
    cooperative_organisation: str
    records_position: Callable[[], int]  # the event store's last position
    projections_alive: Callable[[], bool]
    new_grower: Callable[[], tuple[str, str]]  # (token, plot id) of a newly registered cooperative

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def harvest(self, **overrides: Any) -> httpx.Response:
        body = harvest_json(self.plot_id, **overrides)
        answer: httpx.Response = self.client.post(
            "/api/v1/batches", json=body, headers=self.auth(self.cooperative_token)
        )
        return answer


@contextmanager
def a_platform(admin_url: str) -> Iterator[Platform]:
    settings = PlatformSettings(**on_database(admin_url), read_wait_timeout_seconds=2.0)
    prepare(settings)  # `nguon db migrate`: on a server of its own the platform only checks
    with records_only(settings) as side:
        grower = a_grower(side.records)
        background = feed_read_models(side)
        try:
            app = build_app(side)
            with TestClient(app) as client:
                yield Platform(
                    app=app,
                    client=client,
                    waiter=PositionWaiter(side.connect),
                    province_token=side.tokens.create(Role.PROVINCE),
                    cooperative_token=side.tokens.create(Role.COOPERATIVE, grower.cooperative_id),
                    plot_id=str(grower.plot_id),
                    cooperative_organisation=str(grower.cooperative_id),
                    records_position=side.records.position,
                    projections_alive=lambda: all(t.is_alive() for t in background.threads),
                    new_grower=lambda: _new_grower(side),
                )
        finally:
            background.stop()


def _new_grower(side: WriteSide) -> tuple[str, str]:
    grower = a_grower(side.records)
    return side.tokens.create(Role.COOPERATIVE, grower.cooperative_id), str(grower.plot_id)


def check_healthy(platform: Platform) -> None:
    """The projections follow the event store, and a new harvest gets its public page."""
    assert platform.projections_alive(), "the embedded projections stopped"
    assert platform.waiter.wait_for(platform.records_position(), CATCH_UP_SECONDS), (
        "the projections did not reach the event store's last position"
    )
    # A cooperative of its own: the fuzzing may have suspended or dissolved the first one.
    token, plot_id = platform.new_grower()
    harvested = platform.client.post(
        "/api/v1/batches", json=harvest_json(plot_id), headers=platform.auth(token)
    )
    assert harvested.status_code == 201, harvested.text
    code = harvested.json()["results"][0]["code"]
    assert platform.waiter.wait_for(harvested.json()["position"], CATCH_UP_SECONDS)
    page = platform.client.get(f"/b/{code}")
    assert page.status_code == 200, page.text
    assert code in page.text
