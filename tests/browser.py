"""A real headless Chromium for page tests, driven over the DevTools protocol.

``chromium()`` starts Debian's Chromium with a throwaway profile and gives one ``Tab``;
``serving(app)`` (or ``serving_built(build)``) runs an ASGI app under uvicorn on a free
loopback port. Chromium may reach nothing but loopback: names resolve to nothing and any
other address goes to a closed port.
``Tab.axe_violations()`` runs axe-core (vendored by npm into ``tests/axe``) inside the page
for a WCAG 2.1 AA audit: the tests fail on a serious or critical violation.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import pytest
import uvicorn
from starlette.types import ASGIApp

from tests.eventually import eventually

websocket = pytest.importorskip("websocket", reason="needs the websocket-client dev dependency")

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE_WIDTH = 360
DESKTOP_WIDTH = 1280
PHONE = "Mozilla/5.0 (Linux; Android 11; Redmi 9A) AppleWebKit/537.36 Mobile Safari/537.36"
VIETNAMESE = "vi-VN,vi;q=0.9,en-US;q=0.6,en;q=0.5"
STARTUP_SECONDS = 20.0
PAGE_LOAD_SECONDS = 20.0
SERIOUS = frozenset({"serious", "critical"})


class Tab:
    """One Chromium page, driven over the DevTools protocol."""

    def __init__(self, url: str) -> None:
        self._socket = websocket.create_connection(
            url, timeout=PAGE_LOAD_SECONDS, suppress_origin=True
        )
        self.url = url  # the DevTools address: its port also lists the browser's other targets
        self._next_id = 0
        self.requested: list[str] = []
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Emulation.setUserAgentOverride", userAgent=PHONE, acceptLanguage=VIETNAMESE)

    def call(self, method: str, **params: object) -> dict[str, Any]:
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == self._next_id:
                assert "error" not in message, message
                return cast(dict[str, Any], message["result"])

    def open(self, url: str, width: int = PHONE_WIDTH) -> None:
        """Loads ``url`` at ``width`` CSS pixels (a phone at 360, a desktop at 1280)."""
        self.resize(width)
        self.requested.clear()
        self.call("Page.navigate", url=url)
        self.wait_for_load()

    def resize(self, width: int) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=800,
            deviceScaleFactor=2 if width <= PHONE_WIDTH else 1,
            mobile=width <= PHONE_WIDTH,
        )

    def wait_for_load(self) -> None:
        """Waits for the next page load: after ``open``, or after a click that navigates."""
        while self._receive().get("method") != "Page.loadEventFired":
            pass

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def submit(self, form_selector: str, fields: dict[str, str]) -> None:
        """Fills a form's fields by name, submits it as a person would, waits for the page."""
        script = (
            f"(() => {{ const form = document.querySelector({json.dumps(form_selector)});"
            f" const fields = {json.dumps(fields)};"
            " for (const [name, value] of Object.entries(fields)) {"
            "   form.elements[name].value = value; }"
            " form.requestSubmit(); })()"
        )
        self.call("Runtime.evaluate", expression=script)
        self.wait_for_load()

    def text(self, selector: str) -> str:
        return str(self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText"))

    def scroll_width(self) -> int:
        return int(self.evaluate("document.documentElement.scrollWidth"))

    def screenshot(self, path: Path) -> Path:
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def axe_violations(self) -> list[dict[str, Any]]:
        """The page's serious and critical WCAG 2.0/2.1 A and AA violations, as axe-core
        reports them (id, impact, help, the offending elements)."""
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci --prefix tests/axe)")
        self.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        found = self.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values:"
            " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))})))"
        )
        return [v for v in cast(list[dict[str, Any]], found) if v["impact"] in SERIOUS]

    def close(self) -> None:
        self._socket.close()

    def _receive(self) -> dict[str, Any]:
        message = cast(dict[str, Any], json.loads(self._socket.recv()))
        if message.get("method") == "Network.requestWillBeSent":
            self.requested.append(message["params"]["request"]["url"])
        return message


class Target:
    """A bare DevTools connection to a target that is not a page (a service worker)."""

    def __init__(self, url: str) -> None:
        self._socket = websocket.create_connection(
            url, timeout=PAGE_LOAD_SECONDS, suppress_origin=True
        )
        self._next_id = 0

    def call(self, method: str, **params: object) -> dict[str, Any]:
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:
            message = cast(dict[str, Any], json.loads(self._socket.recv()))
            if message.get("id") == self._next_id:
                assert "error" not in message, message
                return cast(dict[str, Any], message["result"])

    def close(self) -> None:
        self._socket.close()


def service_worker(tab: Tab) -> Target:
    """The service worker of the tab's site, once it runs: e.g. to throttle its network too
    (a page's network emulation does not reach the requests its service worker makes)."""
    port = tab.url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]

    def found() -> str | None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            targets = json.load(answer)
        workers = [t for t in targets if t["type"] == "service_worker"]
        return str(workers[0]["webSocketDebuggerUrl"]) if workers else None

    return Target(eventually(found, within=STARTUP_SECONDS, what="a service worker target"))


@contextmanager
def chromium() -> Iterator[Tab]:
    """Debian's headless Chromium with a fresh profile (so fresh cookies), and its one tab."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    profile = Path(tempfile.mkdtemp(prefix="nguon-chromium-"))
    browser = subprocess.Popen(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-pings",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
            f"--user-data-dir={profile}",
            f"--window-size={PHONE_WIDTH},800",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        tab = Tab(_page_socket(profile / "DevToolsActivePort"))
        yield tab
        tab.close()
    finally:
        browser.terminate()
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """``app`` under uvicorn on a free loopback port; yields its base URL."""
    with serving_built(lambda _base: app) as base:
        yield base


@contextmanager
def serving_built(build: Callable[[str], ASGIApp]) -> Iterator[str]:
    """The app ``build(base_url)`` makes, for apps that must know their own address."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    app = build(base)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        eventually(lambda: server.started, within=STARTUP_SECONDS, what="uvicorn starting")
        yield base
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)
        listener.close()


def _page_socket(port_file: Path) -> str:
    eventually(
        lambda: port_file.exists() and port_file.read_text().strip(),
        within=STARTUP_SECONDS,
        what="chromium opening its DevTools port",
    )
    port = port_file.read_text().split()[0]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
        targets = json.load(answer)
    return str(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
