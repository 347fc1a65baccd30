"""The app's CSV import over a real database: a template to download, a preview with
row-numbered refusals that stores nothing, then one atomic import of the good rows under an
idempotency key, so a second tap of the same confirmation stores nothing twice."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from services.cooperative_app.imports.rows import MAX_ROWS
from shared.readmodels.projections import Projections
from shared.records.application import Records
from shared.records.results import PlotResult
from tests.builders import a_plot_command
from tests.integration.cooperative_app.changes_world import (
    CSRF,
    Holder,
)
from tests.registry_world import project

HEADER = "thửa đất;sản phẩm;giống;số lượng;đơn vị;ngày thu hoạch\n"


def _upload(client: TestClient, holder: Holder, text: str, kind: str = "harvests") -> str:
    answer = client.post(
        "/app/import/preview",
        headers=holder.person,
        data={**CSRF, "kind": kind},
        files={"file": ("thu-hoach.csv", text.encode(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    page: str = answer.text
    return page


def _confirmation(page: str) -> dict[str, str]:
    key = re.search(r'name="key" value="([^"]+)"', page)
    csv = re.search(r'<textarea name="csv"[^>]*>(.*?)</textarea>', page, re.S)
    assert key is not None
    assert csv is not None
    text = html.unescape(csv.group(1))
    return {**CSRF, "kind": "harvests", "key": key.group(1), "csv": text}


def test_the_harvest_template_has_vietnamese_headers(client: TestClient, holder: Holder) -> None:
    answer = client.get("/app/import/template/harvests.csv", headers=holder.person)
    assert answer.status_code == 200
    assert answer.content.startswith("\ufeff".encode())
    assert answer.content.decode("utf-8-sig").startswith("thửa đất,sản phẩm,giống,số lượng")


def test_the_preview_numbers_each_refused_row_and_stores_nothing(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    text = (
        HEADER
        + f"{holder.plot_id};lúa;Bắc thơm 7;1.250,5;kg;05/10/2025\n"
        + f"{holder.plot_id};lúa;;nhiều;kg;05/10/2025\n"
        + "VT-KHONG-CO;lúa;;300;kg;05/10/2025\n"
        + f"{holder.plot_id};lúa;;300;kg;05/10/2199\n"
    )
    page = _upload(client, holder, text)
    assert "1 trên 4 dòng có thể nhập." in page
    assert "Dòng 3: cột «số lượng»: cần một số" in page
    assert "Dòng 4: cột «thửa đất»: không có thửa đất «VT-KHONG-CO»" in page
    assert "Dòng 5:" in page  # a harvest in the future: the domain's refusal
    assert "Nhập 1 dòng hợp lệ" in page
    assert records.position() == before


def test_confirming_imports_the_good_rows_once_however_often_it_is_sent(
    client: TestClient, records: Records, holder: Holder
) -> None:
    text = (
        HEADER
        + f"{holder.plot_id};lúa;Bắc thơm 7;1.250,5;kg;05/10/2025\n"
        + f"{holder.plot_id};lúa;;800;kg;06/10/2025\n"
        + f"{holder.plot_id};lúa;;-3;kg;06/10/2025\n"
    )
    confirmation = _confirmation(_upload(client, holder, text))
    before = records.position()
    first = client.post("/app/import/confirm", headers=holder.person, data=confirmation)
    assert first.status_code == 303, first.text
    assert records.position() - before == 2
    again = client.post("/app/import/confirm", headers=holder.person, data=confirmation)
    assert again.status_code == 303
    assert records.position() - before == 2  # the same key: the first answer, nothing new
    done = client.get(first.headers["location"], headers=holder.person)
    assert "Đã lưu 2 lần thu hoạch." in done.text


def test_english_headers_and_planting_area_codes_are_accepted(
    client: TestClient, records: Records, projections: Projections, holder: Holder
) -> None:
    plot = records.execute(
        holder.actor, [a_plot_command(holder.cooperative_id, planting_area_code="VT-TH-0042")]
    ).result(PlotResult)
    project(records, projections)
    text = "plot_ids,commodity,quantity,unit,harvested_on\nVT-TH-0042,rice,900,kg,2025-10-05\n"
    page = _upload(client, holder, text)
    assert "1 trên 1 dòng có thể nhập." in page
    assert plot.plot_id


def test_a_diary_file_in_vietnamese_words_is_previewed(
    client: TestClient, records: Records, holder: Holder
) -> None:
    text = (
        "thửa đất,công việc,ngày,sản phẩm,hoạt chất,liều lượng,thời gian cách ly\n"
        f"{holder.plot_id},phun thuốc,20/09/2025,Regent 800WG,Fipronil,1 gói / bình,14\n"
        f"{holder.plot_id},phun thuốc,21/09/2025,Regent 800WG,,1 gói / bình,14\n"
    )
    page = _upload(client, holder, text, kind="diary")
    assert "1 trên 2 dòng có thể nhập." in page
    assert "Dòng 3:" in page


def test_a_file_with_too_many_rows_is_refused_with_its_limit(
    client: TestClient, records: Records, holder: Holder
) -> None:
    row = f"{holder.plot_id};lúa;;1;kg;05/10/2025\n"
    answer = client.post(
        "/app/import/preview",
        headers=holder.person,
        data={**CSRF, "kind": "harvests"},
        files={"file": ("big.csv", (HEADER + row * (MAX_ROWS + 1)).encode(), "text/csv")},
    )
    assert answer.status_code == 422
    assert f"hơn {MAX_ROWS} dòng" in answer.text


def test_a_file_not_in_utf8_is_refused_saying_how_to_save_it(
    client: TestClient, holder: Holder
) -> None:
    answer = client.post(
        "/app/import/preview",
        headers=holder.person,
        data={**CSRF, "kind": "harvests"},
        files={"file": ("x.csv", HEADER.encode("utf-16"), "text/csv")},
    )
    assert answer.status_code == 422
    assert "CSV UTF-8" in answer.text


def test_an_import_without_the_csrf_token_is_refused(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    answer = client.post(
        "/app/import/confirm",
        headers=holder.person,
        data={"kind": "harvests", "key": "k1", "csv": HEADER},
    )
    assert answer.status_code == 403
    assert records.position() == before
