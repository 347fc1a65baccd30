"""A buyer follows the producer from a provenance page to the cooperative's public page, and
browses the public list: a real HTTP server and a real headless Chromium, at 360 and 1280 px.

The web app reads the unit tests' in-memory fakes (provenance documents and the public
directory): what is under test here is what a browser lays out and reaches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from services.web.app import create_app
from shared.settings import NguonSettings
from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving_built
from tests.unit.web.builders import CODE, a_cooperative, a_provenance_document
from tests.unit.web.fakes import InMemoryProvenanceReader
from tests.unit.web.public_directory_fake import PARTNER_ID, SHOWN_ID, a_directory

pytestmark = pytest.mark.browser

PAGES = ["/htx", f"/htx/{SHOWN_ID}", f"/htx/{SHOWN_ID}?lang=en", "/htx?commodity=lúa"]


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    document = a_provenance_document(
        cooperatives=[a_cooperative(id=SHOWN_ID, name="HTX Bưởi Luận Văn Thọ Xuân")]
    )
    reader = InMemoryProvenanceReader(document)

    def build(base: str) -> FastAPI:
        return create_app(NguonSettings(public_base_url=base), reader, directory=a_directory())

    with serving_built(build) as base:
        yield base


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    with chromium() as opened:
        yield opened


def _too_wide(tab: Tab, width: int) -> list[str]:
    return list(
        tab.evaluate(
            "[...document.querySelectorAll('body *')]"
            f".filter(e => e.getBoundingClientRect().right > {width} + 0.5)"
            ".map(e => e.tagName + '.' + e.className)"
        )
    )


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_the_public_pages_fit_without_scrolling_sideways_and_pass_the_audit(
    site: str, tab: Tab, width: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    screens = tmp_path_factory.mktemp("screens")
    for n, page in enumerate(PAGES):
        tab.open(site + page, width)

        assert tab.scroll_width() <= width, page
        assert _too_wide(tab, width) == [], page
        assert tab.axe_violations() == [], page
        assert all(url.startswith(site) for url in tab.requested), tab.requested
        print(tab.screenshot(screens / f"htx-{n}-{width}.png"))


def test_the_provenance_page_leads_to_the_cooperatives_page(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{CODE}")
    link = f"#who a[href='{site}/htx/{SHOWN_ID}']"

    tab.call("Runtime.evaluate", expression=f"document.querySelector({json.dumps(link)}).click()")
    tab.wait_for_load()

    assert tab.evaluate("location.pathname") == f"/htx/{SHOWN_ID}"
    assert "Bưởi Luận Văn Thọ Xuân" in tab.text("h1")
    assert "OCOP" in tab.text("#certifications")


def test_the_filter_form_works_without_script(site: str, tab: Tab) -> None:
    tab.open(f"{site}/htx")

    tab.submit("form.filters", {"commodity": "lúa"})

    assert tab.evaluate("location.search").startswith("?commune=&commodity=")
    found = tab.text("#cooperatives")
    assert "Xuân Lập" in found
    assert "Bưởi Luận Văn" not in found
    assert tab.evaluate(f"!!document.querySelector(\"a[href$='/htx/{PARTNER_ID}']\")")
