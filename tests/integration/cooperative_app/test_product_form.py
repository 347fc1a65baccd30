"""The product form: a cooperative names its GTIN's product and uploads a photo from its phone."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from services.cooperative_app.products import photo_url
from shared.records import commands as c
from shared.records.actors import Actor, Role
from tests.integration.cooperative_app.registry_app import RegistryApp, as_, registry_app
from tests.integration.readmodels.readmodel_chain import gtin13
from tests.unit.products.test_photos import a_phone_photo

GTIN = gtin13("893850597401")
GTIN14 = "0" + GTIN
CSRF = {"csrf_token": "csrf-cooperative"}
FIELDS = {
    "name_vi": "Gạo nếp cái hoa vàng",
    "name_en": "Yellow-flower glutinous rice",
    "brand": "HTX Thiệu Trung",
    "shelf_life_days": "365",
}


@pytest.fixture
def app(fresh_database_admin_url: str) -> Iterator[RegistryApp]:
    with registry_app(fresh_database_admin_url) as app:
        thieu = Actor(Role.COOPERATIVE, app.world.thieu)
        app.records.execute(thieu, [c.RegisterGtin(organisation_id=app.world.thieu, gtin=GTIN)])
        yield app


def _post(
    app: RegistryApp, fields: dict[str, str], photo: bytes | None = None, by: object = None
) -> httpx.Response:
    files = {"photo": ("phone.jpg", photo, "image/jpeg")} if photo is not None else None
    answer: httpx.Response = app.client.post(
        f"/app/products/{GTIN14}",
        data={**CSRF, **fields},
        files=files,
        headers=as_("cooperative", by or app.world.thieu),
    )
    return answer


def test_a_product_is_described_with_a_phone_photo_stored_without_its_gps_position(
    app: RegistryApp,
) -> None:
    answer = _post(app, FIELDS, a_phone_photo())

    assert answer.status_code == 303, answer.text
    product = app.records.product(GTIN14)
    assert product is not None
    assert (product.name_vi, product.brand, product.shelf_life_days) == (
        "Gạo nếp cái hoa vàng",
        "HTX Thiệu Trung",
        365,
    )
    assert product.photo is not None
    served = app.client.get(photo_url(product.photo, 800))
    assert served.status_code == 200
    picture = Image.open(io.BytesIO(served.content))
    assert picture.size == (800, 600)
    assert not picture.getexif()
    assert b"PhoneMaker" not in served.content
    form = app.client.get(answer.headers["location"], headers=as_("cooperative", app.world.thieu))
    assert 'value="Gạo nếp cái hoa vàng"' in form.text
    assert photo_url(product.photo, 200) in form.text


def test_saving_again_without_a_new_photo_keeps_the_photo(app: RegistryApp) -> None:
    _post(app, FIELDS, a_phone_photo())
    first = app.records.product(GTIN14)
    assert first is not None
    assert first.photo is not None

    again = _post(app, {**FIELDS, "brand": "Hạc Thành", "kept_photo": first.photo})

    assert again.status_code == 303, again.text
    product = app.records.product(GTIN14)
    assert product is not None
    assert (product.brand, product.photo) == ("Hạc Thành", first.photo)


def test_an_oversize_upload_is_refused_at_the_photo_field_and_nothing_is_stored(
    app: RegistryApp,
) -> None:
    oversize = b"\xff\xd8" + b"0" * (8 * 1024 * 1024)

    answer = _post(app, FIELDS, oversize)

    assert answer.status_code == 413
    assert 'id="error-photo"' in answer.text
    assert "Ảnh lớn hơn 8 MB" in answer.text
    assert 'value="Gạo nếp cái hoa vàng"' in answer.text  # what was typed is kept
    assert app.records.product(GTIN14) is None


def test_a_file_that_is_not_a_picture_is_refused_at_the_photo_field(app: RegistryApp) -> None:
    answer = _post(app, FIELDS, b"%PDF-1.4 not a photo")

    assert answer.status_code == 422
    assert "Tệp này không phải là ảnh" in answer.text
    assert app.records.product(GTIN14) is None


def test_a_name_too_long_is_refused_at_its_field_in_vietnamese(app: RegistryApp) -> None:
    answer = _post(app, {**FIELDS, "name_vi": "G" * 121})

    assert answer.status_code == 422
    assert 'id="error-name_vi"' in answer.text
    assert "Tên sản phẩm (tiếng Việt)" in answer.text.split('id="error-name_vi"')[1][:200]
    assert app.records.product(GTIN14) is None


def test_a_shelf_life_that_is_not_a_number_of_days_is_refused_at_its_field(
    app: RegistryApp,
) -> None:
    answer = _post(app, {**FIELDS, "shelf_life_days": "một năm"})
    out_of_range = _post(app, {**FIELDS, "shelf_life_days": "4000"})

    assert answer.status_code == 422
    assert 'id="error-shelf_life_days"' in answer.text
    assert out_of_range.status_code == 422
    assert "từ 1 đến 3.650 ngày" in out_of_range.text  # 3650 written the Vietnamese way
    assert app.records.product(GTIN14) is None


def test_another_cooperative_cannot_describe_the_gtins_product(app: RegistryApp) -> None:
    answer = _post(app, FIELDS, by=app.world.hoang)

    assert answer.status_code == 403
    assert app.records.product(GTIN14) is None


def test_the_products_list_offers_the_gtins_page(app: RegistryApp) -> None:
    listed = app.client.get("/app/products", headers=as_("cooperative", app.world.thieu))
    opened = app.client.get(
        "/app/products", params={"gtin": GTIN}, headers=as_("cooperative", app.world.thieu)
    )
    wrong = app.client.get(
        "/app/products", params={"gtin": "123"}, headers=as_("cooperative", app.world.thieu)
    )

    assert listed.status_code == 200
    assert opened.headers["location"] == f"/app/products/{GTIN14}"
    assert wrong.status_code == 422
    assert 'id="error-gtin"' in wrong.text
