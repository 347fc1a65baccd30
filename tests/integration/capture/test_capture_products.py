"""A GTIN's product details through the API: the owner says them, bounded, nothing else stored."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from services.capture.context import connections_of
from shared.products import photos
from tests.builders import a_gtin
from tests.integration.capture.capture_api import CaptureApi, Party, error_of

RICE = {
    "name_vi": "Gạo nếp cái hoa vàng",
    "name_en": "Yellow-flower glutinous rice",
    "brand": "HTX Thiệu Hóa",
    "shelf_life_days": 365,
}


def _put(api: CaptureApi, gtin: str, body: dict[str, Any], by: Party) -> httpx.Response:
    answer: httpx.Response = api.client.put(
        f"/api/v1/gtins/{gtin}/product", json=body, headers=by.auth
    )
    return answer


def _registered(api: CaptureApi, by: Party) -> str:
    gtin = a_gtin()
    answer = api.post(f"/organisations/{by.org}/gtins", {"gtin": gtin}, by)
    assert answer.status_code == 201, answer.text
    return gtin


def _stored_photo(api: CaptureApi) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 160, 40)).save(buffer, "JPEG")
    photo = photos.prepared(buffer.getvalue())
    photos.store(connections_of(api.records), photo)
    return photo.digest


def test_the_owner_describes_its_product_with_a_stored_photo(api: CaptureApi) -> None:
    gtin = _registered(api, api.cooperative)
    digest = _stored_photo(api)

    answer = _put(api, gtin, {**RICE, "photo": digest}, api.cooperative)

    assert answer.status_code == 200, answer.text
    result = answer.json()["results"][0]
    assert result["gtin"] == f"0{gtin}"
    assert result["owner_id"] == str(api.cooperative.org)


def test_describing_a_product_again_with_the_same_words_records_nothing(api: CaptureApi) -> None:
    gtin = _registered(api, api.cooperative)
    _put(api, gtin, RICE, api.cooperative)
    stored = api.events_stored()

    again = _put(api, gtin, RICE, api.cooperative)
    renamed = _put(api, gtin, {**RICE, "name_vi": "Gạo nếp Thiệu Hóa"}, api.cooperative)

    assert again.status_code == 200, again.text
    assert renamed.json()["results"][0]["product_version"] == 2
    assert api.events_stored() == stored + 1


def test_only_the_gtins_owner_describes_its_product(api: CaptureApi) -> None:
    gtin = _registered(api, api.enterprise)
    stored = api.events_stored()

    answer = _put(api, gtin, RICE, api.cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "gtin_not_owned"
    assert api.events_stored() == stored


def test_a_product_of_an_unregistered_gtin_is_refused(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = _put(api, a_gtin(), RICE, api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "gtin_not_registered"
    assert api.events_stored() == stored


def test_a_name_too_long_or_a_shelf_life_out_of_range_is_refused(api: CaptureApi) -> None:
    gtin = _registered(api, api.cooperative)
    stored = api.events_stored()

    long_name = _put(api, gtin, {**RICE, "name_vi": "G" * 121}, api.cooperative)
    no_days = _put(api, gtin, {**RICE, "shelf_life_days": 0}, api.cooperative)
    long_brand = _put(api, gtin, {**RICE, "brand": "B" * 81}, api.cooperative)

    assert [a.status_code for a in (long_name, no_days, long_brand)] == [422, 422, 422]
    assert api.events_stored() == stored


def test_a_photo_that_was_never_uploaded_is_refused(api: CaptureApi) -> None:
    gtin = _registered(api, api.cooperative)
    stored = api.events_stored()

    answer = _put(api, gtin, {**RICE, "photo": "ab" * 32}, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["code"] == "photo_not_stored"
    assert api.events_stored() == stored


def test_the_bulk_api_describes_a_product(api: CaptureApi) -> None:
    gtin = _registered(api, api.cooperative)
    item = {"type": "describe_product", "gtin": gtin, **RICE}

    answer = api.post("/bulk", {"commands": [item]}, api.cooperative)

    assert answer.status_code in (200, 201), answer.text
    assert answer.json()["results"][0]["gtin"] == f"0{gtin}"
