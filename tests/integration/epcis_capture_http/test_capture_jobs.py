"""``POST /epcis/capture`` runs a document as a job, and ``GET /epcis/capture[/{id}]`` tells what
became of each event: the job document follows GS1's ``CaptureJob`` schema."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID

import jsonschema
import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.epcis.schema import load_standard_json
from shared.postgres.capture_jobs import INTERRUPTED_AFTER, TABLE, CaptureJobs
from shared.readmodels.tracking import Connect
from tests.epcis_events import a_gln, a_partner_class, days_ago, harvest_event, shipping_event
from tests.integration.epcis_capture_http.conftest import World, a_document

__all__: list[str] = []


def _capture_job_schema() -> dict[str, Any]:
    """GS1's ``CaptureJob``, with its ``errors`` form of the two it offers (``errors`` or
    ``errorFile``): its ``oneOf`` of two schemas that each name one optional property holds
    for no document at all (GS1's own example matches both), so the form used is named."""
    components = load_standard_json("openapi.json")["components"]
    job = components["schemas"]["CaptureJob"]
    with_errors = job["allOf"][1]["oneOf"][0]
    return {"allOf": [job["allOf"][0], with_errors], "components": components}


def _valid_job(job: dict[str, Any]) -> dict[str, Any]:
    jsonschema.validate(job, _capture_job_schema(), format_checker=jsonschema.FormatChecker())
    return job


def _send(
    world: World,
    document: dict[str, Any],
    behaviour: str | None = None,
    token: dict[str, str] | None = None,
) -> Any:
    headers = (token or world.cooperative) | {"Content-Type": "application/ld+json"}
    if behaviour is not None:
        headers["GS1-Capture-Error-Behaviour"] = behaviour
    return world.client.post("/epcis/capture", content=json.dumps(document), headers=headers)


def _job(world: World, answer: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    read = world.client.get(answer.headers["Location"], headers=headers or world.cooperative)
    assert read.status_code == 200, read.text
    return _valid_job(read.json())


def _harvest_and_ship(world: World) -> list[dict[str, Any]]:
    paddy = a_partner_class()
    return [
        harvest_event(paddy, world.partners.plot_gln, days_ago(3)),
        shipping_event(
            paddy,
            days_ago(2.9),
            sender_gln=world.partners.cooperative_gln,
            receiver_gln=world.partners.mill_gln,
        ),
    ]


def _one_good_one_bad(world: World) -> dict[str, Any]:
    good = harvest_event(a_partner_class(), world.partners.plot_gln, days_ago(3))
    unknown_plot = harvest_event(a_partner_class(), a_gln(), days_ago(3))
    return a_document(good, unknown_plot)


def test_a_document_is_captured_with_202_and_its_job_at_location(world: World) -> None:
    before = world.records.position()
    answer = _send(world, a_document(*_harvest_and_ship(world)))
    assert answer.status_code == 202, answer.text
    assert answer.headers["Location"] == f"/epcis/capture/{answer.json()['captureID']}"
    assert answer.headers["GS1-EPCIS-Capture-Limit"] == "1000"
    job = _job(world, answer)
    assert job == answer.json()
    assert (job["running"], job["success"], job["errors"]) == (False, True, [])
    assert job["captureErrorBehaviour"] == "rollback"
    assert job["finishedAt"] >= job["createdAt"]
    assert [e["status"] for e in job["nguon:events"]] == ["captured", "captured"]
    assert all(e["eventID"].startswith("ni:///sha-256;") for e in job["nguon:events"])
    assert world.records.position() > before


def test_the_same_document_sent_again_stores_nothing_and_answers_duplicates(world: World) -> None:
    document = a_document(*_harvest_and_ship(world))
    first = _job(world, _send(world, document))
    position = world.records.position()
    again = _job(world, _send(world, document))
    assert again["success"] is True
    assert [e["status"] for e in again["nguon:events"]] == ["duplicate", "duplicate"]
    assert [e["eventID"] for e in again["nguon:events"]] == [
        e["eventID"] for e in first["nguon:events"]
    ]
    assert world.records.position() == position


def test_rollback_with_one_refused_event_stores_none_and_the_job_names_it(world: World) -> None:
    before = world.records.position()
    job = _job(world, _send(world, _one_good_one_bad(world)))
    assert (job["running"], job["success"]) == (False, False)
    assert [e["status"] for e in job["nguon:events"]] == ["rolled_back", "refused"]
    [error] = job["errors"]
    assert error["type"] == "epcisException:ValidationException"
    assert error["index"] == 1
    assert error["field"].startswith("$.epcisBody.eventList[1]")
    assert error["code"]
    assert error["detail"]
    assert world.records.position() == before


def test_proceed_with_one_refused_event_stores_the_other(world: World) -> None:
    before = world.records.position()
    job = _job(world, _send(world, _one_good_one_bad(world), "proceed"))
    assert job["captureErrorBehaviour"] == "proceed"
    assert (job["running"], job["success"]) == (False, False)
    assert [e["status"] for e in job["nguon:events"]] == ["captured", "refused"]
    assert [e["index"] for e in job["errors"]] == [1]
    assert job["nguon:events"][0]["batches"]
    assert world.records.position() > before


def test_an_event_list_in_a_query_document_is_captured_and_refused_at_its_own_path(
    world: World,
) -> None:
    events = _one_good_one_bad(world)["epcisBody"]["eventList"]
    document = a_document() | {
        "type": "EPCISQueryDocument",
        "epcisBody": {
            "queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}
        },
    }
    job = _job(world, _send(world, document, "proceed"))
    [error] = job["errors"]
    assert error["field"].startswith("$.epcisBody.queryResults.resultsBody.eventList[1]")


def test_another_organisation_cannot_read_the_job_but_staff_can(world: World) -> None:
    answer = _send(world, a_document(*_harvest_and_ship(world)))
    location = answer.headers["Location"]
    refused = world.client.get(location, headers=world.mill)
    assert refused.status_code == 404
    assert refused.json()["type"] == "epcisException:NoSuchResourceException"
    assert world.client.get(location, headers=world.province).status_code == 200
    assert world.client.get("/epcis/capture/not-a-job", headers=world.province).status_code == 404


def test_the_callers_jobs_are_listed_newest_first_a_page_at_a_time(world: World) -> None:
    document = a_document(*_harvest_and_ship(world))
    sent = [_send(world, document).json()["captureID"] for _ in range(3)]
    mills = _send(world, a_document(), token=world.mill).json()["captureID"]
    first = world.client.get("/epcis/capture?perPage=2", headers=world.cooperative)
    assert first.status_code == 200
    assert [_valid_job(job)["captureID"] for job in first.json()] == sent[::-1][:2]
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"')
    url = link[link.index("<") + 1 : link.index(">")]
    second = world.client.get(url.removeprefix("http://testserver"), headers=world.cooperative)
    assert [job["captureID"] for job in second.json()] == sent[:1]
    assert "Link" not in second.headers
    listed = world.client.get("/epcis/capture", headers=world.mill).json()
    assert [job["captureID"] for job in listed] == [mills]
    everyone = world.client.get("/epcis/capture", headers=world.province).json()
    assert [job["captureID"] for job in everyone] == [mills, *sent[::-1]]


def test_a_paging_parameter_the_jobs_do_not_take_is_refused_by_name(world: World) -> None:
    answer = world.client.get("/epcis/capture?EQ_bizStep=shipping", headers=world.cooperative)
    assert answer.status_code == 400
    assert answer.json()["parameter"] == "EQ_bizStep"


@pytest.mark.parametrize(("behaviour", "stored"), [("rollback", "none"), ("proceed", "some")])
def test_a_job_the_server_never_finished_is_reported_interrupted(
    world: World, connect: Connect, database: DatabaseUrls, behaviour: str, stored: str
) -> None:
    organisation = world.partners.cooperative_id
    job = CaptureJobs(connect).start(None, organisation, behaviour, 2)
    assert job.running
    fresh = world.client.get(f"/epcis/capture/{job.id}", headers=world.cooperative).json()
    assert (fresh["running"], fresh["success"]) == (True, True)
    # As a process that stopped mid-capture leaves it, once longer ago than any capture takes.
    with psycopg.connect(database.app) as conn:
        conn.execute(
            f"UPDATE {TABLE} SET created_at = created_at - %s WHERE id = %s",
            (INTERRUPTED_AFTER + timedelta(seconds=1), job.id),
        )
    answer = world.client.get(f"/epcis/capture/{job.id}", headers=world.cooperative)
    late = _valid_job(answer.json())
    assert (late["running"], late["success"]) == (False, False)
    [error] = late["errors"]
    assert error["code"] == "capture_interrupted"
    assert stored in error["detail"]
    assert "again" in error["detail"]
    assert "finishedAt" not in late
    assert UUID(late["captureID"]) == job.id
