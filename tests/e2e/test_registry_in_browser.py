"""Provincial staff keep the registry in a real Chromium: the province app under uvicorn on a
real PostgreSQL, its projections following the event store in-process as in embedded mode.

Staff register a cooperative through its form at 360 px, first with a mistake the domain
refuses (shown in Vietnamese next to its field, nothing stored), then corrected; the lists,
pages and forms do not scroll sideways and pass axe-core's WCAG 2.1 AA audit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.province.app import create_app
from shared.database import prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import PositionWaiter, connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving
from tests.databases import on_database
from tests.registry_world import HeaderGate, World, a_registry

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Site:
    base: str
    world: World
    records: Records


@pytest.fixture
def site(fresh_database_admin_url: str) -> Iterator[Site]:
    settings = NguonSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False, pool_size=2))
    connect = connector(urls.app)
    projections = Projections(connect)
    projections.reset()
    world = a_registry(records)
    stop = threading.Event()
    follower = run_embedded(records, projections, stop)
    assert PositionWaiter(connect).wait_for(world.position, 30.0)
    try:
        with serving(create_app(settings, records, HeaderGate(), connect)) as base:
            yield Site(base, world, records)
    finally:
        stop.set()
        follower.join(timeout=30)
        records.close()


@pytest.fixture
def tab() -> Iterator[Tab]:
    with chromium() as opened:
        # Signed in as provincial staff by the tests' own gate (see tests/registry_world.py).
        opened.call("Network.setExtraHTTPHeaders", headers={HeaderGate.HEADER: "province"})
        yield opened


def _no_sideways_scroll(tab: Tab, page: str) -> None:
    assert tab.scroll_width() <= PHONE_WIDTH, page
    too_wide = tab.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => !e.closest('.table-wrap, .tabs'))"
        f".filter(e => e.getBoundingClientRect().right > {PHONE_WIDTH} + 0.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert too_wide == [], page


def test_staff_register_a_cooperative_through_its_form_after_a_refusal_in_vietnamese(
    site: Site, tab: Tab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shots = tmp_path_factory.mktemp("registry-screens")
    tab.open(f"{site.base}/province/cooperatives/new")
    assert tab.text("h1") == "Đăng ký hợp tác xã"
    typed = {
        "name": "HTX Nông nghiệp Xuân Lập",
        "registration_number": "2801-000999",
        "commune": "Xã Xuân Lập",
        "former_district": "Thọ Xuân",
        "sector": "rice",
        "founded": "2019-05-20",
        "members_count": "5",
        "model": "new",
    }
    before = site.records.position()
    tab.submit("main form", typed)
    assert "Hợp tác xã phải có ít nhất 7 thành viên" in tab.text("#error-members_count")
    assert "Hợp tác xã phải có ít nhất 7 thành viên" in tab.text("#error-summary")
    assert tab.evaluate("document.querySelector('#field-name').value") == typed["name"]
    assert site.records.position() == before
    _no_sideways_scroll(tab, "refused form")
    assert tab.axe_violations() == []
    print(tab.screenshot(shots / "refused-360.png"))

    tab.submit("main form", {"members_count": "25"})
    assert tab.text("h1") == "HTX Nông nghiệp Xuân Lập"
    assert "2801-000999" in tab.text("main")
    assert "Đăng ký hợp tác xã" in tab.text("#history-title + .table-wrap")
    assert site.records.position() > before
    _no_sideways_scroll(tab, "new cooperative")
    print(tab.screenshot(shots / "registered-360.png"))


def test_the_registry_pages_fit_a_phone_and_pass_the_accessibility_audit(
    site: Site, tab: Tab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shots = tmp_path_factory.mktemp("registry-pages")
    world = site.world
    pages = {
        "cooperatives": "/province/cooperatives?search=thieu",
        "enterprises": "/province/enterprises",
        "chains": "/province/value-chains",
        "plots": "/province/plots",
        "cooperative": f"/province/cooperatives/{world.thieu}",
        "enterprise": f"/province/enterprises/{world.enterprise}",
        "chain": f"/province/value-chains/{world.chain}",
        "plot": f"/province/plots/{world.plot_thieu}",
        "contract-form": f"/province/value-chains/{world.chain}/contracts/new",
        "support-form": f"/province/cooperatives/{world.thieu}/support",
    }
    for name, path in pages.items():
        tab.open(site.base + path, PHONE_WIDTH)
        _no_sideways_scroll(tab, path)
        assert tab.axe_violations() == [], path
        tab.screenshot(shots / f"{name}-360.png")
        tab.open(site.base + path, DESKTOP_WIDTH)
        assert tab.axe_violations() == [], path
        tab.screenshot(shots / f"{name}-1280.png")
    print(Path(shots))
