"""The province's recall pages over HTTP, against hand-built recalls: the list (open first,
drills marked), the forms (refusals at their field, nothing stored), a recall's page, its
report and the report's workbook read back."""

from __future__ import annotations

import io
from uuid import UUID

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from shared.domain.errors import DomainError
from shared.i18n.translator import Translator
from shared.trace.graph import TraceGraph
from tests.registry_world import HeaderGate
from tests.unit.recall_pages.world import (
    STARTED,
    FakeRecallDesk,
    FakeRecalls,
    FakeTracer,
    a_recall,
    province_recalls,
)

STAFF = {HeaderGate.HEADER: "province"}
CSRF = "csrf-province"


def client_for(
    reader: FakeRecalls, desk: FakeRecallDesk | None = None, *, traced: bool = False
) -> TestClient:
    app = province_recalls(reader, desk or FakeRecallDesk(), FakeTracer() if traced else None)
    return TestClient(app, follow_redirects=False)


def test_the_list_shows_open_recalls_first_and_marks_drills() -> None:
    closed = a_recall(state="closed", batch_code="TH-2026-000090")
    drill = a_recall(drill=True, batch_code="TH-2026-000091")
    open_one = a_recall(batch_code="TH-2026-000092", opened_at=STARTED.replace(day=1))

    page = client_for(FakeRecalls(closed, drill, open_one)).get("/province/recalls", headers=STAFF)

    assert page.status_code == 200
    text = page.text
    assert (
        text.index("TH-2026-000091") < text.index("TH-2026-000092") < text.index("TH-2026-000090")
    )
    assert "Diễn tập" in text
    assert "Đang mở" in text
    assert "Đã đóng" in text


def test_someone_not_of_the_province_cannot_see_the_recalls() -> None:
    client = client_for(FakeRecalls(a_recall()))

    assert client.get("/province/recalls").status_code == 303  # off to sign in
    forbidden = client.get("/province/recalls", headers={HeaderGate.HEADER: "cooperative"})
    assert forbidden.status_code == 403


def test_running_a_recall_asks_the_desk_once_with_the_batch_and_reason() -> None:
    desk = FakeRecallDesk()
    client = client_for(FakeRecalls(), desk)

    form = client.get("/province/recalls/new", headers=STAFF)
    posted = client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "batch": "TH-2026-000001", "reason": "Nhiễm mốc"},
    )

    assert form.status_code == 200
    assert 'data-command="run_recall"' in form.text
    assert posted.status_code == 303
    assert posted.headers["location"].startswith("/province/recalls?after=7")
    assert desk.started == [("TH-2026-000001", "Nhiễm mốc", False)]


def test_running_a_drill_by_gtin_and_lot_is_marked_a_drill() -> None:
    desk = FakeRecallDesk()
    client = client_for(FakeRecalls(), desk)

    form = client.get("/province/recalls/new?drill=1", headers=STAFF)
    client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "1", "gtin": "08936000000017", "lot": "L01",
              "reason": "Diễn tập quý IV"},
    )  # fmt: skip

    assert 'data-command="run_drill"' in form.text
    assert desk.started == [("08936000000017/L01", "Diễn tập quý IV", True)]


def test_a_recall_without_a_reason_is_refused_at_the_reason_and_nothing_is_asked() -> None:
    desk = FakeRecallDesk()
    posted = client_for(FakeRecalls(), desk).post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "batch": "TH-2026-000001", "reason": " "},
    )

    assert posted.status_code == 422
    assert 'id="error-reason"' in posted.text
    assert 'value="TH-2026-000001"' in posted.text  # what was typed is kept
    assert desk.started == []


def test_a_recall_naming_no_batch_is_refused_at_the_batch() -> None:
    posted = client_for(FakeRecalls()).post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "reason": "Nhiễm mốc"},
    )

    assert posted.status_code == 422
    assert 'id="error-batch"' in posted.text
    assert "Hãy điền mã lô, hoặc GTIN và số lô." in posted.text


def test_a_refusal_of_the_records_is_shown_at_its_field_in_english_too() -> None:
    refusal = DomainError(
        "no batch has this GTIN and lot",
        code="recall_gtin_lot_unknown",
        params={"field": "gtin", "gtin": "08936000000017", "lot": "X"},
    )
    posted = client_for(FakeRecalls(), FakeRecallDesk(refusal=refusal)).post(
        "/province/recalls/new?lang=en",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "gtin": "08936000000017", "lot": "X",
              "reason": "Mould"},
    )  # fmt: skip

    assert posted.status_code == 422
    assert 'id="error-gtin"' in posted.text
    assert "No batch has GTIN 08936000000017 and lot X." in posted.text


def test_a_form_posted_without_the_persons_token_is_refused() -> None:
    desk = FakeRecallDesk()
    posted = client_for(FakeRecalls(), desk).post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": "forged", "drill": "0", "batch": "TH-2026-000001", "reason": "x"},
    )

    assert posted.status_code == 403
    assert desk.started == []


def test_a_recalls_page_shows_holders_times_and_what_is_outstanding() -> None:
    recall = a_recall()

    page = client_for(FakeRecalls(recall)).get(
        f"/province/recalls/{recall.recall_id}", headers=STAFF
    )

    assert page.status_code == 200
    text = page.text
    for holder in ("HTX Xuân Lập", "Nhà máy xay Thọ Xuân", "Cửa hàng Sao Mai"):
        assert holder in text
    assert "<svg" in text
    assert "recall-progress" in text
    # 500 of 920 kg withdrawn or destroyed: the bar says 54,3 %.
    assert "54,3" in text
    assert "3 lô ở 3 đơn vị" in text
    assert f"/province/recalls/{recall.recall_id}/lift" in text


def test_an_unknown_recall_is_not_found() -> None:
    client = client_for(FakeRecalls(a_recall()))

    assert client.get("/province/recalls/not-a-uuid", headers=STAFF).status_code == 404
    missing = f"/province/recalls/{UUID(int=5)}/report"
    assert client.get(missing, headers=STAFF).status_code == 404


def test_lifting_needs_a_reason_and_then_asks_the_desk() -> None:
    recall = a_recall()
    desk = FakeRecallDesk()
    client = client_for(FakeRecalls(recall), desk)
    path = f"/province/recalls/{recall.recall_id}/lift"

    refused = client.post(path, headers=STAFF, data={"csrf_token": CSRF, "reason": ""})
    lifted = client.post(path, headers=STAFF, data={"csrf_token": CSRF, "reason": "Kiểm lại đạt"})

    assert refused.status_code == 422
    assert 'id="error-reason"' in refused.text
    assert lifted.status_code == 303
    assert desk.lifted == [(UUID(recall.recall_id), "Kiểm lại đạt")]


def test_a_closed_recall_cannot_be_lifted() -> None:
    recall = a_recall(state="closed")
    desk = FakeRecallDesk()
    posted = client_for(FakeRecalls(recall), desk).post(
        f"/province/recalls/{recall.recall_id}/lift",
        headers=STAFF,
        data={"csrf_token": CSRF, "reason": "Nhầm"},
    )

    assert posted.status_code == 422
    assert "Đợt thu hồi này không còn mở." in posted.text
    assert desk.lifted == []


def test_the_report_shows_the_traces_balance_and_every_gap() -> None:
    recall = a_recall()

    page = client_for(FakeRecalls(recall), traced=True).get(
        f"/province/recalls/{recall.recall_id}/report?lang=en", headers=STAFF
    )

    assert page.status_code == 200
    text = page.text
    for heading in ("Scenario", "Trace back", "Trace forward", "Mass balance", "Holds",
                    "Notifications", "Gaps found"):  # fmt: skip
        assert heading in text
    assert "Not acknowledged: HTX Xuân Lập" in text
    assert "Not acknowledged: Cửa hàng Sao Mai" in text
    assert "Quantity unaccounted: Cửa hàng Sao Mai · TH-2026-000003: 120 kg" in text
    assert "Lot without holder: TH-2026-000004" in text
    assert "54.5 %" in text  # the balance's share recovered


def test_a_drills_report_says_it_is_a_drill_with_its_time_to_trace() -> None:
    drill = a_recall(drill=True)

    page = client_for(FakeRecalls(drill)).get(
        f"/province/recalls/{drill.recall_id}/report", headers=STAFF
    )

    assert "Báo cáo diễn tập thu hồi" in page.text
    assert "840 ms" in page.text
    assert "Chưa có dữ liệu truy xuất cho báo cáo này." in page.text  # no tracer given


def test_the_report_workbook_holds_the_same_facts_as_the_page() -> None:
    recall = a_recall()

    got = client_for(FakeRecalls(recall), traced=True).get(
        f"/province/recalls/{recall.recall_id}/report.xlsx?lang=en", headers=STAFF
    )

    assert got.status_code == 200
    assert got.headers["content-disposition"] == 'attachment; filename="recall-TH-2026-000001.xlsx"'
    book = load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == [
        "Scenario", "Notifications", "Holds", "Mass balance", "Trace back", "Trace forward",
        "Gaps found",
    ]  # fmt: skip
    holds = [[c.value for c in row] for row in book["Holds"].iter_rows(min_row=5)]
    assert holds[0][:3] == ["Holder", "Lot", "Product"]
    by_lot = {row[1]: row for row in holds[1:]}
    assert by_lot["TH-2026-000002"][4:9] == [500, 200, 300, None, 0]
    assert by_lot["TH-2026-000003"][4:9] == [120, None, None, 20, 120]
    gaps = [[c.value for c in row] for row in book["Gaps found"].iter_rows(min_row=6)]
    assert ["Lot without holder", "TH-2026-000004"] in gaps
    assert ["Not acknowledged", "Cửa hàng Sao Mai"] in gaps
    scenario = {r[0].value: r[1].value for r in book["Scenario"].iter_rows(min_row=6)}
    assert scenario["Kind"] == "Recall"
    assert scenario["Started"] == "2026-11-30 08:00 UTC"
    assert scenario["Outstanding"] == "420 kg"


def test_the_report_draws_each_trace_with_the_picture_it_is_given() -> None:
    recall = a_recall()
    drawn: list[tuple[str, str]] = []

    def picture(graph: TraceGraph, t: Translator) -> str:
        drawn.append((graph.direction.value, t.lang))
        return f'<svg id="trace-{graph.direction.value}"></svg>'

    app = province_recalls(FakeRecalls(recall), FakeRecallDesk(), FakeTracer(), picture)
    page = TestClient(app).get(f"/province/recalls/{recall.recall_id}/report", headers=STAFF)

    assert drawn == [("back", "vi"), ("forward", "vi")]
    assert '<figure class="trace"><svg id="trace-forward"></svg></figure>' in page.text
