"""Printing a batch's labels from the app, on the real records and read models: the holder
gets a PDF whose every QR code scans as the batch's link; nobody else gets one."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import timedelta

import pytest

from shared.domain.clock import today_in_vietnam
from shared.gs1.label_pdf import LAYOUTS
from shared.records import commands as c
from shared.records.actors import Actor, Role
from tests.integration.cooperative_app.registry_app import BASE, RegistryApp, as_, registry_app
from tests.integration.readmodels.readmodel_chain import gtin13
from tests.pdf_pages import page_count, page_image, qr_texts


@pytest.fixture
def app(fresh_database_admin_url: str) -> Iterator[RegistryApp]:
    with registry_app(fresh_database_admin_url) as app:
        yield app


def test_the_holder_prints_a_sheet_whose_qr_codes_open_the_batch(app: RegistryApp) -> None:
    answer = app.client.get(
        f"/app/labels/{app.world.batch}.pdf",
        params={"count": 5},
        headers=as_("cooperative", app.world.thieu),
    )

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert qr_texts(page_image(answer.content)) == [f"{BASE}/b/{app.world.batch}"] * 5


@pytest.mark.parametrize("layout", ["roll-50x30", "roll-40x30"])
def test_a_thermal_roll_has_one_label_a_page(app: RegistryApp, layout: str) -> None:
    answer = app.client.get(
        f"/app/labels/{app.world.batch}.pdf",
        params={"layout": layout, "count": 3},
        headers=as_("cooperative", app.world.thieu),
    )

    assert page_count(answer.content) == 3
    assert qr_texts(page_image(answer.content, page=3)) == [f"{BASE}/b/{app.world.batch}"]


def test_once_labelled_the_qr_codes_carry_the_digital_link(app: RegistryApp) -> None:
    thieu = Actor(Role.COOPERATIVE, app.world.thieu)
    gtin = gtin13("893850597401")
    app.records.execute(thieu, [c.RegisterGtin(organisation_id=app.world.thieu, gtin=gtin)])
    app.records.execute(
        thieu, [c.LabelBatch(batch=app.world.batch, gtin=gtin, lot="L2026-07", labels_issued=24)]
    )
    app.project()

    answer = app.client.get(
        f"/app/labels/{app.world.batch}.pdf", headers=as_("cooperative", app.world.thieu)
    )

    found = qr_texts(page_image(answer.content))
    assert len(found) == LAYOUTS["a4-70x37"].per_page
    assert set(found) == {f"{BASE}/01/0{gtin}/10/L2026-07"}


def test_another_cooperative_may_not_print_the_batchs_labels(app: RegistryApp) -> None:
    for path in (f"/app/labels/{app.world.batch}", f"/app/labels/{app.world.batch}.pdf"):
        answer = app.client.get(path, headers=as_("cooperative", app.world.hoang))

        assert answer.status_code == 403
        assert "application/pdf" not in answer.headers["content-type"]


def test_printing_asks_a_visitor_to_sign_in_first(app: RegistryApp) -> None:
    answer = app.client.get(f"/app/labels/{app.world.batch}.pdf?count=3")

    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/sign-in?next=/app/labels/")


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"count": "0"}, "count", "từ 1 đến 200"),
        ({"count": "abc"}, "count", "từ 1 đến 200"),
        ({"count": "201"}, "count", "từ 1 đến 200"),
        ({"layout": "a5-10x10"}, "layout", "Hãy chọn một khổ tem"),
    ],
)
def test_a_bad_count_or_layout_is_shown_at_its_field_and_nothing_is_printed(
    app: RegistryApp, params: dict[str, str], field: str, says: str
) -> None:
    answer = app.client.get(
        f"/app/labels/{app.world.batch}.pdf",
        params=params,
        headers=as_("cooperative", app.world.thieu),
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert f'id="error-{field}"' in answer.text
    assert says in answer.text


def test_an_unknown_batch_has_no_labels(app: RegistryApp) -> None:
    answer = app.client.get(
        "/app/labels/TH-2026-999999", headers=as_("cooperative", app.world.thieu)
    )

    assert answer.status_code == 404
    assert "Không có lô nào mang mã TH-2026-999999" in answer.text


def test_the_label_page_offers_every_layout_in_vietnamese(app: RegistryApp) -> None:
    answer = app.client.get(
        f"/app/labels/{app.world.batch}", headers=as_("cooperative", app.world.thieu)
    )

    assert answer.status_code == 200
    for name in LAYOUTS:
        assert f'value="{name}"' in answer.text
    assert "Cuộn in nhiệt, tem 40 × 30 mm" in answer.text
    assert "Từ 1 đến 200 tem." in answer.text
    assert f'action="/app/labels/{app.world.batch}.pdf"' in answer.text


def test_a_best_before_date_is_printed_and_carried_in_the_qr_codes_digital_link(
    app: RegistryApp,
) -> None:
    thieu = Actor(Role.COOPERATIVE, app.world.thieu)
    gtin = gtin13("893850597401")
    app.records.execute(thieu, [c.RegisterGtin(organisation_id=app.world.thieu, gtin=gtin)])
    best_before = today_in_vietnam() + timedelta(days=400)
    app.records.execute(
        thieu,
        [
            c.LabelBatch(
                batch=app.world.batch,
                gtin=gtin,
                lot="L2026-07",
                labels_issued=24,
                best_before=best_before,
            )
        ],
    )
    app.project()

    answer = app.client.get(
        f"/app/labels/{app.world.batch}.pdf",
        params={"layout": "roll-50x30", "count": 1},
        headers=as_("cooperative", app.world.thieu),
    )

    link = f"{BASE}/01/0{gtin}/10/L2026-07?15={best_before:%y%m%d}"
    assert qr_texts(page_image(answer.content)) == [link]
    words = subprocess.run(
        ["pdftotext", "-", "-"], input=answer.content, capture_output=True, check=True
    )
    assert f"{best_before:%d/%m/%Y}" in words.stdout.decode()
