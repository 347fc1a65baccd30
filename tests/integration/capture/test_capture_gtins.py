"""GTINs through the API: only the owner or a licensed partner labels, one batch per GTIN + lot."""

from __future__ import annotations

import threading

import httpx
from fastapi.testclient import TestClient

from tests.builders import a_gtin, after_harvest
from tests.integration.capture.capture_api import CaptureApi, Party, error_of
from tests.integration.capture.conftest import RacingRecords


def _register(api: CaptureApi, party: Party, **body: str) -> httpx.Response:
    return api.post(f"/organisations/{party.org}/gtins", body, party)


def _label(api: CaptureApi, code: str, gtin: str, lot: str, by: Party) -> httpx.Response:
    body = {"gtin": gtin, "lot": lot, "labels_issued": 50, "at": after_harvest(2).isoformat()}
    return api.post(f"/batches/{code}/labels", body, by)


def test_an_organisation_registers_its_gtin_and_labels_its_batch_with_it(api: CaptureApi) -> None:
    gtin = a_gtin()

    registered = _register(api, api.cooperative, gtin=gtin)
    labelled = _label(api, api.harvest(), gtin, "L1", api.cooperative)

    assert registered.status_code == 201, registered.text
    assert registered.json()["results"][0]["registered"] == f"gtin:0{gtin}"
    assert labelled.status_code == 200, labelled.text


def test_a_gtin_no_one_registered_labels_nothing(api: CaptureApi) -> None:
    code = api.harvest()
    stored = api.events_stored()

    answer = _label(api, code, a_gtin(), "L1", api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "gtin_not_registered"
    assert api.events_stored() == stored


def test_another_cooperative_cannot_put_the_retailers_gtin_on_its_paddy(api: CaptureApi) -> None:
    gtin = a_gtin()
    _register(api, api.enterprise, gtin=gtin)
    code = api.harvest(by=api.other_cooperative)
    stored = api.events_stored()

    answer = _label(api, code, gtin, "L1", api.other_cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "gtin_not_owned"
    assert api.events_stored() == stored


def test_a_company_prefix_covers_every_gtin_under_it(api: CaptureApi) -> None:
    gtin = a_gtin()
    _register(api, api.cooperative, company_prefix=gtin[:8])

    answer = _label(api, api.harvest(), gtin, "L1", api.cooperative)

    assert answer.status_code == 200, answer.text


def test_a_gtin_under_another_organisations_prefix_cannot_be_registered(api: CaptureApi) -> None:
    gtin = a_gtin()
    _register(api, api.enterprise, company_prefix=gtin[:7])

    answer = _register(api, api.cooperative, gtin=gtin)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "gtin_not_owned"


def test_a_gtin_is_registered_once(api: CaptureApi) -> None:
    gtin = a_gtin()
    _register(api, api.enterprise, gtin=gtin)

    answer = _register(api, api.cooperative, gtin=gtin)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "gtin_registered"


def test_an_organisation_registers_gtins_only_for_itself(api: CaptureApi) -> None:
    answer = api.post(
        f"/organisations/{api.enterprise.org}/gtins", {"gtin": a_gtin()}, api.cooperative
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_own"


def test_two_batches_cannot_share_a_gtin_and_lot(api: CaptureApi) -> None:
    gtin = a_gtin()
    _register(api, api.cooperative, gtin=gtin)
    first, second = api.harvest(), api.harvest()
    assert _label(api, first, gtin, "NEP-01", api.cooperative).status_code == 200
    stored = api.events_stored()

    answer = _label(api, second, gtin, "NEP-01", api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "gtin_lot_in_use"
    assert first in error_of(answer)["message"]
    assert api.events_stored() == stored


def test_a_batch_labelled_again_with_its_own_gtin_and_lot_takes_more_labels(
    api: CaptureApi,
) -> None:
    gtin = a_gtin()
    _register(api, api.cooperative, gtin=gtin)
    code = api.harvest()
    _label(api, code, gtin, "NEP-01", api.cooperative)

    answer = _label(api, code, gtin, "NEP-01", api.cooperative)

    assert answer.status_code == 200, answer.text


def test_a_licensed_chain_partner_packs_under_the_owners_gtin(api: CaptureApi) -> None:
    gtin = a_gtin()
    chain = api.value_chain(api.cooperative)
    _register(api, api.enterprise, gtin=gtin)

    licensed = api.post(
        f"/gtins/{gtin}/licences",
        {"licensee_id": api.cooperative.org, "value_chain_id": chain},
        api.enterprise,
    )
    labelled = _label(api, api.harvest(), gtin, "PL-1", api.cooperative)

    assert licensed.status_code == 201, licensed.text
    assert labelled.status_code == 200, labelled.text


def test_a_licence_goes_only_to_a_partner_in_one_of_the_owners_chains(api: CaptureApi) -> None:
    gtin = a_gtin()
    chain = api.value_chain()  # the cooperative never joined it
    _register(api, api.enterprise, gtin=gtin)

    answer = api.post(
        f"/gtins/{gtin}/licences",
        {"licensee_id": api.cooperative.org, "value_chain_id": chain},
        api.enterprise,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "licensee_not_chain_partner"


def test_a_revoked_licence_labels_nothing_more(api: CaptureApi) -> None:
    gtin = a_gtin()
    chain = api.value_chain(api.cooperative)
    _register(api, api.enterprise, gtin=gtin)
    licence = {"licensee_id": api.cooperative.org, "value_chain_id": chain}
    api.post(f"/gtins/{gtin}/licences", licence, api.enterprise)

    revoked = api.post(
        f"/gtins/{gtin}/licences/{api.cooperative.org}/revocation",
        {"reason": "Hết hợp đồng gia công"},
        api.enterprise,
    )
    answer = _label(api, api.harvest(), gtin, "PL-2", api.cooperative)

    assert revoked.status_code == 200, revoked.text
    assert error_of(answer)["code"] == "gtin_not_owned"


def test_staff_see_who_owns_a_gtin_and_whom_it_licensed(api: CaptureApi) -> None:
    gtin = a_gtin()
    chain = api.value_chain(api.cooperative)
    _register(api, api.enterprise, company_prefix=gtin[:9])
    api.post(
        f"/gtins/{gtin}/licences",
        {"licensee_id": api.cooperative.org, "value_chain_id": chain},
        api.enterprise,
    )

    answer = api.get(f"/gtins/{gtin}", api.province)

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "gtin": "0" + gtin,
        "registered": f"prefix:{gtin[:9]}",
        "owner_id": api.enterprise.org,
        "licences": [{"licensee_id": api.cooperative.org, "gtin": "0" + gtin}],
    }


def test_another_organisation_does_not_learn_who_owns_a_gtin(api: CaptureApi) -> None:
    gtin = a_gtin()
    _register(api, api.enterprise, gtin=gtin)

    answer = api.get(f"/gtins/{gtin}", api.other_cooperative)

    assert answer.status_code == 403


def test_two_batches_labelled_at_once_with_one_gtin_and_lot_get_one_of_them_refused(
    api: CaptureApi, racing: tuple[RacingRecords, TestClient]
) -> None:
    records, client = racing
    gtin = a_gtin()
    _register(api, api.cooperative, gtin=gtin)
    codes = [api.harvest(), api.harvest()]
    records.barrier = threading.Barrier(2, timeout=10)
    answers: list[httpx.Response] = []

    def label(code: str) -> None:
        body = {"gtin": gtin, "lot": "RACE-1", "labels_issued": 5}
        answers.append(
            client.post(f"/api/v1/batches/{code}/labels", json=body, headers=api.cooperative.auth)
        )

    threads = [threading.Thread(target=label, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert error_of(refused)["code"] == "gtin_lot_in_use"
    labelled = [api.get(f"/batches/{code}", api.cooperative).json()["lot"] for code in codes]
    assert sorted(labelled, key=str) == sorted(["RACE-1", None], key=str)
