"""The app on a phone with no network: a real platform under uvicorn, a real headless Chromium.

At 360 px a cooperative's staff member signs in, opens the app (its service worker installs
and keeps the pages it saw), then the server stops — the network is gone for the page and its
service worker alike — and they record a harvest, its drying and its shipment to a chain
partner, and a drying the server will refuse; the app reloads offline with all four waiting
in the outbox. The server comes back on the same address: each record is stored exactly once
(counted in the event store), the refused one shows the server's Vietnamese reason, and the
outbox page passes axe-core's WCAG 2.1 AA audit.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from starlette.types import ASGIApp

from services.platform.composition import WriteSide, build_app
from shared.accounts.gate import SESSION_COOKIE
from shared.i18n.refusals import refusal_message
from shared.records.actors import Role
from tests.browser import PHONE_WIDTH, STARTUP_SECONDS, Tab, chromium
from tests.eventually import eventually
from tests.integration.accounts.conftest import PASSWORD
from tests.people_world import SHOTS, a_person, a_write_side, projections_of, sign_in
from tests.registry_world import World, a_registry, project

pytestmark = pytest.mark.browser
FORMS = ("/app/record/harvest", "/app/record/process", "/app/record/ship")
OUTBOX = "/app/outbox"
KINDS = ("Harvested", "Processed", "Shipped")


class Server:
    """An app under uvicorn on one loopback port that can be stopped and started again there:
    stopped, it is a phone out of coverage for the page and its service worker alike."""

    def __init__(self) -> None:
        self._listener = self._bound(0)
        self.port = int(self._listener.getsockname()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, app: ASGIApp) -> None:
        if self._listener.fileno() == -1:
            self._listener = self._bound(self.port)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [self._listener]}, daemon=True
        )
        self._thread.start()
        eventually(lambda: server.started, within=STARTUP_SECONDS, what="uvicorn starting")

    @staticmethod
    def _bound(port: int) -> socket.socket:
        listener = socket.socket()
        # On both sockets, the first and the next: the first one's closed connections linger
        # in TIME_WAIT with its options, and Linux lets a new socket share the port only if
        # both allow it.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        return listener

    def stop(self) -> None:
        assert self._server is not None
        assert self._thread is not None
        self._server.should_exit = True
        self._thread.join(STARTUP_SECONDS)
        self._listener.close()


@pytest.fixture
def server() -> Iterator[Server]:
    server = Server()
    yield server
    if server._thread is not None and server._thread.is_alive():
        server.stop()


@pytest.fixture
def platform(fresh_database_admin_url: str, server: Server) -> Iterator[tuple[WriteSide, World]]:
    # The site's own address is the one the browser uses: the outbox's Origin must match it.
    with a_write_side(fresh_database_admin_url, public_base_url=server.base) as side:
        world = a_registry(side.records)
        project(side.records, projections_of(side))
        yield side, world


def _fill_and_save(tab: Tab, fields: dict[str, str]) -> None:
    """Fills the page's form as a person would and saves it: the outbox keeps it (no page load)."""
    before = len(_outbox(tab))
    script = (
        "(() => { const form = document.querySelector('form[data-command]');"
        f" for (const [name, value] of Object.entries({json.dumps(fields)})) {{"
        '   for (const el of form.querySelectorAll(`[name="${name}"]`)) {'
        "     if (el.type === 'checkbox' || el.type === 'radio') el.checked = el.value === value;"
        "     else el.value = value; } }"
        " form.requestSubmit(); })()"
    )
    tab.evaluate(script)
    eventually(lambda: len(_outbox(tab)) > before, within=10, what="the outbox keeping it")


def _outbox(tab: Tab) -> list[dict[str, Any]]:
    return list(tab.evaluate("window.nguonOutbox ? window.nguonOutbox.all() : []"))


def _sent_now(tab: Tab) -> list[dict[str, Any]]:
    return list(tab.evaluate("window.nguonOutbox.flush(true).then(window.nguonOutbox.all)"))


def _batch_events(admin_url: str) -> dict[str, int]:
    """How many harvests, processings and shipments the event store holds."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute("SELECT topic FROM nguon_events").fetchall()
    return {kind: sum(1 for (topic,) in rows if topic.endswith(f"Batch.{kind}")) for kind in KINDS}


def _kept_pages(tab: Tab) -> list[str]:
    found = tab.evaluate(
        "caches.open('nguon-pages').then(c => c.keys())"
        ".then(k => k.map(r => new URL(r.url).pathname))"
    )
    return list(found)


def test_records_made_offline_are_stored_once_when_the_network_returns(
    platform: tuple[WriteSide, World], server: Server, fresh_database_admin_url: str
) -> None:
    side, world = platform
    a_person(side, "0912555000", Role.COOPERATIVE, world.thieu)
    app = build_app(side)
    server.start(app)
    base = server.base
    with chromium() as tab:
        sign_in(tab, base, "0912555000")
        assert tab.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)")
        eventually(
            lambda: tab.evaluate("!!navigator.serviceWorker.controller"), within=10,
            what="the service worker controlling the page",
        )  # fmt: skip
        for path in (*FORMS, OUTBOX):  # seen once online: kept for offline
            tab.open(f"{base}{path}")
        eventually(
            lambda: set(FORMS) | {OUTBOX} <= set(_kept_pages(tab)), within=10,
            what="the service worker keeping the pages",
        )  # fmt: skip
        before = _batch_events(fresh_database_admin_url)

        server.stop()  # out of coverage
        tab.open(f"{base}/app/record/harvest")
        assert "form" in tab.evaluate(
            "document.querySelector('form[data-command=harvest]').tagName.toLowerCase()"
        )
        _fill_and_save(
            tab,
            {"plot_ids": str(world.plot_thieu), "quantity.amount": "1200,5", "quantity.unit": "kg",
             "harvested_on": "2026-10-05"},
        )  # fmt: skip
        ref = "$" + _outbox(tab)[-1]["item"]["ref"]
        tab.open(f"{base}/app/record/process")
        offered = (
            "[...document.querySelectorAll('select[name=batch] option')]"
            f".some(o => o.value === {json.dumps(ref)})"
        )
        eventually(lambda: tab.evaluate(offered), within=10, what="the offline batch offered")
        _fill_and_save(
            tab, {"batch": ref, "quantity_after.amount": "1000", "facility": "Sân phơi HTX"}
        )
        tab.open(f"{base}/app/record/ship")
        eventually(lambda: tab.evaluate(offered), within=10, what="the offline batch offered")
        _fill_and_save(tab, {"batch": ref, "to": str(world.enterprise)})
        tab.open(f"{base}/app/record/process")  # a drying that gains weight: refused
        _fill_and_save(
            tab,
            {"batch": world.batch, "quantity_after.amount": "999999", "facility": "Sân phơi HTX"},
        )

        tab.open(f"{base}{OUTBOX}")  # the app reloads offline
        assert tab.text("h1") == "Hộp thư đi"
        eventually(  # its attempt to send, at page load, fails and leaves them waiting
            lambda: [r["state"] for r in _outbox(tab)] == ["waiting"] * 4, within=10,
            what="four records waiting",
        )  # fmt: skip
        shown = "document.querySelectorAll('#outbox li[data-state=waiting]').length"
        eventually(lambda: tab.evaluate(shown) == 4, within=10, what="the outbox showing them")

        server.start(app)  # back in coverage
        eventually(  # as a person taps "Gửi ngay" until it is done
            lambda: all(r["state"] in ("stored", "refused") for r in _sent_now(tab)), within=30,
            what="the outbox sending",
        )  # fmt: skip
        states = [r["state"] for r in _outbox(tab)]
        assert states == ["stored", "stored", "stored", "refused"]
        tab.evaluate("window.nguonOutbox.flush(true)")  # sending again stores nothing
        tab.open(f"{base}{OUTBOX}")
        after = _batch_events(fresh_database_admin_url)
        assert {kind: after[kind] - before[kind] for kind in KINDS} == dict.fromkeys(KINDS, 1)

        refused = _outbox(tab)[-1]
        worded = refusal_message(refused["code"], refused["params"], "vi", fallback="")
        assert worded
        assert refused["reason"] == worded
        assert worded in tab.text("#outbox li[data-state=refused] .reason")
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []
        if SHOTS:
            tab.screenshot(Path(SHOTS) / "outbox.png")

        # Fixing the refused record: its form opens prefilled; sent again, it replaces it.
        fix = tab.evaluate("document.querySelector('#outbox li[data-state=refused] a').href")
        tab.open(fix)
        amount = "document.querySelector('[name=\"quantity_after.amount\"]').value"
        eventually(lambda: tab.evaluate(amount) == "999999", within=10, what="the form prefilled")
        tab.evaluate(
            "document.querySelector('[name=\"quantity_after.amount\"]').value = '900';"
            " document.querySelector('form[data-command=process]').requestSubmit()"
        )
        eventually(
            lambda: [r["state"] for r in _sent_now(tab)] == ["stored"] * 4, within=30,
            what="the fixed record replacing the refused one, and stored",
        )  # fmt: skip
        fixed = _batch_events(fresh_database_admin_url)
        assert fixed["Processed"] == after["Processed"] + 1


def test_a_record_made_after_the_session_ended_waits_for_sign_in_and_is_stored_once(
    platform: tuple[WriteSide, World], server: Server, fresh_database_admin_url: str
) -> None:
    side, world = platform
    a_person(side, "0912555111", Role.COOPERATIVE, world.thieu)
    server.start(build_app(side))
    base = server.base
    with chromium() as tab:
        tab.open(f"{base}/sign-in")
        signing_in = {"username": "0912555111", "password": PASSWORD}
        tab.submit("form[action='/sign-in']", signing_in)
        tab.open(f"{base}/app/record/harvest")
        before = _batch_events(fresh_database_admin_url)
        cookies = tab.call("Network.getCookies", urls=[base])["cookies"]
        session = next(c["value"] for c in cookies if c["name"] == SESSION_COOKIE)
        side.accounts.sessions.end(session)  # the session ends while the form is open

        _fill_and_save(
            tab,
            {"plot_ids": str(world.plot_thieu), "quantity.amount": "800", "quantity.unit": "kg",
             "harvested_on": "2026-10-06"},
        )  # fmt: skip
        eventually(
            lambda: [r["state"] for r in _outbox(tab)] == ["signin"], within=10,
            what="the outbox waiting for sign-in",
        )  # fmt: skip
        tab.open(f"{base}{OUTBOX}")  # the page itself is the worker's kept copy: signed out
        hidden = "document.getElementById('outbox-signin').hidden"
        eventually(lambda: tab.evaluate(hidden) is False, within=10, what="sign in to send")
        assert _batch_events(fresh_database_admin_url) == before

        tab.open(f"{base}/sign-in?next=/app/outbox")
        tab.submit("form[action='/sign-in']", signing_in)
        eventually(
            lambda: [r["state"] for r in _sent_now(tab)] == ["stored"], within=30,
            what="the record sent after signing in",
        )  # fmt: skip
        after = _batch_events(fresh_database_admin_url)
        assert after["Harvested"] == before["Harvested"] + 1


def _stored_events(admin_url: str) -> list[str]:
    """The event store's topics' last parts (``Batch.Produced``), oldest first."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute("SELECT topic FROM nguon_events ORDER BY notification_id").fetchall()
    return [str(topic).rsplit(":", 1)[-1] for (topic,) in rows]


def test_a_split_recorded_offline_is_stored_with_its_numbered_rows_when_the_network_returns(
    platform: tuple[WriteSide, World], server: Server, fresh_database_admin_url: str
) -> None:
    side, world = platform
    a_person(side, "0912555222", Role.COOPERATIVE, world.thieu)
    app = build_app(side)
    server.start(app)
    base = server.base
    transform = "/app/record/transform"
    with chromium() as tab:
        sign_in(tab, base, "0912555222")
        eventually(
            lambda: tab.evaluate("!!navigator.serviceWorker.controller"), within=10,
            what="the service worker controlling the page",
        )  # fmt: skip
        for path in (transform, OUTBOX):  # seen once online: kept for offline
            tab.open(f"{base}{path}")
        eventually(
            lambda: {transform, OUTBOX} <= set(_kept_pages(tab)), within=10,
            what="the service worker keeping the pages",
        )  # fmt: skip
        before = _stored_events(fresh_database_admin_url)

        server.stop()  # out of coverage
        tab.open(f"{base}{transform}")
        _fill_and_save(
            tab,
            {"step": "splitting", "inputs.0.batch": world.batch,
             "inputs.0.quantity.amount": "1000", "outputs.0.commodity": "rice",
             "outputs.0.quantity.amount": "600", "outputs.1.commodity": "rice",
             "outputs.1.quantity.amount": "400"},
        )  # fmt: skip
        item = _outbox(tab)[-1]["item"]
        assert item["type"] == "transform"
        assert [row["batch"] for row in item["inputs"]] == [world.batch]  # a list, one row
        assert [row["quantity"]["amount"] for row in item["outputs"]] == ["600", "400"]
        tab.open(f"{base}{OUTBOX}")
        eventually(
            lambda: [r["state"] for r in _outbox(tab)] == ["waiting"], within=10,
            what="the split waiting",
        )  # fmt: skip
        assert _stored_events(fresh_database_admin_url) == before

        server.start(app)  # back in coverage
        eventually(
            lambda: [r["state"] for r in _sent_now(tab)] == ["stored"], within=30,
            what="the split sent and stored",
        )  # fmt: skip
        tab.evaluate("window.nguonOutbox.flush(true)")  # sending again stores nothing
        tab.open(f"{base}{OUTBOX}")

    stored = _stored_events(fresh_database_admin_url)[len(before) :]
    assert sorted(stored) == ["Batch.Produced", "Batch.Produced", "Batch.TransformedOut"]
