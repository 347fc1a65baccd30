"""The platform as ``nguon serve`` runs it without Kafka: projections fed in-process.

The same HTTP app as in production; the read side follows the event store's notification log.
A client that names the position capture answered sees its write in the batch list and on the
page, without sleeping.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.platform.composition import build_app, feed_read_models, records_only
from services.platform.demo import DemoWorld, seed
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.records.actors import Role
from tests.databases import on_database


@pytest.fixture
def embedded(fresh_database_admin_url: str) -> Iterator[tuple[TestClient, str, DemoWorld]]:
    settings = PlatformSettings(
        **on_database(fresh_database_admin_url),
        read_wait_timeout_seconds=30,
    )
    prepare(settings)  # `nguon db migrate`: the platform on a server of its own only checks
    with records_only(settings) as side:
        world = seed(side.records)
        background = feed_read_models(side)
        grower = side.tokens.create(Role.COOPERATIVE, world.organisation("thieu-trung"))
        try:
            with TestClient(build_app(side)) as client:
                yield client, grower, world
        finally:
            background.stop()


def test_a_harvest_is_listed_with_its_code_once_the_list_waits_for_its_position(
    embedded: tuple[TestClient, str, DemoWorld],
) -> None:
    client, grower, world = embedded
    auth = {"Authorization": f"Bearer {grower}"}
    harvest = {
        "plot_ids": [str(world.plots["plot-thieu-trung"])],
        "commodity": "lúa",
        "quantity": {"amount": "700", "unit": "kg"},
        "harvested_on": "2026-11-10",
    }
    written = client.post(
        "/api/v1/batches", json=harvest, headers={**auth, "Idempotency-Key": str(uuid.uuid4())}
    ).json()
    code = written["results"][0]["code"]

    listed = client.get(
        "/api/v1/batches",
        headers=auth,
        params={"after_position": written["position"], "commodity": "lúa", "limit": 200},
    )

    assert listed.status_code == 200
    assert code in [b["code"] for b in listed.json()["batches"]]
    assert client.get(f"/b/{code}", params={"position": written["position"]}).status_code == 200


def test_the_demo_batch_page_shows_its_origin_in_vietnamese(
    embedded: tuple[TestClient, str, DemoWorld],
) -> None:
    client, _, world = embedded

    page = client.get(f"/b/{world.labelled_code}", headers={"Accept-Language": "vi"})

    assert page.status_code == 200
    for fact in ("Xã Thiệu Trung", "Xã Hoằng Đạo", "Nguồn gốc", "HTX Dịch vụ Nông nghiệp"):
        assert fact in page.text, fact
    assert "riêng tư" not in page.text  # the demo's household references stay private
