"""A provincial officer's browser on a trace: a real HTTP server and a real Chromium.

The province's trace pages run under uvicorn over a hand-made graph (the unit tests' fake
source: a harvest, its rice, forty retail bags with three shops, one of whose names needs
escaping), with the test-only ``HeaderGate`` naming the officer by cookie. Chromium lays the
page out at 1280 and 360 px: the page itself never scrolls sideways (the picture scrolls inside
its own frame), axe-core finds nothing serious, a group opens when its link in the picture is
followed, and the search box lands on the batch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving
from tests.registry_world import HeaderGate
from tests.unit.trace.graphs import COOPERATIVE, a_wide_chain
from tests.unit.trace.pages import FakeTraces, cooperative_app, province_app

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("NGUON_SCREENSHOTS", "/tmp/nguon-trace-shots"))
TRACE = "/province/trace/TH-2026-000001"


def _shoot(tab: Tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(SHOTS / f"{name}.png")


def _frame_scrolls_inside(tab: Tab) -> bool:
    return bool(
        tab.evaluate(
            "(() => { const f = document.querySelector('.trace-frame');"
            " return f.scrollWidth > f.clientWidth"
            " && f.getBoundingClientRect().right <= document.documentElement.clientWidth; })()"
        )
    )


def test_an_officer_reads_a_trace_on_a_phone_and_a_desktop_and_opens_a_group() -> None:
    traces = FakeTraces(a_wide_chain(40))
    with serving(province_app(traces)) as base, chromium() as tab:
        tab.call("Network.setCookie", name=HeaderGate.COOKIE, value="province", url=base)

        for width in (DESKTOP_WIDTH, PHONE_WIDTH):
            tab.open(f"{base}{TRACE}", width)
            _shoot(tab, f"trace-{width}")
            assert tab.scroll_width() <= width
            assert "TH-2026-000001" in tab.text("h1")
            assert "Cân đối khối lượng" in tab.text("main")
        assert _frame_scrolls_inside(tab)  # at 360 px the picture is wider than its frame
        assert tab.axe_violations() == []
        assert all(url.startswith(base) or url.startswith("data:") for url in tab.requested)

        tab.call(
            "Runtime.evaluate",
            expression=f"document.querySelector({json.dumps('a.expand')}).click()",
        )
        tab.wait_for_load()
        assert urlparse(tab.evaluate("location.href")).query == "expand=2"
        assert tab.evaluate("document.querySelectorAll('svg g.node').length") == 42
        assert tab.scroll_width() <= PHONE_WIDTH
        _shoot(tab, "trace-expanded-360")

        tab.open(f"{base}/province/trace?lang=en", PHONE_WIDTH)
        tab.submit("main form", {"ref": "TH-2026-000001", "direction": "back"})
        assert urlparse(tab.evaluate("location.href")).path == TRACE
        assert "Mass balance" in tab.text("main")
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []


def test_a_cooperative_reads_its_lot_trace_on_a_phone() -> None:
    traces = FakeTraces(a_wide_chain(40, recalled=True))
    with serving(cooperative_app(traces)) as base, chromium() as tab:
        tab.call(
            "Network.setCookie",
            name=HeaderGate.COOKIE,
            value=f"cooperative:{COOPERATIVE}",
            url=base,
        )

        for width in (PHONE_WIDTH, DESKTOP_WIDTH):
            tab.open(f"{base}/app/lots/TH-2026-000001/trace?lang=en", width)
            _shoot(tab, f"app-trace-{width}")
            assert tab.scroll_width() <= width
            assert "RECALLED" in tab.text("main")
        assert tab.axe_violations() == []
