"""A provincial officer's browser on the dashboard: a real HTTP server and a real Chromium.

The province's dashboard pages run under uvicorn over the unit tests' fake figures
(``tests/unit/province/fakes.py``) and a test-only gate that knows the staff session by its
cookie. Chromium lays the pages out at 1280 and 360 px; the test asks the page what it laid
out (scroll width), fills the filter form as a person would, follows a drill-down to a
cooperative's link, downloads the XLSX with the session's cookie, and runs axe-core's audit.
"""

from __future__ import annotations

import io
import json
import os
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from openpyxl import load_workbook

from shared.accounts.gate import SESSION_COOKIE
from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving
from tests.unit.province.dashboard_app import dashboard_app
from tests.unit.province.fakes import COOPERATIVE_IDS, FakeIndicators

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("NGUON_SCREENSHOTS", "/tmp/nguon-dashboard-shots"))


def _signed_in(tab: Tab, base: str) -> None:
    tab.call("Network.setCookie", name=SESSION_COOKIE, value="staff", url=base, httpOnly=True)


def _shoot(tab: Tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(SHOTS / f"{name}.png")


def _follow(tab: Tab, selector: str) -> None:
    tab.call(
        "Runtime.evaluate", expression=f"document.querySelector({json.dumps(selector)}).click()"
    )
    tab.wait_for_load()


def test_an_officer_reads_filters_drills_down_and_downloads_in_a_browser() -> None:
    fake = FakeIndicators()
    with serving(dashboard_app(fake)) as base, chromium() as tab:
        _signed_in(tab, base)

        for width in (DESKTOP_WIDTH, PHONE_WIDTH):
            tab.open(f"{base}/province/dashboard", width)
            _shoot(tab, f"overview-{width}")
            assert tab.scroll_width() <= width
            assert "Tổng quan kinh tế tập thể" in tab.text("h1")
        assert tab.axe_violations() == []
        assert all(url.startswith(base) or url.startswith("data:") for url in tab.requested)

        # The filter form, as a person fills it: a day and a commune.
        tab.submit("form.filters", {"as_of": "2025-12-31", "commune": "Xã Thọ Xuân"})
        query = parse_qs(urlparse(tab.evaluate("location.href")).query)
        assert query["as_of"] == ["2025-12-31"]
        assert query["commune"] == ["Xã Thọ Xuân"]
        assert "Đến ngày 31/12/2025" in tab.text("main")
        assert fake.asked[-1].commune == "Xã Thọ Xuân"

        # An indicator's page, still under those filters.
        _follow(tab, 'h2 a[href^="/province/dashboard/in_value_chain"]')
        assert urlparse(tab.evaluate("location.href")).path == "/province/dashboard/in_value_chain"
        assert "61,7 %" in tab.text("main")
        for width in (PHONE_WIDTH, DESKTOP_WIDTH):
            tab.resize(width)
            _shoot(tab, f"indicator-{width}")
            assert tab.scroll_width() <= width
        assert tab.axe_violations() == []

        # Its XLSX, fetched with the session's cookie as the browser would.
        xlsx = tab.evaluate("document.querySelector('a[href*=\".xlsx\"]').getAttribute('href')")
        request = urllib.request.Request(
            urljoin(base, xlsx), headers={"Cookie": f"{SESSION_COOKIE}=staff"}
        )
        with urllib.request.urlopen(request, timeout=20) as answer:
            book = load_workbook(io.BytesIO(answer.read()))
        assert book["Theo xã"]["A3"].value == "Bộ lọc: Xã: Xã Thọ Xuân"

        # The drill-down behind a figure, and from it a cooperative's registry page.
        _follow(tab, '.figure-card a[href*="drill=in_chain"]')
        location = urlparse(tab.evaluate("location.href"))
        assert location.path == "/province/dashboard/in_value_chain/cooperatives"
        assert parse_qs(location.query)["commune"] == ["Xã Thọ Xuân"]
        tab.resize(PHONE_WIDTH)
        _shoot(tab, "drill-360")
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []
        link = tab.evaluate("document.querySelector('main ul.cooperatives a').getAttribute('href')")
        assert link == f"/province/cooperatives/{COOPERATIVE_IDS[0]}"
