"""The app's lot-change forms over a real database: each success stores its events once and
confirms; each refusal is shown at its field in Vietnamese with nothing stored; a form posted
without the person's CSRF token, or about another organisation's batch, changes nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shared.domain.identifiers import batch_id, gtin14
from shared.records import commands as c
from shared.records.application import Records
from tests.builders import a_gtin
from tests.integration.cooperative_app.changes_world import (
    CSRF,
    Holder,
    another_cooperative,
)


def _split(batch: str, taken: str, outputs: tuple[str, str]) -> dict[str, str]:
    return {
        **CSRF,
        "step": "splitting",
        "inputs.0.batch": batch,
        "inputs.0.quantity.amount": taken,
        "inputs.0.quantity.unit": "kg",
        "outputs.0.commodity": "rice",
        "outputs.0.quantity.amount": outputs[0],
        "outputs.0.quantity.unit": "kg",
        "outputs.1.commodity": "rice",
        "outputs.1.quantity.amount": outputs[1],
        "outputs.1.quantity.unit": "kg",
    }


def test_the_transformation_form_offers_the_batches_i_hold_with_a_live_balance(
    client: TestClient, holder: Holder
) -> None:
    page = client.get("/app/record/transform", headers=holder.person)
    assert page.status_code == 200
    assert f'<option value="{holder.batch}" data-amount="1000' in page.text
    assert 'data-command="transform"' in page.text
    assert "/app/static/changes/balance.js" in page.text
    script = client.get("/app/static/changes/balance.js")
    assert script.status_code == 200


def test_splitting_a_batch_stores_it_once_and_confirms_the_new_batches(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/transform",
        headers=holder.person,
        data=_split(holder.batch, "1000", ("600", "400")),
    )
    assert answer.status_code == 303, answer.text
    assert records.position() - before == 3  # the input given, two outputs produced
    done = client.get(answer.headers["location"], headers=holder.person)
    assert "Đã ghi chia, gộp, đóng gói" in done.text
    assert done.text.count('href="/app/lots/TH-') == 2


def test_outputs_more_than_the_inputs_are_refused_at_the_outputs_and_store_nothing(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/transform",
        headers=holder.person,
        data=_split(holder.batch, "500", ("400", "300")),
    )
    assert answer.status_code == 422
    assert 'id="error-outputs.0.quantity.amount"' in answer.text
    assert "nhiều hơn" in answer.text
    assert 'value="300"' in answer.text  # what was typed is kept
    assert records.position() == before


def test_an_inspection_stores_one_event(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    data = {
        **CSRF,
        "batch": holder.batch,
        "lab": "Trung tâm Kiểm nghiệm Thanh Hóa",
        "result": "pass",
    }
    data["parameters.moisture"] = "13,5%"
    answer = client.post("/app/record/inspect", headers=holder.person, data=data)
    assert answer.status_code == 303, answer.text
    assert records.position() - before == 1
    inspected = records.batch(batch_id(holder.batch))
    assert inspected.version == 2


def test_an_inspection_without_its_lab_is_refused_at_the_lab_in_vietnamese(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    data = {**CSRF, "batch": holder.batch, "lab": "", "result": "pass"}
    answer = client.post("/app/record/inspect", headers=holder.person, data=data)
    assert answer.status_code == 422
    assert 'id="error-lab"' in answer.text
    assert answer.headers["content-language"] == "vi"
    assert records.position() == before


def test_a_form_posted_without_the_csrf_token_is_refused_and_stores_nothing(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    data = {"batch": holder.batch, "lab": "Lab", "result": "pass"}
    answer = client.post("/app/record/inspect", headers=holder.person, data=data)
    assert answer.status_code == 403
    assert records.position() == before


def test_another_organisations_batch_is_refused_at_the_batch_and_nothing_is_stored(
    client: TestClient, records: Records, holder: Holder
) -> None:
    outsider = another_cooperative(records)
    before = records.position()
    answer = client.post("/app/record/sell", headers=outsider, data={**CSRF, "batch": holder.batch})
    assert answer.status_code == 422
    assert 'id="error-batch"' in answer.text
    assert "Chỉ đơn vị đang giữ lô hàng" in answer.text
    assert records.position() == before


def test_labelling_offers_my_gtins_and_links_to_printing(
    client: TestClient, records: Records, holder: Holder
) -> None:
    gtin = a_gtin()
    records.execute(
        holder.actor, [c.RegisterGtin(organisation_id=holder.cooperative_id, gtin=gtin)]
    )
    page = client.get(f"/app/record/label?batch={holder.batch}", headers=holder.person)
    assert f'<option value="{gtin14(gtin)}"' in page.text
    before = records.position()
    data = {
        **CSRF,
        "batch": holder.batch,
        "gtin": gtin14(gtin),
        "lot": "L2025",
        "labels_issued": "40",
    }
    answer = client.post("/app/record/label", headers=holder.person, data=data)
    assert answer.status_code == 303, answer.text
    assert records.position() - before == 2  # the batch labelled, its GTIN + lot claimed
    done = client.get(answer.headers["location"], headers=holder.person)
    assert f'href="/app/labels/{holder.batch}"' in done.text


def test_a_gtin_registered_to_no_one_is_refused_at_the_gtin(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    data = {**CSRF, "batch": holder.batch, "gtin": a_gtin(), "lot": "L1", "labels_issued": "5"}
    answer = client.post("/app/record/label", headers=holder.person, data=data)
    assert answer.status_code == 422
    assert 'id="error-gtin"' in answer.text
    assert records.position() == before


def test_a_sale_stores_one_event(client: TestClient, records: Records, holder: Holder) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/sell", headers=holder.person, data={**CSRF, "batch": holder.batch}
    )
    assert answer.status_code == 303
    assert records.position() - before == 1
    assert records.batch(batch_id(holder.batch)).status.value == "sold"


def test_a_correction_picks_the_event_it_amends_and_needs_a_reason(
    client: TestClient, records: Records, holder: Holder
) -> None:
    page = client.get(f"/app/record/correct?batch={holder.batch}", headers=holder.person)
    assert '<option value="1">Sự kiện 1: thu hoạch</option>' in page.text
    before = records.position()
    data = {**CSRF, "batch": holder.batch, "amends_version": "1", "quantity.amount": "980"}
    data["quantity.unit"] = "kg"
    refused = client.post("/app/record/correct", headers=holder.person, data=data)
    assert refused.status_code == 422
    assert 'id="error-reason"' in refused.text
    assert records.position() == before
    data["reason"] = "Cân lại ở kho: thiếu 20 kg"
    answer = client.post("/app/record/correct", headers=holder.person, data=data)
    assert answer.status_code == 303, answer.text
    assert records.position() - before == 1
    assert str(records.batch(batch_id(holder.batch)).quantity) == "980 kg"


def test_only_the_holder_sees_a_batchs_recall_form(
    client: TestClient, records: Records, holder: Holder
) -> None:
    outsider = another_cooperative(records)
    answer = client.get(f"/app/record/recall?batch={holder.batch}", headers=outsider)
    assert answer.status_code == 403
    before = records.position()
    data = {**CSRF, "batch": holder.batch, "reason": "Dư lượng thuốc vượt ngưỡng"}
    refused = client.post("/app/record/recall", headers=outsider, data=data)
    assert refused.status_code == 403
    recalled = client.post("/app/record/recall", headers=holder.person, data=data)
    assert recalled.status_code == 303, recalled.text
    assert records.position() - before == 2  # the batch's Recalled and the Recall's Opened
    assert records.batch(batch_id(holder.batch)).recalled


def test_packing_into_pieces_needs_and_uses_a_conversion(
    client: TestClient, records: Records, holder: Holder
) -> None:
    data = {
        **CSRF,
        "step": "packing",
        "inputs.0.batch": holder.batch,
        "inputs.0.quantity.amount": "1000",
        "inputs.0.quantity.unit": "kg",
        "outputs.0.commodity": "gạo túi 5 kg",
        "outputs.0.quantity.amount": "200",
        "outputs.0.quantity.unit": "piece",
    }
    before = records.position()
    refused = client.post("/app/record/transform", headers=holder.person, data=data)
    assert refused.status_code == 422
    assert 'id="error-conversion.factor"' in refused.text
    assert records.position() == before
    data |= {"conversion.from_unit": "kg", "conversion.to_unit": "piece"}
    data["conversion.factor"] = "0,2"  # 1 kg gives a fifth of a 5 kg bag
    answer = client.post("/app/record/transform", headers=holder.person, data=data)
    assert answer.status_code == 303, answer.text
    assert records.position() - before == 2


def test_a_form_reads_in_english_when_asked(client: TestClient, holder: Holder) -> None:
    page = client.get(f"/app/record/sell?batch={holder.batch}&lang=en", headers=holder.person)
    assert page.headers["content-language"] == "en"
    assert "Record a sale" in page.text
