"""Staff establish value chains, add and remove participants, record linkage contracts."""

from __future__ import annotations

from tests.integration.capture.capture_api import CaptureApi, error_of


def _chain(api: CaptureApi) -> str:
    answer = api.post(
        "/value-chains",
        {
            "name": "Chuỗi gạo nếp Thiệu Hóa",
            "commodity": "rice",
            "lead_organisation_id": api.enterprise.org,
        },
        api.province,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["results"][0]["value_chain_id"])


def _join(api: CaptureApi, chain: str, organisation: str) -> None:
    answer = api.post(
        f"/value-chains/{chain}/participants",
        {"organisation_id": organisation, "role": "producer"},
        api.province,
    )
    assert answer.status_code == 200, answer.text


def _contract(number: str, *parties: str) -> dict[str, object]:
    return {
        "contract_number": number,
        "parties": list(parties),
        "commodity": "rice",
        "committed_volume": {"amount": 120, "unit": "t"},
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
    }


def test_staff_establish_a_value_chain_led_by_an_enterprise(api: CaptureApi) -> None:
    stored = api.events_stored()

    chain = _chain(api)

    assert chain
    assert api.events_stored() == stored + 1


def test_a_chain_led_by_an_unknown_organisation_is_not_found(api: CaptureApi) -> None:
    answer = api.post(
        "/value-chains",
        {
            "name": "x",
            "commodity": "rice",
            "lead_organisation_id": "3f1d5a8e-0000-4000-8000-000000000000",
        },
        api.province,
    )

    assert answer.status_code == 404


def test_a_cooperative_may_not_establish_a_chain(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post(
        "/value-chains",
        {"name": "x", "commodity": "rice", "lead_organisation_id": api.cooperative.org},
        api.cooperative,
    )

    assert answer.status_code == 403
    assert api.events_stored() == stored


def test_a_cooperative_joins_and_later_leaves_a_chain(api: CaptureApi) -> None:
    chain = _chain(api)
    _join(api, chain, api.cooperative.org)

    left = api.post(
        f"/value-chains/{chain}/participants/{api.cooperative.org}/departure",
        {"reason": "Chuyển sang chuỗi khác"},
        api.province,
    )

    assert left.status_code == 200


def test_joining_twice_in_the_same_role_is_refused(api: CaptureApi) -> None:
    chain = _chain(api)
    _join(api, chain, api.cooperative.org)

    again = api.post(
        f"/value-chains/{chain}/participants",
        {"organisation_id": api.cooperative.org, "role": "producer"},
        api.province,
    )

    assert again.status_code == 409
    assert error_of(again)["code"] == "already_participant"


def test_an_unknown_participant_role_is_refused_naming_the_field(api: CaptureApi) -> None:
    chain = _chain(api)

    answer = api.post(
        f"/value-chains/{chain}/participants",
        {"organisation_id": api.cooperative.org, "role": "farmer"},
        api.province,
    )

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "role"


def test_staff_record_and_end_a_linkage_contract(api: CaptureApi) -> None:
    chain = _chain(api)
    _join(api, chain, api.cooperative.org)

    signed = api.post(
        f"/value-chains/{chain}/contracts",
        _contract("HĐLK-01/2025", api.enterprise.org, api.cooperative.org),
        api.province,
    )
    ended = api.post(
        f"/value-chains/{chain}/contracts/HĐLK-01/2025/end",
        {"on": "2025-12-31", "reason": "Hết hạn"},
        api.province,
    )

    assert signed.status_code == 200
    assert signed.json()["results"][0]["contract_number"] == "HĐLK-01/2025"
    assert ended.status_code == 200, ended.text


def test_a_contract_with_a_party_outside_the_chain_is_refused(api: CaptureApi) -> None:
    chain = _chain(api)
    stored = api.events_stored()

    answer = api.post(
        f"/value-chains/{chain}/contracts",
        _contract("HĐLK-02", api.enterprise.org, api.other_cooperative.org),
        api.province,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "party_not_participant"
    assert api.events_stored() == stored


def test_ending_a_contract_not_in_force_is_refused(api: CaptureApi) -> None:
    chain = _chain(api)

    answer = api.post(
        f"/value-chains/{chain}/contracts/NONE/end",
        {"on": "2025-01-01", "reason": "x"},
        api.province,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "contract_not_in_force"


def test_an_enterprise_may_not_add_participants(api: CaptureApi) -> None:
    chain = _chain(api)

    answer = api.post(
        f"/value-chains/{chain}/participants",
        {"organisation_id": api.cooperative.org, "role": "producer"},
        api.enterprise,
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "staff_only"
