"""What a scanned or typed label opens: the batch's page in the app, for a short link, a
Digital Link or a bare code of this site; a clear refusal at the field for anything else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.records import commands as c
from shared.records.actors import Actor, Role
from tests.integration.cooperative_app.registry_app import BASE, RegistryApp, as_, registry_app
from tests.integration.readmodels.readmodel_chain import gtin13

GTIN = gtin13("893850597401")


@pytest.fixture
def app(fresh_database_admin_url: str) -> Iterator[RegistryApp]:
    with registry_app(fresh_database_admin_url) as app:
        yield app


def opened(app: RegistryApp, text: str) -> tuple[int, str]:
    answer = app.client.get(
        "/app/scan/open", params={"text": text}, headers=as_("cooperative", app.world.thieu)
    )
    return answer.status_code, answer.headers.get("location") or answer.text


def test_a_short_link_label_opens_the_lots_page_in_the_app(app: RegistryApp) -> None:
    code = app.world.batch

    assert opened(app, f"{BASE}/b/{code}") == (303, f"/app/lots/{code}")
    assert opened(app, f" {code.lower()} ") == (303, f"/app/lots/{code}")


def test_a_digital_link_label_opens_the_batch_it_was_printed_for(app: RegistryApp) -> None:
    thieu = Actor(Role.COOPERATIVE, app.world.thieu)
    gtin = GTIN
    app.records.execute(thieu, [c.RegisterGtin(organisation_id=app.world.thieu, gtin=gtin)])
    app.records.execute(
        thieu, [c.LabelBatch(batch=app.world.batch, gtin=gtin, lot="L2026-07", labels_issued=1)]
    )
    app.project()

    assert opened(app, f"{BASE}/01/0{gtin}/10/L2026-07") == (303, f"/app/lots/{app.world.batch}")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Hãy nhập mã lô"),
        ("https://evil.example/b/TH-2026-000001", "không phải mã lô hay tem của Nguồn"),
        (f"{BASE}/p/08938505974012", "không phải mã lô hay tem của Nguồn"),
        (f"{BASE}/01/0{GTIN}", "chỉ ghi sản phẩm"),
        (f"{BASE}/01/0{GTIN}/10/NOPE", "Chưa có lô nào mang tem này"),
        ("x" * 5000, "không phải mã lô hay tem của Nguồn"),
    ],
)
def test_a_text_that_names_no_batch_of_ours_is_refused_at_the_field(
    app: RegistryApp, text: str, says: str
) -> None:
    status, page = opened(app, text)

    assert status == 422
    assert 'id="error-text"' in page
    assert says in page


def test_the_scan_page_loads_its_own_script_and_nothing_from_another_site(
    app: RegistryApp,
) -> None:
    answer = app.client.get("/app/scan", headers=as_("cooperative", app.world.thieu))

    assert answer.status_code == 200
    assert '<script src="/app/static/scan/scan.js" defer></script>' in answer.text
    assert "jsqr" not in answer.text.split('data-decoder="')[0]  # the decoder loads lazily
    assert "//" not in answer.text.split("<script")[1].split(">")[0].replace('src="/app', "")
    assert app.client.get("/app/static/scan/jsqr-1.4.0.min.js").status_code == 200
