"""Recall pages in a real Chromium: the province's list, a recall's page, its report and the
run-a-recall form with a refusal; a holder's inbox, notice and per-lot report in the app.

The pages run under uvicorn over hand-built recalls (``tests/unit/recall_pages/world.py``) with
the test gate that knows a person by a cookie. At 1280 and 360 px the page must not scroll
sideways, and axe-core must find no serious violation. Screenshots go to ``NGUON_SCREENSHOTS``
(the README's come from here).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser import DESKTOP_WIDTH, PHONE_WIDTH, Tab, chromium, serving
from tests.registry_world import HeaderGate
from tests.unit.recall_pages.world import (
    SHOP,
    FakeNoticeDesk,
    FakeRecallDesk,
    FakeRecalls,
    FakeTracer,
    a_recall,
    app_notices,
    province_recalls,
)

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("NGUON_SCREENSHOTS", "/tmp/nguon-recall-shots"))


def _as(tab: Tab, base: str, who: str) -> None:
    tab.call("Network.setCookie", name=HeaderGate.COOKIE, value=who, url=base)


def _looked_at(tab: Tab, url: str, name: str) -> None:
    for width in (DESKTOP_WIDTH, PHONE_WIDTH):
        tab.open(url, width)
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(SHOTS / f"{name}-{width}.png")
        assert tab.scroll_width() <= width, f"{name} scrolls sideways at {width} px"
        assert tab.axe_violations() == [], name


def test_an_officer_follows_a_recall_from_the_list_to_its_report_in_a_browser() -> None:
    recall = a_recall()
    drill = a_recall(drill=True, batch_code="TH-2026-000050", state="closed")
    desk = FakeRecallDesk()
    app = province_recalls(FakeRecalls(recall, drill), desk, FakeTracer())
    with serving(app) as base, chromium() as tab:
        _as(tab, base, "province")
        _looked_at(tab, f"{base}/province/recalls", "recall-list")
        assert "TH-2026-000001" in tab.text("main")
        _looked_at(tab, f"{base}/province/recalls/{recall.recall_id}", "recall-page")
        assert "Cửa hàng Sao Mai" in tab.text("main")
        _looked_at(tab, f"{base}/province/recalls/{recall.recall_id}/report", "recall-report")
        assert "Lô không có đơn vị giữ: TH-2026-000004" in tab.text("main")
        _looked_at(tab, f"{base}/province/recalls/{drill.recall_id}/report?lang=en", "recall-drill")
        assert "Recall drill report" in tab.text("h1")

        # The form, as a person fills it: no reason, so the refusal is at the reason.
        tab.open(f"{base}/province/recalls/new", PHONE_WIDTH)
        tab.submit("form[data-command=run_recall]", {"batch": "TH-2026-000001", "reason": ""})
        assert "Lý do thu hồi" in tab.text("#error-reason")
        assert tab.scroll_width() <= PHONE_WIDTH
        assert tab.axe_violations() == []
        tab.screenshot(SHOTS / "recall-refused-360.png")
        assert desk.started == []
        tab.submit("form[data-command=run_recall]", {"reason": "Nhiễm aflatoxin"})
        assert desk.started == [("TH-2026-000001", "Nhiễm aflatoxin", False)]
        assert "Đã mở thu hồi lô TH-2026-000001" in tab.text("main")


def test_a_holder_opens_a_notice_and_reports_a_lot_in_a_browser() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    with serving(app_notices(FakeRecalls(recall), desk)) as base, chromium() as tab:
        _as(tab, base, f"enterprise:{SHOP}")
        _looked_at(tab, f"{base}/app/recalls", "recall-inbox")
        # Five tabs on a phone: the last one (the recalls') is on screen, not scrolled away.
        right = tab.evaluate(
            "document.querySelector('.tabs a:last-child').getBoundingClientRect().right"
        )
        assert float(right) <= PHONE_WIDTH
        assert "TH-2026-000001" in tab.text("main")
        _looked_at(tab, f"{base}/app/recalls/{recall.recall_id}", "recall-notice")
        assert "TH-2026-000002" not in tab.text("main")  # another holder's lot

        tab.open(f"{base}/app/recalls/{recall.recall_id}/lots/b-3", PHONE_WIDTH)
        tab.submit("form[data-command=report_recall_lot]", {"withdrawn": "90", "destroyed": "40"})
        assert "không thể vượt 120 kg" in tab.text("#error-withdrawn")
        assert tab.axe_violations() == []
        tab.submit("form[data-command=report_recall_lot]", {"withdrawn": "90", "destroyed": "10"})
        assert [(r.withdrawn, r.destroyed) for r in desk.reports] == [(Decimal(90), Decimal(10))]
        assert "Đã ghi nhận số lượng bạn báo." in tab.text("main")
