"""How long the cooperative app takes to open on a slow 3G phone: cold, then warm.

Runs the whole platform in process (``build_app``) on a fresh database of the test PostgreSQL,
signs a cooperative's staff member in (a session cookie set in the browser, so nothing of the
app is loaded before the cold run), then opens ``/app/`` in headless Chromium at 360 px with
DevTools network emulation at issue 9's slow-3G profile — 400 kbit/s down and up, 400 ms round
trip — on the page and, for the warm run, on its service worker too (a page's emulation does
not reach the requests its worker makes):

- cold: empty HTTP cache, no service worker: what a first visit costs;
- warm: the service worker installed (shell precached), the HTTP cache cleared: the page
  itself still comes from the network first (so a person sees fresh pick lists), its scripts
  and icons from the worker's cache.

Prints the time to the load event and the bytes transferred; asserts nothing. Needs the test
PostgreSQL (``make services-up``): ``NGUON_TEST_DATABASE_ADMIN_URL`` (default
``postgresql://postgres@127.0.0.1:55432/postgres``) and Debian's chromium.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import drop_database, fresh_database

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.gate import SESSION_COOKIE
from shared.accounts.service import Accounts
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import connector
from shared.records.actors import Role
from shared.records.application import Records
from tests.browser import Tab, chromium, service_worker, serving_built
from tests.databases import on_database
from tests.eventually import eventually
from tests.integration.accounts.conftest import an_account, cheap_passwords
from tests.registry_world import a_registry, project

ADMIN_URL = os.environ.get(
    "NGUON_TEST_DATABASE_ADMIN_URL", "postgresql://postgres@127.0.0.1:55432/postgres"
)
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, round trip
    "downloadThroughput": 400_000 / 8,  # bytes per second
    "uploadThroughput": 400_000 / 8,
}
RUNS = 3


def _load(tab: Tab, url: str) -> tuple[float, int]:
    """The load event's time after navigation starts (ms), and the bytes the page's network
    carried (the navigation's and its resources' transfer sizes)."""
    tab.call("Network.clearBrowserCache")
    tab.open(url)
    timing: dict[str, Any] = tab.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " const r = performance.getEntriesByType('resource');"
        " return {ms: n.loadEventStart, bytes: n.transferSize"
        " + r.reduce((s, e) => s + e.transferSize, 0)}; })()"
    )
    return float(timing["ms"]), int(timing["bytes"])


def _throttled(target: Any) -> None:
    target.call("Network.enable")
    target.call("Network.emulateNetworkConditions", **SLOW_3G)


def main() -> None:
    database = fresh_database(ADMIN_URL)
    side: WriteSide | None = None
    account_id = None
    try:

        def build(base: str) -> Any:
            nonlocal side, account_id
            settings = PlatformSettings(**on_database(database), public_base_url=base)
            urls = prepare(settings)
            records = Records(eventsourcing_env(urls.app, create_table=False), "TH")
            accounts = Accounts.build(
                settings, connections_of(records), records, passwords=cheap_passwords()
            )
            world = a_registry(records)
            projections = Projections(connector(urls.app))
            projections.reset()
            project(records, projections)
            account = an_account(accounts, "0912345000", Role.COOPERATIVE, world.thieu)
            side = WriteSide(settings, records, TokenStore(connections_of(records)), accounts)
            account_id = account.account_id
            return build_app(side)

        with serving_built(build) as base, chromium() as tab:
            assert side is not None
            assert account_id is not None
            cookie = side.accounts.sessions.start(account_id)
            tab.call("Network.setCookie", name=SESSION_COOKIE, value=cookie, url=base)
            _throttled(tab)
            cold = [_load(tab, f"{base}/app/")]  # the only cold run: the worker installs now
            tab.evaluate("navigator.serviceWorker.ready.then(() => true)")
            eventually(lambda: tab.evaluate("!!navigator.serviceWorker.controller"), within=60)
            worker = service_worker(tab)
            _throttled(worker)
            warm = [_load(tab, f"{base}/app/") for _ in range(RUNS)]
            worker.close()
        print("slow 3G (400 kbit/s down and up, 400 ms round trip), /app/ signed in, 360 px:")
        ms, size = cold[0]
        print(f"  cold (no cache, no service worker): {ms:7.0f} ms to load, {size / 1024:.1f} KB")
        best = min(warm)
        print(
            f"  warm (service worker, {RUNS} runs):    {best[0]:7.0f} ms to load (best),"
            f" {max(w[0] for w in warm):.0f} ms (worst), {best[1] / 1024:.1f} KB over the network"
        )
    finally:
        if side is not None:
            side.records.close()
        drop_database(ADMIN_URL, database)


if __name__ == "__main__":
    main()
