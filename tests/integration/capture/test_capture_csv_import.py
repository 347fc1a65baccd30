"""A cooperative office uploads a season's harvests as a CSV file exported from a spreadsheet."""

from __future__ import annotations

import httpx

from tests.integration.capture.capture_api import CaptureApi, Party, error_of

HEADER = "plot_ids,commodity,variety,quantity,unit,harvested_on,at"
AT = "2025-10-05T08:00:00+07:00"


def _upload(api: CaptureApi, text: str, by: Party, key: str | None = None) -> httpx.Response:
    headers = by.auth | {"Content-Type": "text/csv"} | ({"Idempotency-Key": key} if key else {})
    answer: httpx.Response = api.client.post(
        "/api/v1/bulk/harvests.csv", content=text.encode(), headers=headers
    )
    return answer


def _rows(api: CaptureApi, *quantities: str) -> str:
    plot = api.cooperative.plot
    lines = [f"{plot},rice,Nếp cái hoa vàng,{q},kg,2025-10-05,{AT}" for q in quantities]
    return "\n".join([HEADER, *lines]) + "\n"


def test_every_row_becomes_a_harvested_batch(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = _upload(api, _rows(api, "1200", "850.5", "990"), api.cooperative)

    assert answer.status_code == 200, answer.text
    codes = [r["code"] for r in answer.json()["results"]]
    assert len(set(codes)) == 3
    assert api.events_stored() == stored + 3
    assert api.get(f"/batches/{codes[1]}", api.cooperative).json()["quantity"]["amount"] == "850.5"


def test_a_semicolon_separated_file_with_a_byte_order_mark_and_blank_lines_is_read(
    api: CaptureApi,
) -> None:
    plot = api.cooperative.plot
    text = (
        "\ufeffplot_ids;commodity;quantity;unit;harvested_on\n"
        f"{plot};rice;1000;kg;2025-10-05\n"
        "\n"
        f"{plot} {api.cooperative.plot};rice;500;kg;2025-10-05\n"
    )

    answer = _upload(api, text, api.cooperative)

    assert answer.status_code == 200, answer.text
    assert len(answer.json()["results"]) == 2


def test_a_malformed_row_is_named_and_nothing_is_stored(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = _upload(api, _rows(api, "1200", "850", "-3", "990"), api.cooperative)

    assert answer.status_code == 422
    error = error_of(answer)
    assert error["row"] == 4
    assert error["index"] == 2
    assert error["field"] == "quantity"
    assert "Row 4" in error["hint"]
    assert api.events_stored() == stored


def test_a_row_the_records_refuse_is_named_and_nothing_is_stored(api: CaptureApi) -> None:
    text = _rows(api, "1200") + (f"{api.other_cooperative.plot},rice,,900,kg,2025-10-05,{AT}\n")
    stored = api.events_stored()

    answer = _upload(api, text, api.cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["row"] == 3
    assert error_of(answer)["code"] == "plot_not_owned"
    assert api.events_stored() == stored


def test_an_unknown_column_is_named(api: CaptureApi) -> None:
    text = _rows(api, "1").replace("variety", "giống")

    answer = _upload(api, text, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "giống"


def test_a_missing_column_is_named(api: CaptureApi) -> None:
    text = "plot_ids,commodity,quantity,harvested_on\nx,rice,1,2025-10-05\n"

    answer = _upload(api, text, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "unit"


def test_a_file_without_rows_is_refused(api: CaptureApi) -> None:
    assert _upload(api, HEADER + "\n", api.cooperative).status_code == 422


def test_a_file_that_is_not_utf8_is_refused(api: CaptureApi) -> None:
    headers = api.cooperative.auth | {"Content-Type": "text/csv"}
    content = (HEADER + "\nx,gạo,1,kg,2025-10-05,\n").encode("utf-16")  # Excel "Unicode text"

    answer = api.client.post("/api/v1/bulk/harvests.csv", content=content, headers=headers)

    assert answer.status_code == 422
    assert "UTF-8" in error_of(answer)["message"]


def test_a_retried_upload_stores_nothing_twice(api: CaptureApi) -> None:
    text = _rows(api, "700", "800")
    first = _upload(api, text, api.cooperative, key="export-2025-10-05.csv")
    stored = api.events_stored()

    again = _upload(api, text, api.cooperative, key="export-2025-10-05.csv")

    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.events_stored() == stored
