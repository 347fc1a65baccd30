"""A provincial officer's browser on the dashboard: a real HTTP server and a real Chromium.

The province's dashboard pages run under uvicorn, over the unit tests' fake figures
(``tests/unit/province/fakes.py``: every shape, long names, empty tables) and over the real
monitoring figures of a hand-built history in a fresh PostgreSQL, with a test-only gate that
knows the staff session by its cookie. Chromium lays the pages out at 1280 and 360 px; the
test asks the page what it laid out (scroll width), fills the filter form as a person would,
follows a drill-down to a cooperative's link, downloads the XLSX with the session's cookie,
and runs axe-core's audit.
"""

from __future__ import annotations

import io
import json
import os
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse
from uuid import UUID

import pytest
from openpyxl import load_workbook

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.gate import SESSION_COOKIE
from shared.accounts.service import Accounts
from shared.database import DatabaseUrls, prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.monitoring.figures import INDICATOR_KEYS
from shared.readmodels.monitoring.queries import PostgresIndicators
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, connector
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult
from shared.settings import NguonSettings
from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving
from tests.builders import (
    STAFF,
    a_cooperative_command,
    a_harvest,
    a_plot_command,
    a_value_chain_command,
    after_harvest,
    an_enterprise_command,
    kg,
)
from tests.databases import on_database
from tests.integration.accounts.conftest import PASSWORD, cheap_passwords, issue
from tests.integration.readmodels.readmodel_chain import all_envelopes
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

        # A filter no form offers (an edited address): the error at its field, nothing counted.
        asked = len(fake.asked)
        tab.open(f"{base}/province/dashboard?as_of=2025-12-31&commune=Xã Không Có", PHONE_WIDTH)
        assert "Chọn một xã có trong danh sách" in tab.text("#error-commune")
        assert "Xã Không Có" not in tab.text(".filters-box summary")  # not a filter in force
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []
        _shoot(tab, "refused-360")
        assert len(fake.asked) == asked
        tab.submit("form.filters", {"commune": "Xã Thọ Xuân"})
        assert "Đến ngày 31/12/2025" in tab.text("main")

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

        # The yearly report's page: a year to choose, the filters carried along.
        tab.open(f"{base}/province/reports/yearly?commune=Xã Thọ Xuân", PHONE_WIDTH)
        _shoot(tab, "report-360")
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []
        assert tab.evaluate("document.querySelector('input[name=commune]').value") == "Xã Thọ Xuân"


def _id(records: Records, actor: Actor, command: c.Command) -> UUID:
    result = records.execute(actor, [command]).results[0]
    for name in ("cooperative_id", "enterprise_id", "value_chain_id", "plot_id", "household_id"):
        if hasattr(result, name):
            return UUID(str(getattr(result, name)))
    raise AssertionError(result)


@pytest.fixture
def recorded(fresh_database_admin_url: str) -> Iterator[tuple[Connect, UUID]]:
    """Two cooperatives, one in a rice chain under a contract it shipped against, projected;
    yields the read models' connections and the cooperative in the chain."""
    database: DatabaseUrls = prepare(NguonSettings(**on_database(fresh_database_admin_url)))
    records = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    try:
        mill = _id(records, STAFF, an_enterprise_command())
        linked = _id(
            records,
            STAFF,
            a_cooperative_command(
                name="HTX Dịch vụ Nông nghiệp và Sản xuất Kinh doanh Lúa gạo Thiệu Trung",
                commune="Xã Thiệu Trung",
            ),
        )
        _id(records, STAFF, a_cooperative_command(name="HTX Định Công", commune="Xã Định Công"))
        chain = _id(records, STAFF, a_value_chain_command(mill))
        grower = Actor(Role.COOPERATIVE, linked)
        household = _id(
            records, grower, c.RegisterHousehold(cooperative_id=linked, reference="HH-1")
        )
        plot = _id(records, grower, a_plot_command(linked, household_id=household))
        records.execute(
            STAFF,
            [
                c.JoinValueChain(
                    value_chain_id=chain,
                    organisation_id=linked,
                    role="producer",
                    joined_on=date(2025, 3, 1),
                ),
                c.SignLinkageContract(
                    value_chain_id=chain,
                    contract_number="HĐLK-2025/01",
                    parties=[mill, linked],
                    commodity="rice",
                    committed_volume=kg(10_000),
                    starts_on=date(2025, 1, 1),
                    ends_on=date(2025, 12, 31),
                ),
            ],
        )
        harvested = records.execute(grower, [a_harvest([plot], quantity=kg(1000))])
        code = harvested.result(BatchResult).code
        records.execute(grower, [c.ShipBatch(batch=code, to=mill, at=after_harvest(5))])
        connect = connector(database.app)
        projections = Projections(connect)
        projections.reset()
        envelopes = all_envelopes(records)
        projections.apply(envelopes, Position(envelopes[-1].position))
        yield connect, linked
    finally:
        records.close()


def test_the_real_figures_of_a_recorded_history_read_and_drill_down_in_a_browser(
    recorded: tuple[Connect, UUID],
) -> None:
    connect, linked = recorded
    with serving(dashboard_app(PostgresIndicators(connect))) as base, chromium() as tab:
        _signed_in(tab, base)
        as_of = "as_of=2025-10-10"
        tab.open(f"{base}/province/dashboard?{as_of}", PHONE_WIDTH)
        assert tab.scroll_width() <= PHONE_WIDTH
        size = tab.evaluate("new Blob([document.documentElement.outerHTML]).size")
        assert size < 100_000
        assert tab.axe_violations() == []
        _shoot(tab, "real-overview-360")
        for key in INDICATOR_KEYS:
            tab.open(f"{base}/province/dashboard/{key}?{as_of}", PHONE_WIDTH)
            assert tab.scroll_width() <= PHONE_WIDTH, key
            assert tab.evaluate("document.querySelectorAll('h1').length") == 1, key
        tab.open(f"{base}/province/dashboard/in_value_chain?{as_of}", PHONE_WIDTH)
        _shoot(tab, "real-in-value-chain-360")
        assert "50 %" in tab.text("main")  # one of the two active cooperatives
        assert tab.axe_violations() == []

        _follow(tab, '.figure-card a[href*="drill=in_chain"]')
        link = tab.evaluate("document.querySelector('main ul.cooperatives a').getAttribute('href')")
        assert link == f"/province/cooperatives/{linked}"

        tab.open(f"{base}/province/dashboard/contracts?{as_of}", DESKTOP_WIDTH)
        _shoot(tab, "real-contracts-1280")
        assert "100 %" in tab.text("main")  # the fulfilment bars' marker
        assert tab.axe_violations() == []

        report = urllib.request.Request(
            f"{base}/province/reports/yearly?year=2025",
            headers={"Cookie": f"{SESSION_COOKIE}=staff"},
        )
        with urllib.request.urlopen(report, timeout=60) as answer:
            book = load_workbook(io.BytesIO(answer.read()))
        assert len(book.worksheets) == 1 + len(INDICATOR_KEYS)


@pytest.fixture
def platform(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(settings, connect, records, passwords=cheap_passwords())
    yield WriteSide(settings, records, TokenStore(connect), accounts)
    records.close()


def test_an_officer_signs_in_to_the_platform_and_downloads_the_dashboards_workbook(
    platform: WriteSide,
) -> None:
    """The whole platform, its real sign-in and the real (still empty) figures."""
    issued = issue(platform.accounts, "0912345678", Role.PROVINCE)
    platform.accounts.store.set_password(issued.account_id, PASSWORD)
    with serving(build_app(platform)) as base, chromium() as tab:
        tab.open(f"{base}/province/dashboard/in_value_chain")
        assert tab.evaluate("location.pathname") == "/sign-in"
        tab.submit("form[action='/sign-in']", {"username": "0912345678", "password": PASSWORD})
        assert tab.evaluate("location.pathname") == "/province/dashboard/in_value_chain"
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []
        _shoot(tab, "platform-empty-360")

        cookies = tab.call("Network.getCookies", urls=[base])["cookies"]
        session = next(one["value"] for one in cookies if one["name"] == SESSION_COOKIE)
        xlsx = tab.evaluate("document.querySelector('a[href*=\".xlsx\"]').getAttribute('href')")
        request = urllib.request.Request(
            urljoin(base, xlsx), headers={"Cookie": f"{SESSION_COOKIE}={session}"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            book = load_workbook(io.BytesIO(answer.read()))
        assert book.worksheets[0]["A2"].value.startswith("Số liệu đến ngày")
