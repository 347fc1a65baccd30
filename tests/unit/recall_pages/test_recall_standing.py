"""Where a recall stands (``progress``) and the dashboard's recall panel, from views alone."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.province import dashboard
from services.province.app import NAV, TEMPLATES
from services.province.dashboard.recalls_panel import recall_panel
from services.province.recalls import open_first
from services.province.recalls.progress import standing
from shared.pages import Pages
from shared.readmodels.recalls import AffectedLot
from shared.settings import NguonSettings
from shared.trace.graph import Amount
from tests.unit.province.dashboard_app import STAFF_COOKIE, CookieGate, _no_database, dashboard_app
from tests.unit.province.fakes import FakeIndicators
from tests.unit.recall_pages.world import STARTED, FakeRecalls, a_recall


def test_withdrawn_and_destroyed_count_towards_the_affected_quantity() -> None:
    where = standing(a_recall(), now=STARTED + timedelta(hours=2, minutes=5))

    [kg] = where.totals
    assert (kg.affected, kg.accounted, kg.outstanding) == (Decimal(920), Decimal(500), Decimal(420))
    assert where.elapsed == timedelta(hours=2, minutes=5)


def test_a_report_in_another_unit_leaves_the_lot_outstanding() -> None:
    recall = a_recall()
    mill = recall.holders[1]
    lot = AffectedLot("b-2", "TH-2026-000002", "Gạo", Amount(Decimal(500), "kg"),
                      Amount(Decimal(50), "bundle"), None, None)  # fmt: skip
    changed = recall.__class__(**{**recall.__dict__, "holders": (mill.__class__(
        **{**mill.__dict__, "lots": (lot,)}),)})  # fmt: skip

    [outstanding] = standing(changed, now=STARTED).gaps.unaccounted

    assert outstanding.outstanding == Decimal(500)


def test_a_lot_whose_quantity_is_not_published_is_a_gap_of_its_own() -> None:
    recall = a_recall()
    shop = recall.holders[2]
    hidden = AffectedLot("b-3", "TH-2026-000003", "Gạo", None, None, None, None)
    changed = recall.__class__(**{**recall.__dict__, "holders": (shop.__class__(
        **{**shop.__dict__, "lots": (hidden,)}),)})  # fmt: skip

    where = standing(changed, now=STARTED)

    assert [s.lot.code for s in where.gaps.unknown_quantity] == ["TH-2026-000003"]
    assert where.totals == ()


def test_open_recalls_come_first_newest_first() -> None:
    older = a_recall(batch_code="A", opened_at=STARTED - timedelta(days=3))
    newer = a_recall(batch_code="B")
    closed = a_recall(batch_code="C", state="closed", opened_at=STARTED + timedelta(days=1))

    assert [v.batch_code for v in open_first([closed, older, newer])] == ["B", "A", "C"]


def test_the_panel_counts_recalls_and_drills_of_the_year_apart() -> None:
    reader = FakeRecalls(
        a_recall(),
        a_recall(state="closed"),
        a_recall(opened_at=STARTED.replace(year=2025)),  # last year's, still open
        a_recall(drill=True, time_to_trace_ms=800),
        a_recall(drill=True, time_to_trace_ms=1200),
        a_recall(drill=True, time_to_trace_ms=3000),
    )

    panel = recall_panel(reader, date(2026, 12, 2))

    assert (panel.recalls_this_year, panel.open_now, panel.drills_this_year) == (2, 2, 3)
    assert panel.drill_median_ms == 1200


def test_the_panel_has_no_median_without_a_timed_drill() -> None:
    assert recall_panel(FakeRecalls(a_recall()), date(2026, 12, 2)).drill_median_ms is None


def test_the_dashboard_overview_shows_the_recall_panel_when_it_has_a_recall_reader() -> None:
    reader = FakeRecalls(a_recall(), a_recall(drill=True, time_to_trace_ms=1500))
    app = FastAPI()
    app.state.gate = CookieGate()
    pages = Pages(TEMPLATES, nav=NAV)
    app.include_router(
        dashboard.router(NguonSettings(), _no_database, pages, FakeIndicators(), recalls=reader)
    )

    page = TestClient(app).get("/province/dashboard?lang=en", cookies=STAFF_COOKIE)

    assert page.status_code == 200
    panel = page.text[page.text.index('id="ind-recalls"') :]
    assert "Recalls in 2026" in panel
    assert "1,500 ms" in panel  # the one drill's time-to-trace is the median


def test_the_dashboard_overview_has_no_recall_panel_without_a_recall_reader() -> None:
    page = TestClient(dashboard_app(FakeIndicators())).get(
        "/province/dashboard", cookies=STAFF_COOKIE
    )

    assert 'id="ind-recalls"' not in page.text
