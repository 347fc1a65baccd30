"""GLNs through the API: registered once, one party GLN per organisation, plots of the owner."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from fastapi.testclient import TestClient

from services.capture.context import connections_of
from shared.readmodels.projections import Projections
from tests.builders import a_gtin
from tests.integration.capture.capture_api import CaptureApi, Party, error_of
from tests.integration.capture.conftest import RacingRecords
from tests.registry_world import project


def a_gln() -> str:
    return a_gtin()  # a GLN and a GTIN-13 share their length and check digit


def _register(api: CaptureApi, party: Party, **body: Any) -> httpx.Response:
    return api.post("/glns", body, party)


def test_an_organisation_registers_its_party_gln_and_reads_it_back(api: CaptureApi) -> None:
    gln = a_gln()

    answer = _register(api, api.cooperative, gln=gln)
    read = api.get(f"/glns/{gln}", api.cooperative)

    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"/api/v1/glns/{gln}"
    assert answer.json()["results"][0]["gln"] == gln
    assert read.json() == {"gln": gln, "owner_id": api.cooperative.org, "plot_id": None}


def test_a_cooperative_registers_a_gln_for_its_plot(api: CaptureApi) -> None:
    gln = a_gln()

    answer = _register(api, api.cooperative, gln=gln, plot_id=api.cooperative.plot)

    assert answer.status_code == 201, answer.text
    assert api.get(f"/glns/{gln}", api.province).json()["plot_id"] == api.cooperative.plot


def test_a_gln_is_registered_once(api: CaptureApi) -> None:
    gln = a_gln()
    _register(api, api.cooperative, gln=gln)
    stored = api.events_stored()

    answer = _register(api, api.enterprise, gln=gln)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "gln_registered"
    assert api.events_stored() == stored


def test_an_organisation_has_one_party_gln(api: CaptureApi) -> None:
    _register(api, api.enterprise, gln=a_gln())
    stored = api.events_stored()

    answer = _register(api, api.enterprise, gln=a_gln())

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "party_gln_registered"
    assert api.events_stored() == stored


def test_a_wrong_check_digit_is_refused_with_the_digit_expected(api: CaptureApi) -> None:
    gln = a_gln()
    wrong = gln[:-1] + str((int(gln[-1]) + 1) % 10)

    answer = _register(api, api.cooperative, gln=wrong)

    assert answer.status_code == 422
    assert error_of(answer)["code"] == "gln_check_digit"


def test_a_plot_of_another_cooperative_gets_no_gln_from_this_one(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = _register(api, api.cooperative, gln=a_gln(), plot_id=api.other_cooperative.plot)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "plot_not_owned"
    assert api.events_stored() == stored


def test_only_staff_register_for_another_organisation(api: CaptureApi) -> None:
    gln = a_gln()

    refused = _register(api, api.cooperative, gln=a_gln(), organisation_id=api.enterprise.org)
    by_staff = _register(api, api.province, gln=gln, organisation_id=api.enterprise.org)

    assert refused.status_code == 403
    assert by_staff.status_code == 201, by_staff.text
    assert api.get(f"/glns/{gln}", api.enterprise).json()["owner_id"] == api.enterprise.org


def test_another_organisations_gln_reads_as_unknown(api: CaptureApi) -> None:
    gln = a_gln()
    _register(api, api.cooperative, gln=gln)

    answer = api.get(f"/glns/{gln}", api.enterprise)

    assert answer.status_code == 404


def test_two_party_glns_racing_for_one_organisation_leave_one(
    api: CaptureApi, racing: tuple[RacingRecords, TestClient]
) -> None:
    records, client = racing
    glns = [a_gln(), a_gln()]
    records.barrier = threading.Barrier(2, timeout=10)
    answers: list[httpx.Response] = []

    def register(gln: str) -> None:
        headers = api.enterprise.auth
        answers.append(client.post("/api/v1/glns", json={"gln": gln}, headers=headers))

    threads = [threading.Thread(target=register, args=(gln,)) for gln in glns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(a.status_code for a in answers) == [201, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert error_of(refused)["code"] == "party_gln_registered"
    found = [api.get(f"/glns/{gln}", api.province).status_code for gln in glns]
    assert sorted(found) == [200, 404]  # the loser's GLN was not stored either


def test_a_bulk_request_registers_a_cooperatives_party_and_plot_glns(api: CaptureApi) -> None:
    party, plot = a_gln(), a_gln()
    commands = [
        {"type": "register_gln", "gln": party, "organisation_id": api.cooperative.org},
        {
            "type": "register_gln",
            "gln": plot,
            "organisation_id": api.cooperative.org,
            "plot_id": api.cooperative.plot,
        },
    ]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 200, answer.text
    assert api.get(f"/glns/{party}", api.cooperative).json()["plot_id"] is None
    assert api.get(f"/glns/{plot}", api.cooperative).json()["plot_id"] == api.cooperative.plot


def _listed(answer: httpx.Response) -> list[tuple[str, str | None]]:
    assert answer.status_code == 200, answer.text
    return [(item["gln"], item["plot_id"]) for item in answer.json()["items"]]


def test_glns_are_listed_by_owner_in_pages_staff_any_an_organisation_its_own(
    api: CaptureApi,
) -> None:
    party, plot, enterprise = a_gln(), a_gln(), a_gln()
    _register(api, api.cooperative, gln=party)
    _register(api, api.cooperative, gln=plot, plot_id=api.cooperative.plot)
    _register(api, api.enterprise, gln=enterprise)
    projections = Projections(connections_of(api.records))
    projections.reset()
    project(api.records, projections)
    own = sorted([(party, None), (plot, api.cooperative.plot)])

    assert _listed(api.get("/glns", api.cooperative)) == own
    assert _listed(api.get("/glns", api.province, organisation_id=api.cooperative.org)) == own
    assert _listed(api.get("/glns", api.enterprise)) == [(enterprise, None)]
    everyone = api.get("/glns", api.province, limit=2, page=2).json()
    assert everyone["total"] == 3
    assert [i["gln"] for i in everyone["items"]] == [max(party, plot, enterprise)]
    refused = api.get("/glns", api.enterprise, organisation_id=api.cooperative.org)
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "not_own"
    bad = api.get("/glns", api.province, limit=0)
    assert bad.status_code == 422
