"""Provincial staff register and follow cooperatives and enterprises through the API."""

from __future__ import annotations

from tests.builders import cooperative_json, enterprise_json
from tests.integration.capture.capture_api import CaptureApi, error_of


def _cooperative(api: CaptureApi, **overrides: object) -> str:
    answer = api.post("/cooperatives", cooperative_json(**overrides), api.province)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["results"][0]["cooperative_id"])


def test_staff_register_a_cooperative_and_learn_its_id_and_position(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post("/cooperatives", cooperative_json(), api.province)

    assert answer.status_code == 201
    body = answer.json()
    assert set(body["results"][0]) == {"cooperative_id"}
    assert body["position"] == stored + 1
    assert api.events_stored() == stored + 1


def test_an_admin_registers_an_enterprise(api: CaptureApi) -> None:
    answer = api.post("/enterprises", enterprise_json(), api.admin)

    assert answer.status_code == 201
    assert "enterprise_id" in answer.json()["results"][0]


def test_registering_the_same_cooperative_twice_is_refused(api: CaptureApi) -> None:
    body = cooperative_json()
    assert api.post("/cooperatives", body, api.province).status_code == 201
    stored = api.events_stored()

    answer = api.post("/cooperatives", body, api.province)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "already_registered"
    assert api.events_stored() == stored


def test_a_cooperative_of_fewer_than_seven_members_is_refused_naming_the_field(
    api: CaptureApi,
) -> None:
    answer = api.post("/cooperatives", cooperative_json(members_count=5), api.province)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "members_count"


def test_a_cooperative_may_not_register_cooperatives(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post("/cooperatives", cooperative_json(), api.cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "staff_only"
    assert api.events_stored() == stored


def test_an_enterprise_may_not_register_enterprises(api: CaptureApi) -> None:
    answer = api.post("/enterprises", enterprise_json(), api.enterprise)

    assert answer.status_code == 403


def test_staff_reclassify_an_old_model_cooperative_as_new_model(api: CaptureApi) -> None:
    cooperative = _cooperative(api, model="old")

    answer = api.post(
        f"/cooperatives/{cooperative}/reclassification",
        {"reason": "Đã chuyển đổi theo Luật HTX 2023"},
        api.province,
    )

    assert answer.status_code == 200
    assert answer.json()["results"] == [{"cooperative_id": cooperative}]


def test_reclassifying_a_new_model_cooperative_is_refused(api: CaptureApi) -> None:
    cooperative = _cooperative(api, model="new")

    answer = api.post(
        f"/cooperatives/{cooperative}/reclassification", {"reason": "again"}, api.province
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "already_new_model"


def test_reclassifying_an_unknown_cooperative_is_not_found(api: CaptureApi) -> None:
    answer = api.post(
        "/cooperatives/3f1d5a8e-0000-4000-8000-000000000000/reclassification",
        {"reason": "x"},
        api.province,
    )

    assert answer.status_code == 404
    assert error_of(answer)["code"] == "not_found"


def test_staff_change_a_cooperatives_status_with_a_reason(api: CaptureApi) -> None:
    answer = api.post(
        f"/cooperatives/{api.other_cooperative.org}/status",
        {"status": "suspended", "reason": "Không hoạt động 12 tháng"},
        api.province,
    )

    assert answer.status_code == 200


def test_an_unknown_status_is_refused_naming_the_field(api: CaptureApi) -> None:
    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/status",
        {"status": "sleeping", "reason": "x"},
        api.province,
    )

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "status"


def test_staff_record_support_from_the_cooperative_fund(api: CaptureApi) -> None:
    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/support",
        {
            "kind": "fund_loan",
            "on": "2025-03-01",
            "programme": "Quỹ hỗ trợ phát triển HTX tỉnh",
            "amount_vnd": "500000000",
        },
        api.province,
    )

    assert answer.status_code == 200


def test_a_cooperative_may_not_record_support_for_itself(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/support",
        {"kind": "grant", "on": "2025-03-01", "programme": "x"},
        api.cooperative,
    )

    assert answer.status_code == 403
    assert api.events_stored() == stored


def test_staff_grant_and_then_expire_an_organisations_certification(api: CaptureApi) -> None:
    granted = api.post(
        f"/organisations/{api.enterprise.org}/certifications",
        {
            "scheme": "OCOP",
            "certificate": "0042/2025/QĐ-UBND",
            "valid_from": "2025-01-01",
            "stars": 4,
        },
        api.province,
    )
    expired = api.post(
        f"/organisations/{api.enterprise.org}/certifications/0042/2025/QĐ-UBND/expiry",
        {"on": "2025-06-01", "reason": "Thu hồi"},
        api.province,
    )

    assert granted.status_code == 200
    assert expired.status_code == 200
    assert expired.json()["position"] == granted.json()["position"] + 1


def test_an_ocop_certification_without_stars_is_refused_naming_the_field(
    api: CaptureApi,
) -> None:
    answer = api.post(
        f"/organisations/{api.enterprise.org}/certifications",
        {"scheme": "OCOP", "certificate": "OCOP-1", "valid_from": "2025-01-01"},
        api.province,
    )

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "stars"


def test_expiring_a_certificate_the_organisation_does_not_hold_is_refused(
    api: CaptureApi,
) -> None:
    answer = api.post(
        f"/organisations/{api.cooperative.org}/certifications/VG-404/expiry",
        {"on": "2025-06-01", "reason": "x"},
        api.province,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "certificate_not_held"
