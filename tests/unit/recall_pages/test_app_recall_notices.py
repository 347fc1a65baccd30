"""The cooperative app's recall inbox over HTTP, against hand-built recalls: each holder sees
its own part only, opening a notice is recorded once, acknowledging and reporting per lot ask the
desk, and a refused report is shown at its field with nothing asked."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from shared.domain.errors import DomainError
from tests.registry_world import HeaderGate
from tests.unit.recall_pages.world import (
    COOPERATIVE,
    MILL,
    SHOP,
    STRANGER,
    FakeNoticeDesk,
    FakeRecalls,
    a_recall,
    app_notices,
)


def as_org(organisation: UUID, role: str = "cooperative") -> dict[str, str]:
    return {HeaderGate.HEADER: f"{role}:{organisation}"}


def csrf(role: str = "cooperative") -> dict[str, str]:
    return {"csrf_token": f"csrf-{role}"}


def test_the_inbox_counts_open_notices_and_lists_them_first() -> None:
    closed = a_recall(state="closed", batch_code="TH-2026-000080")
    open_one = a_recall(batch_code="TH-2026-000081")
    client = TestClient(app_notices(FakeRecalls(closed, open_one), FakeNoticeDesk()))

    page = client.get("/app/recalls", headers=as_org(SHOP, "enterprise"))

    assert page.status_code == 200
    assert 'aria-label="1 thông báo đang mở"' in page.text
    assert page.text.index("TH-2026-000081") < page.text.index("TH-2026-000080")


def test_a_holder_sees_only_its_own_lots_of_a_recall() -> None:
    recall = a_recall()
    client = TestClient(app_notices(FakeRecalls(recall), FakeNoticeDesk()))

    page = client.get(f"/app/recalls/{recall.recall_id}", headers=as_org(SHOP, "enterprise"))

    assert page.status_code == 200
    assert "TH-2026-000003" in page.text
    assert "TH-2026-000002" not in page.text
    assert "Nhà máy xay Thọ Xuân" not in page.text
    assert "Ngừng bán và ngừng gửi" in page.text  # the notice says what to do


def test_the_initiator_sees_every_holder_and_their_quantities() -> None:
    recall = a_recall()
    client = TestClient(app_notices(FakeRecalls(recall), FakeNoticeDesk()))

    page = client.get(f"/app/recalls/{recall.recall_id}", headers=as_org(COOPERATIVE))

    for shown in ("Nhà máy xay Thọ Xuân", "Cửa hàng Sao Mai", "TH-2026-000002", "120 kg"):
        assert shown in page.text


def test_a_recall_that_does_not_reach_an_organisation_is_not_found_for_it() -> None:
    recall = a_recall()
    client = TestClient(app_notices(FakeRecalls(recall), FakeNoticeDesk()))

    page = client.get(f"/app/recalls/{recall.recall_id}", headers=as_org(STRANGER))

    assert page.status_code == 404


def test_opening_a_notice_is_recorded_once_for_the_holder_that_had_not_opened_it() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    client = TestClient(app_notices(FakeRecalls(recall), desk))

    client.get(f"/app/recalls/{recall.recall_id}", headers=as_org(SHOP, "enterprise"))
    client.get(f"/app/recalls/{recall.recall_id}", headers=as_org(MILL, "enterprise"))

    # The shop had not opened it; the mill had (its opened_at is set): only the shop's counts.
    assert desk.opened_by == [(SHOP, UUID(recall.recall_id))]


def test_acknowledging_asks_the_desk_and_says_it_is_recorded() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    client = TestClient(app_notices(FakeRecalls(recall), desk), follow_redirects=False)

    posted = client.post(
        f"/app/recalls/{recall.recall_id}/acknowledge",
        headers=as_org(SHOP, "enterprise"),
        data=csrf("enterprise"),
    )

    assert posted.status_code == 303
    assert desk.acknowledged_by == [(SHOP, UUID(recall.recall_id))]
    shown = client.get(posted.headers["location"], headers=as_org(SHOP, "enterprise"))
    assert "Đã ghi nhận xác nhận của bạn." in shown.text


def test_a_refused_acknowledgement_is_shown_on_the_notice() -> None:
    recall = a_recall()
    refusal = DomainError("recall is closed", code="recall_lift_unavailable")
    client = TestClient(app_notices(FakeRecalls(recall), FakeNoticeDesk(refusal=refusal)))

    posted = client.post(
        f"/app/recalls/{recall.recall_id}/acknowledge",
        headers=as_org(SHOP, "enterprise"),
        data=csrf("enterprise"),
    )

    assert posted.status_code == 422
    assert "error-summary" in posted.text


def test_reporting_a_lot_sends_what_was_withdrawn_and_destroyed_in_its_unit() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    client = TestClient(app_notices(FakeRecalls(recall), desk), follow_redirects=False)
    path = f"/app/recalls/{recall.recall_id}/lots/b-3"

    form = client.get(path, headers=as_org(SHOP, "enterprise"))
    posted = client.post(
        path,
        headers=as_org(SHOP, "enterprise"),
        data={**csrf("enterprise"), "withdrawn": "100,5", "destroyed": ""},
    )

    assert 'data-command="report_recall_lot"' in form.text
    assert posted.status_code == 303
    [report] = desk.reports
    assert (report.batch_id, report.unit, str(report.withdrawn), report.destroyed) == (
        "b-3", "kg", "100.5", None,
    )  # fmt: skip


def test_a_report_of_more_than_was_affected_is_refused_at_withdrawn_and_nothing_is_sent() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    client = TestClient(app_notices(FakeRecalls(recall), desk))

    posted = client.post(
        f"/app/recalls/{recall.recall_id}/lots/b-3",
        headers=as_org(SHOP, "enterprise"),
        data={**csrf("enterprise"), "withdrawn": "100", "destroyed": "30"},
    )

    assert posted.status_code == 422
    assert 'id="error-withdrawn"' in posted.text
    assert "không thể vượt 120 kg" in posted.text
    assert 'value="30"' in posted.text
    assert desk.reports == []


def test_a_report_that_is_not_a_number_is_refused_at_its_field() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    posted = TestClient(app_notices(FakeRecalls(recall), desk)).post(
        f"/app/recalls/{recall.recall_id}/lots/b-3?lang=en",
        headers=as_org(SHOP, "enterprise"),
        data={**csrf("enterprise"), "withdrawn": "", "destroyed": "ba mươi"},
    )

    assert posted.status_code == 422
    assert 'id="error-destroyed"' in posted.text
    assert "Destroyed must be a number of 0 or more" in posted.text
    assert desk.reports == []


def test_a_holder_cannot_report_on_a_lot_another_holds() -> None:
    recall = a_recall()
    desk = FakeNoticeDesk()
    client = TestClient(app_notices(FakeRecalls(recall), desk))

    posted = client.post(
        f"/app/recalls/{recall.recall_id}/lots/b-2",
        headers=as_org(SHOP, "enterprise"),
        data={**csrf("enterprise"), "withdrawn": "1"},
    )

    assert posted.status_code == 404
    assert desk.reports == []


def test_a_notice_is_shown_even_when_its_opening_cannot_be_recorded() -> None:
    recall = a_recall()
    refusal = DomainError("recall is closed", code="recall_lift_unavailable")
    client = TestClient(app_notices(FakeRecalls(recall), FakeNoticeDesk(refusal=refusal)))

    page = client.get(f"/app/recalls/{recall.recall_id}", headers=as_org(SHOP, "enterprise"))

    assert page.status_code == 200
    assert "TH-2026-000003" in page.text
