"""A cooperative's staff member prints a batch's labels and scans one, on a phone: a real
platform under uvicorn, a real headless Chromium at 360 px, signed in through real accounts.

The label page and the scan page pass axe-core's WCAG 2.1 AA audit and do not scroll sideways;
the PDF fetched with the person's session renders (poppler) to labels that decode (zxing) to
the batch's link; the scan page's own decoder reads the batch's QR code drawn on a canvas (the
jsQR path: headless Chromium on Linux has no BarcodeDetector), and a typed code opens the lot.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest

from services.platform.composition import WriteSide, build_app
from shared.readmodels.projections import Projections
from shared.records.actors import Role
from tests.browser import Tab, chromium, serving
from tests.pdf_pages import page_count, page_image, qr_texts
from tests.people_world import a_person, a_write_side, looks_right, path_of, sign_in
from tests.registry_world import World, a_registry, project

pytestmark = pytest.mark.browser
USERNAME = "0912000061"


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    with a_write_side(fresh_database_admin_url) as side:
        yield side


@pytest.fixture
def world(side: WriteSide) -> World:
    world = a_registry(side.records)
    projections = Projections(side.connect)
    projections.reset()
    project(side.records, projections)
    a_person(side, USERNAME, Role.COOPERATIVE, world.thieu)
    return world


def _public(side: WriteSide) -> str:
    """The site's public address: what its QR codes say."""
    return side.settings.public_base_url.rstrip("/")


def _fetched_pdf(tab: Tab, url: str) -> tuple[str, bytes]:
    """The file the form asks for, fetched with the page's own session cookie."""
    answer = tab.evaluate(
        f"fetch({json.dumps(url)}, {{credentials: 'same-origin'}}).then(async (r) => {{"
        " const bytes = new Uint8Array(await r.arrayBuffer()); let text = '';"
        " for (const b of bytes) text += String.fromCharCode(b);"
        " return [r.headers.get('content-type'), btoa(text)]; })"
    )
    return str(answer[0]), base64.b64decode(answer[1])


def test_a_cooperative_prints_its_batchs_labels_as_a_pdf_that_scans(
    side: WriteSide, world: World
) -> None:
    with serving(build_app(side)) as base, chromium() as tab:
        sign_in(tab, base, USERNAME)
        tab.open(f"{base}/app/labels/{world.batch}")
        assert world.batch in tab.text("h1")
        looks_right(tab, "labels")

        tab.evaluate(
            "(() => { const form = document.querySelector('form[action$=\".pdf\"]');"
            " form.elements['layout'].value = 'roll-40x30'; form.elements['count'].value = '2';"
            " return true; })()"
        )
        url = tab.evaluate(
            "(() => { const form = document.querySelector('form[action$=\".pdf\"]');"
            " return form.action + '?' + new URLSearchParams(new FormData(form)); })()"
        )
        kind, pdf = _fetched_pdf(tab, str(url))

        assert kind == "application/pdf"
        assert page_count(pdf) == 2
        assert qr_texts(page_image(pdf, page=2)) == [f"{_public(side)}/b/{world.batch}"]

        tab.open(f"{base}/app/labels/{world.batch}.pdf?count=0")
        assert "từ 1 đến 200" in tab.text("#error-count")
        looks_right(tab, "labels-refused")


def test_the_scan_page_reads_a_label_and_a_typed_code_opens_the_lot(
    side: WriteSide, world: World
) -> None:
    with serving(build_app(side)) as base, chromium() as tab:
        sign_in(tab, base, USERNAME)
        tab.open(f"{base}/app/scan")
        looks_right(tab, "scan")
        assert "jsQR" not in str(tab.evaluate("Object.keys(window).join(' ')"))  # not yet loaded

        read = tab.evaluate(
            "new Promise((resolve, reject) => { const image = new Image();"
            f" image.onload = () => {{ const canvas = document.createElement('canvas');"
            " canvas.width = image.width; canvas.height = image.height;"
            " canvas.getContext('2d').drawImage(image, 0, 0);"
            " window.nguonScan.decodeCanvas(canvas).then(resolve, reject); };"
            " image.onerror = reject;"
            f" image.src = {json.dumps(f'/b/{world.batch}/qr.png')}; }})"
        )
        assert read == f"{_public(side)}/b/{world.batch}"

        tab.submit("#scan-open", {"text": "TH-0000-000000x"})
        assert "không phải mã lô" in tab.text("#error-text")
        looks_right(tab, "scan-refused")

        tab.submit("#scan-open", {"text": world.batch.lower()})
        assert path_of(tab) == f"/app/lots/{world.batch}"
