"""What ``POST /epcis/capture`` refuses before anything runs: each refusal says what was wrong and
what to do, carries the capture limits, and leaves no event and no job behind."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.epcis.capture import CAPTURE_FILE_SIZE_LIMIT, CAPTURE_LIMIT
from shared.postgres.capture_jobs import TABLE
from shared.postgres.tokens import token_hash
from tests.epcis_events import a_partner_class, days_ago, harvest_event
from tests.integration.epcis_capture_http.conftest import World, a_document, auth

__all__: list[str] = []

LD = {"Content-Type": "application/ld+json"}


def _harvest(world: World) -> dict[str, Any]:
    return harvest_event(a_partner_class(), world.partners.plot_gln, days_ago(1))


def _nothing_stored(world: World, position: int) -> None:
    assert world.records.position() == position
    listed = world.client.get("/epcis/capture", headers=world.province)
    assert listed.json() == []


def _post(world: World, body: bytes | str, headers: dict[str, str]) -> Any:
    return world.client.post("/epcis/capture", content=body, headers=world.cooperative | headers)


@pytest.mark.parametrize("media_type", ["application/xml", "text/xml; charset=utf-8"])
def test_an_xml_document_is_refused_with_415_saying_json_ld_is_expected(
    world: World, media_type: str
) -> None:
    before = world.records.position()
    answer = _post(world, "<epcis:EPCISDocument/>", {"Content-Type": media_type})
    assert answer.status_code == 415
    assert answer.json()["type"] == "epcisException:UnsupportedMediaTypeException"
    assert "application/ld+json" in answer.json()["detail"]
    assert "XML" in answer.json()["detail"]
    assert answer.headers["GS1-EPCIS-Capture-Limit"] == str(CAPTURE_LIMIT)
    _nothing_stored(world, before)


def test_a_body_without_a_json_media_type_is_refused_with_415(world: World) -> None:
    document = json.dumps(a_document(_harvest(world)))
    answer = _post(world, document, {"Content-Type": "text/plain"})
    assert answer.status_code == 415
    assert "text/plain" in answer.json()["detail"]


def test_a_body_over_the_file_size_limit_is_refused_with_413(world: World) -> None:
    before = world.records.position()
    padding = " " * CAPTURE_FILE_SIZE_LIMIT
    answer = _post(world, json.dumps(a_document(_harvest(world))) + padding, LD)
    assert answer.status_code == 413
    assert answer.json()["type"] == "epcisException:CaptureLimitExceededException"
    assert str(CAPTURE_FILE_SIZE_LIMIT) in answer.json()["detail"]
    assert answer.headers["GS1-EPCIS-Capture-File-Size-Limit"] == str(CAPTURE_FILE_SIZE_LIMIT)
    _nothing_stored(world, before)


def test_more_events_than_the_capture_limit_are_refused_with_413_naming_the_limit(
    world: World,
) -> None:
    before = world.records.position()
    events = [_harvest(world) for _ in range(CAPTURE_LIMIT + 1)]
    answer = _post(world, json.dumps(a_document(*events)), LD)
    assert answer.status_code == 413
    assert answer.json()["type"] == "epcisException:CaptureLimitExceededException"
    assert f"at most {CAPTURE_LIMIT}" in answer.json()["detail"]
    _nothing_stored(world, before)


def test_a_body_that_is_not_json_is_refused_with_400(world: World) -> None:
    answer = _post(world, '{"type": "EPCISDocument",', LD)
    assert answer.status_code == 400
    assert answer.json()["type"] == "epcisException:ValidationException"
    assert "not JSON" in answer.json()["detail"]


def test_a_quantity_written_as_nan_is_refused_with_400(world: World) -> None:
    document = json.dumps(a_document(_harvest(world))).replace("1000", "NaN")
    answer = _post(world, document, LD)
    assert answer.status_code == 400
    assert "NaN" in answer.json()["detail"]


def test_a_document_breaking_the_schema_is_refused_with_422_naming_every_path(
    world: World,
) -> None:
    before = world.records.position()
    jumping, timeless = _harvest(world), _harvest(world)
    jumping["action"] = "JUMP"
    del timeless["eventTime"]
    document = a_document(_harvest(world), jumping, timeless)
    answer = _post(world, json.dumps(document), {"Content-Type": "application/json"})
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["type"] == "epcisException:ValidationException"
    paths = {error["path"] for error in problem["errors"]}
    assert {"$.epcisBody.eventList[1].action", "$.epcisBody.eventList[2]"} <= paths
    assert "$.epcisBody.eventList[1].action" in problem["detail"]
    assert "$.epcisBody.eventList[2]" in problem["detail"]
    _nothing_stored(world, before)


def test_a_single_event_sent_to_capture_is_pointed_to_events(world: World) -> None:
    answer = _post(world, json.dumps(_harvest(world)), LD)
    assert answer.status_code == 422
    assert "POST /epcis/events" in answer.json()["detail"]


@pytest.mark.parametrize("behaviour", ["all", "sometimes"])
def test_an_error_behaviour_other_than_rollback_or_proceed_is_refused_with_400(
    world: World, behaviour: str
) -> None:
    before = world.records.position()
    headers = LD | {"GS1-Capture-Error-Behaviour": behaviour}
    answer = _post(world, json.dumps(a_document(_harvest(world))), headers)
    assert answer.status_code == 400
    assert "rollback" in answer.json()["detail"]
    assert "proceed" in answer.json()["detail"]
    assert answer.json()["parameter"] == "GS1-Capture-Error-Behaviour"
    _nothing_stored(world, before)


def test_capture_without_a_token_is_refused_with_401(world: World) -> None:
    document = json.dumps(a_document(_harvest(world)))
    answer = world.client.post("/epcis/capture", content=document, headers=LD)
    assert answer.status_code == 401
    assert answer.json()["type"] == "epcisException:SecurityException"
    assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_acting_for_no_organisation_may_not_capture(
    world: World, database: DatabaseUrls
) -> None:
    # The token store issues no such token any more; one issued before may still exist.
    token = "ng_" + uuid4().hex
    with psycopg.connect(database.app) as conn:
        conn.execute(
            "INSERT INTO nguon_tokens (id, token_hash, role) VALUES (%s, %s, 'enterprise')",
            (uuid4(), token_hash(token)),
        )
    before = world.records.position()
    document = json.dumps(a_document(_harvest(world)))
    answer = world.client.post("/epcis/capture", content=document, headers=auth(token) | LD)
    assert answer.status_code == 403
    assert answer.json()["type"] == "epcisException:SecurityException"
    assert "organisation" in answer.json()["detail"]
    with psycopg.connect(database.app) as conn:
        assert conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone() == (0,)
    assert world.records.position() == before


def test_a_client_that_excludes_our_version_is_refused_with_406(world: World) -> None:
    headers = LD | {"GS1-EPCIS-Min": "2.1"}
    answer = _post(world, json.dumps(a_document(_harvest(world))), headers)
    assert answer.status_code == 406
    assert answer.json()["type"] == "epcisException:NotAcceptableException"
