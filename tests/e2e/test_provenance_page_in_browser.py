"""A buyer's phone opens a provenance page: a real HTTP server and a real headless Chromium.

The web app runs under uvicorn on a loopback port, reading the unit tests' in-memory
``ProvenanceReader`` fake. Chromium is driven over the DevTools protocol
(``websocket-client``): it emulates a 360 px wide phone, and the test asks the page itself
what it laid out: element boxes, scroll width, and every URL it fetched. Chromium may reach
nothing but loopback: names resolve to nothing and any other address goes to a closed port.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import uvicorn
from PIL import Image

from services.web.app import create_app
from shared.readmodels.documents import OrganisationRef, ProvenanceDocument
from shared.settings import NguonSettings
from tests.eventually import eventually
from tests.unit.web.fakes import InMemoryProvenanceReader

websocket = pytest.importorskip("websocket", reason="needs the websocket-client dev dependency")
zxingcpp = pytest.importorskip("zxingcpp")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
PHONE_WIDTH = 360
CODE = "TH-2026-000123"
RECALLED_CODE = "TH-2026-000124"
INCOMPLETE_CODE = "TH-2026-1000125"  # a seven-digit number, as the millionth batch has
GTIN14 = "08934563123451"
LOT = "BLV-2026-0915-A"
PHONE = "Mozilla/5.0 (Linux; Android 11; Redmi 9A) AppleWebKit/537.36 Mobile Safari/537.36"
VIETNAMESE = "vi-VN,vi;q=0.9,en-US;q=0.6,en;q=0.5"
STARTUP_SECONDS = 20.0
PAGE_LOAD_SECONDS = 20.0


def _cooperative() -> OrganisationRef:
    return {
        "id": "0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90",
        "kind": "cooperative",
        "name": "HTX Dịch vụ Nông nghiệp và Sản xuất Kinh doanh Bưởi Luận Văn Thọ Xuân",
        "address": "Xã Thọ Xuân (huyện Thọ Xuân cũ), tỉnh Thanh Hóa",
    }


def _document(
    code: str, *, recalled: bool = False, record_incomplete: bool = False
) -> ProvenanceDocument:
    """A pomelo batch with long names and codes: what would break a narrow layout."""
    ring = [[105.4701, 19.9302], [105.4738, 19.9304], [105.4741, 19.9279], [105.4703, 19.9276]]
    steps = [
        ("harvested", "2026-09-15T06:10:00+07:00", {"variety": "Bưởi Luận Văn"}),
        ("processed", "2026-09-15T13:30:00+07:00", {"step": "sorting"}),
        ("processed", "2026-09-16T08:00:00+07:00", {"step": "packing", "facility": "Xưởng"}),
        ("labelled", "2026-09-16T09:00:00+07:00", {"gtin": GTIN14, "lot": LOT}),
        ("shipped", "2026-09-17T05:45:00+07:00", {"to": "Siêu thị Nông sản sạch Hạc Thành"}),
    ]
    document: dict[str, Any] = {
        "batch_id": "2e7d9c1b-4a3f-4b6e-9d8c-7a6b5c4d3e2f",
        "code": code,
        "gtin": GTIN14 if code == CODE else None,
        "lot": LOT if code == CODE else None,
        "product": "Bưởi Luận Văn Thọ Xuân — quả tươi loại I (hộp 2 quả, tem truy xuất)",
        "commodity": "Bưởi",
        "variety": "Luận Văn",
        "quantity": None,
        "status": "recalled" if recalled else "active",
        "holder": None,
        "harvest_dates": ["2026-09-15"],
        "origin_plots": [
            {
                "id": "5b8e2f10-6a3c-4d9e-8f21-0c7b6a5d4e3f",
                "planting_area_code": "VN-THH-THOXUAN-0412-BUOILUANVAN-2026",
                "crop": "Bưởi Luận Văn",
                "area_ha": "8.05",
                "commune": "Xã Thọ Xuân",
                "cooperative": _cooperative(),
                "location": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        ],
        "cooperatives": [_cooperative()],
        "value_chains": [],
        "timeline": [
            {
                "at": at,
                "kind": kind,
                "batch_code": code,
                "organisation": _cooperative(),
                "summary": summary,
            }
            for kind, at, summary in steps
        ],
        "inspections": [],
        "certifications": [],
        "recall": {
            "recalled": recalled,
            "at": "2026-09-20T10:00:00+07:00" if recalled else None,
            "reason": "Vượt ngưỡng dư lượng thuốc bảo vệ thực vật" if recalled else None,
            "origin_batch_code": code if recalled else None,
        },
        "fingerprint": "9b2f" * 16,
        "last_position": 912,
        "record_incomplete": record_incomplete,
    }
    return cast(ProvenanceDocument, document)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The web app on a free loopback port, for as long as this module's tests run."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    reader = InMemoryProvenanceReader(
        _document(CODE),
        _document(RECALLED_CODE, recalled=True),
        _document(INCOMPLETE_CODE, record_incomplete=True),
    )
    app = create_app(NguonSettings(public_base_url=base), reader)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    eventually(lambda: server.started, within=STARTUP_SECONDS, what="uvicorn starting")
    yield base
    server.should_exit = True
    thread.join(STARTUP_SECONDS)
    listener.close()


class Tab:
    """One Chromium page, driven over the DevTools protocol."""

    def __init__(self, url: str) -> None:
        self._socket = websocket.create_connection(
            url, timeout=PAGE_LOAD_SECONDS, suppress_origin=True
        )
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
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=800,
            deviceScaleFactor=2,
            mobile=width <= PHONE_WIDTH,
        )
        self.requested.clear()
        self.call("Page.navigate", url=url)
        while self._receive().get("method") != "Page.loadEventFired":
            pass

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        self._socket.close()

    def _receive(self) -> dict[str, Any]:
        message = cast(dict[str, Any], json.loads(self._socket.recv()))
        if message.get("method") == "Network.requestWillBeSent":
            self.requested.append(message["params"]["request"]["url"])
        return message


@pytest.fixture(scope="module")
def tab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tab]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
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


def _box(tab: Tab, selector: str) -> dict[str, float]:
    return cast(
        dict[str, float],
        tab.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,"
            " width: r.width, height: r.height}; })()"
        ),
    )


def _text(tab: Tab, selector: str) -> str:
    return str(tab.evaluate(f"document.querySelector({json.dumps(selector)}).innerText"))


def _assert_visible_on_a_phone(tab: Tab, selector: str) -> None:
    box = _box(tab, selector)
    assert box["width"] > 0, selector
    assert box["height"] > 0, selector
    assert box["left"] >= 0, selector
    assert box["right"] <= PHONE_WIDTH, selector


def test_a_buyer_on_a_phone_sees_product_origin_and_journey(
    site: str, tab: Tab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tab.open(f"{site}/01/{GTIN14}/10/{LOT}")

    for selector in ["h1", "#origin .plot h3", "#origin svg", "#timeline li:last-child"]:
        _assert_visible_on_a_phone(tab, selector)
    assert "Bưởi Luận Văn Thọ Xuân" in _text(tab, "h1")
    assert "Xã Thọ Xuân" in _text(tab, "#origin")
    assert "VN-THH-THOXUAN-0412-BUOILUANVAN-2026" in _text(tab, "#origin")
    assert "Thu hoạch" in _text(tab, "#timeline")
    assert "Xuất hàng" in _text(tab, "#timeline")
    print(tab.screenshot(tmp_path_factory.mktemp("screens") / "phone.png"))


def test_the_page_does_not_scroll_sideways_on_a_phone(site: str, tab: Tab) -> None:
    for page in [
        f"/b/{CODE}",
        f"/b/{CODE}?lang=en",
        f"/b/{RECALLED_CODE}",
        f"/b/{INCOMPLETE_CODE}",
        f"/p/{GTIN14}",
        "/b/TH-2026-999999",
    ]:
        tab.open(site + page)

        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, page
        too_wide = tab.evaluate(
            "[...document.querySelectorAll('body *')]"
            f".filter(e => e.getBoundingClientRect().right > {PHONE_WIDTH} + 0.5)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert too_wide == [], page


def test_a_recalled_batch_shows_its_banner_first_on_a_phone(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{RECALLED_CODE}")

    banner = _box(tab, ".recall")
    _assert_visible_on_a_phone(tab, ".recall")
    assert banner["top"] < _box(tab, "h1")["top"]
    assert banner["top"] < 800, "the banner is on the first screen"
    colour = tab.evaluate("getComputedStyle(document.querySelector('.recall')).backgroundColor")
    assert colour == "rgb(179, 18, 15)"


def test_an_incomplete_record_shows_its_warning_first_on_a_phone(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{INCOMPLETE_CODE}")

    _assert_visible_on_a_phone(tab, ".incomplete")
    assert _box(tab, ".incomplete")["top"] < _box(tab, "h1")["top"]
    assert "Hồ sơ chưa đầy đủ" in _text(tab, ".incomplete")
    assert "Đang lưu hành" not in _text(tab, ".status")


def test_a_gtin_alone_opens_its_product_page_on_a_phone(site: str, tab: Tab) -> None:
    tab.open(f"{site}/01/{GTIN14}")

    _assert_visible_on_a_phone(tab, "#lots")
    assert CODE in _text(tab, "#lots")


def test_the_page_fetches_nothing_but_itself(site: str, tab: Tab) -> None:
    tab.open(f"{site}/b/{CODE}")

    assert tab.requested
    assert [url for url in tab.requested if not url.startswith((site, "data:"))] == []


def test_printed_labels_scan_as_the_digital_link(
    site: str, tab: Tab, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tab.open(f"{site}/b/{CODE}/labels?count=6", width=900)
    shot = tab.screenshot(tmp_path_factory.mktemp("screens") / "labels.png")

    found = [str(b.text) for b in zxingcpp.read_barcodes(Image.open(shot))]

    assert found
    assert set(found) == {f"{site}/01/{GTIN14}/10/{LOT}"}


@pytest.mark.parametrize(("count", "pages"), [(24, 1), (30, 2), (200, 9)])
def test_labels_print_24_to_each_a4_page(site: str, tab: Tab, count: int, pages: int) -> None:
    tab.open(f"{site}/b/{CODE}/labels?count={count}", width=900)

    pdf = tab.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]

    assert len(re.findall(rb"/Type\s*/Page\b", base64.b64decode(pdf))) == pages
