"""A cooperative's staff member and a partner enterprise use the app on a phone: a real
platform under uvicorn, a real headless Chromium at 360 px, signed in through real accounts.

The cooperative records a harvest, sees it in My lots, dries it and ships it to the chain's
lead; the enterprise receives it. Every tap is a real mouse press on the element's centre and
every typed character goes through the DevTools protocol's text input, so the counts printed
are what a person spends (a pick from a list costs two taps: open it, choose). Each page passes
axe-core's WCAG 2.1 AA audit and does not scroll sideways.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.applications import Starlette

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.service import Accounts
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.records.actors import Role
from shared.records.application import Records
from tests.browser import PHONE_WIDTH, Tab, chromium, serving_built
from tests.databases import on_database
from tests.integration.accounts.conftest import PASSWORD, cheap_passwords, issue
from tests.registry_world import World, a_registry, project

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("NGUON_TEST_SCREENSHOTS")  # a folder to keep the pages' pictures in


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(settings, connect, records, passwords=cheap_passwords())
    yield WriteSide(settings, records, TokenStore(connect), accounts)
    records.close()


class Thumb:
    """Counts what a person spends: taps and typed characters."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab
        self.taps = 0
        self.typed = 0

    def tap(self, selector: str, *, navigates: bool = False) -> None:
        box = self.tab.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.tab.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )
        self.taps += 1
        if navigates:
            self.tab.wait_for_load()

    def type(self, selector: str, text: str) -> None:
        self.tap(selector)
        self.tab.evaluate(f"document.querySelector({json.dumps(selector)}).select?.(); true")
        self.tab.call("Input.insertText", text=text)
        self.typed += len(text)

    def pick(self, selector: str, value: str) -> None:
        """Opens a list and chooses in it: two taps (headless Chromium draws no popup)."""
        self.tab.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            f" e.value = {json.dumps(value)};"
            " e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )
        self.taps += 2

    def spent(self) -> tuple[int, int]:
        spent = (self.taps, self.typed)
        self.taps = self.typed = 0
        return spent


def _looks_right(tab: Tab, name: str) -> None:
    assert tab.scroll_width() <= PHONE_WIDTH, f"{name} scrolls sideways"
    assert tab.axe_violations() == [], name
    if SHOTS:
        tab.screenshot(Path(SHOTS) / f"app-{name}-360.png")
        tab.resize(1280)
        tab.screenshot(Path(SHOTS) / f"app-{name}-1280.png")
        tab.resize(PHONE_WIDTH)


def _path(tab: Tab) -> str:
    return str(tab.evaluate("location.pathname + location.search"))


def _sign_in(tab: Tab, base: str, username: str) -> None:
    tab.open(f"{base}/sign-in")
    tab.submit("form[action='/sign-in']", {"username": username, "password": PASSWORD})
    assert _path(tab) == "/app/"


def test_a_harvest_is_dried_shipped_and_received_in_few_taps(side: WriteSide) -> None:
    world: World = a_registry(side.records)
    projections = Projections(side.connect)
    projections.reset()
    project(side.records, projections)
    for username, role, organisation in (
        ("0912000001", Role.COOPERATIVE, world.thieu),
        ("0912000002", Role.ENTERPRISE, world.enterprise),
    ):
        issued = issue(side.accounts, username, role, organisation)
        side.accounts.store.set_password(issued.account_id, PASSWORD)
    effort: dict[str, tuple[int, int]] = {}
    with serving_built(lambda base: _site_at(side, base)) as base, chromium() as tab:
        thumb = Thumb(tab)
        _sign_in(tab, base, "0912000001")
        _looks_right(tab, "home")

        thumb.tap("a[href='/app/record/harvest']", navigates=True)
        _looks_right(tab, "harvest")
        thumb.type("#field-quantity\\.amount", "1250")
        thumb.tap("form[data-command=harvest] button[type=submit]", navigates=True)
        effort["harvest"] = thumb.spent()
        assert _path(tab).startswith("/app/record/harvest/done?code=TH-")
        code = tab.text("strong.mono")
        _looks_right(tab, "harvest-done")

        project(side.records, projections)  # the projector, by position
        tab.open(f"{base}/app/lots")
        assert code in tab.text("main")
        _looks_right(tab, "my-lots")
        tab.open(f"{base}/app/record/harvest/done?code={code}")

        thumb.tap(f"a[href='/app/record/process?batch={code}']", navigates=True)
        _looks_right(tab, "process")
        thumb.type("#field-quantity_after\\.amount", "5000")
        thumb.tap("form[data-command=process] button[type=submit]", navigates=True)
        assert "nhiều hơn số lượng hiện có" in tab.text("#error-quantity_after\\.amount")
        _looks_right(tab, "process-refused")
        thumb.spent()  # the refusal is not part of a drying's count
        tab.open(f"{base}/app/record/process?batch={code}")
        thumb.type("#field-quantity_after\\.amount", "1100")
        thumb.tap("form[data-command=process] button[type=submit]", navigates=True)
        assert _path(tab).startswith(f"/app/record/process/done?code={code}")
        thumb.taps += 1  # the tap from the harvest's confirmation to the form, opened above
        effort["drying"] = thumb.spent()

        thumb.tap(f"a[href='/app/record/ship?batch={code}']", navigates=True)
        _looks_right(tab, "ship")
        thumb.pick("#field-to", str(world.enterprise))
        thumb.tap("form[data-command=ship] button[type=submit]", navigates=True)
        assert _path(tab).startswith(f"/app/record/ship/done?code={code}")
        effort["shipment"] = thumb.spent()
        project(side.records, projections)

        tab.open(f"{base}/app/lots/{code}")
        assert "Đã gửi đến" in tab.text("main")
        _looks_right(tab, "lot")
        tab.submit("form[action='/sign-out']", {})

        _sign_in(tab, base, "0912000002")
        assert code in tab.text("main")
        thumb.tap(f"main a[href='/app/record/receive?batch={code}']", navigates=True)
        _looks_right(tab, "receive")
        thumb.tap("form[data-command=receive] button[type=submit]", navigates=True)
        assert _path(tab).startswith(f"/app/record/receive/done?code={code}")
        effort["receiving"] = thumb.spent()
        _looks_right(tab, "receive-done")

    for task, (taps, typed) in effort.items():
        print(f"effort: {task}: {taps} taps, {typed} typed characters")
    assert effort["harvest"][0] <= 6
    assert effort["harvest"][1] <= 4


def _site_at(side: WriteSide, base: str) -> Starlette:
    """The platform at the address the browser uses: the outbox's sends carry that Origin, and
    the capture API accepts a session's sends from the site's own origin only."""
    settings = side.settings.model_copy(update={"public_base_url": base})
    return build_app(replace(side, settings=settings))
