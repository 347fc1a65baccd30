"""Product photos in PostgreSQL, served to anyone at a content-addressed URL cached for ever."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.cooperative_app.products import FOREVER, photo_url
from shared.products import photos
from tests.integration.cooperative_app.registry_app import RegistryApp, registry_app
from tests.unit.products.test_photos import a_phone_photo


@pytest.fixture
def app(fresh_database_admin_url: str) -> Iterator[RegistryApp]:
    with registry_app(fresh_database_admin_url) as app:
        yield app


def test_a_stored_photo_is_served_without_sign_in_and_cached_for_ever(app: RegistryApp) -> None:
    photo = photos.prepared(a_phone_photo())
    photos.store(app.connect, photo)
    photos.store(app.connect, photo)  # again: nothing changes

    answer = app.client.get(photo_url(photo.digest, 200))

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["cache-control"] == FOREVER
    assert answer.content == photo.variant(200).jpeg


@pytest.mark.parametrize(
    "name", ["0" * 64 + "-800.jpg", "not-a-digest-800.jpg", "0" * 64 + "-800.png"]
)
def test_an_unknown_photo_is_not_found(app: RegistryApp, name: str) -> None:
    answer = app.client.get(f"/app/products/photos/{name}")

    assert answer.status_code == 404
