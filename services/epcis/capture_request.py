"""What a capture request carries, checked before anything is stored or any job is made.

In the order a client can fix them: the error behaviour header (400), the media type (415:
JSON-LD only, this interface reads no XML), the size (413, before the body is read past the
limit), JSON itself (400), the number of events (413, so that a client splits a large document
before fixing its events), then GS1's JSON schema (422, every place named at once).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from services.epcis.problems import (
    CaptureLimitExceeded,
    InvalidDocument,
    MalformedRequest,
    UnsupportedMediaType,
)
from shared.epcis.capture import CAPTURE_FILE_SIZE_LIMIT, CAPTURE_LIMIT, Behaviour
from shared.epcis.schema import SchemaError, validate_document, validate_event

BEHAVIOUR_HEADER = "GS1-Capture-Error-Behaviour"
JSON_MEDIA_TYPES = frozenset({"application/json", "application/ld+json"})
XML_MEDIA_TYPES = frozenset({"application/xml", "text/xml"})
DOCUMENT_TYPES = frozenset({"EPCISDocument", "EPCISQueryDocument"})
# Where each document type keeps its events.
_EVENT_LISTS = {
    "EPCISDocument": ("epcisBody", "eventList"),
    "EPCISQueryDocument": ("epcisBody", "queryResults", "resultsBody", "eventList"),
}
_EVENT_LIST_PATHS = {kind: "$." + ".".join(keys) for kind, keys in _EVENT_LISTS.items()}
_PATHS_IN_DETAIL = 20  # the problem's ``errors`` member lists every one


@dataclass(frozen=True)
class CaptureRequest:
    events: list[dict[str, Any]]
    behaviour: Behaviour
    context: Any  # the document's @context: it names the namespaces of extension fields
    events_path: str  # the JSON path of the document's event list


def behaviour_of(headers: Mapping[str, str]) -> Behaviour:
    sent = headers.get(BEHAVIOUR_HEADER)
    if sent is None:
        return Behaviour.ROLLBACK  # the binding's default, as in EPCIS 1.2
    try:
        return Behaviour(sent.strip().lower())
    except ValueError:
        allowed = ", ".join(b.value for b in Behaviour)
        msg = (
            f"{BEHAVIOUR_HEADER}: {sent!r} is not one of {allowed}: send rollback (all events or"
            " none, the default) or proceed (each event that can be stored)"
        )
        raise MalformedRequest(msg, parameter=BEHAVIOUR_HEADER) from None


async def json_body(request: Request) -> Any:
    """The request's JSON, refused by media type, size or syntax before it is used."""
    _check_media_type(request.headers.get("content-type"))
    raw = await _bounded_body(request)
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise MalformedRequest("the body is not UTF-8 text: send JSON in UTF-8") from None
    except ValueError as error:
        raise MalformedRequest(f"the body is not JSON ({error}): send a JSON-LD document") from None


def capture_request(document: Any, behaviour: Behaviour) -> CaptureRequest:
    """An EPCISDocument's (or EPCISQueryDocument's) events, checked for number and schema."""
    if not isinstance(document, dict) or document.get("type") not in DOCUMENT_TYPES:
        msg = (
            "POST /epcis/capture takes an EPCISDocument (or an EPCISQueryDocument);"
            " send a single event to POST /epcis/events"
        )
        raise InvalidDocument(msg)
    events = _events_of(document)
    if isinstance(events, list) and len(events) > CAPTURE_LIMIT:
        msg = (
            f"the document holds {len(events)} events; this interface captures at most"
            f" {CAPTURE_LIMIT} per request (GS1-EPCIS-Capture-Limit): split it into documents"
            f" of {CAPTURE_LIMIT} events or fewer"
        )
        raise CaptureLimitExceeded(msg)
    _check_schema(validate_document(document), "the document")
    assert isinstance(events, list)  # the schema requires the event list
    kind = document["type"]
    return CaptureRequest(events, behaviour, document.get("@context"), _EVENT_LIST_PATHS[kind])


def single_event(body: Any) -> dict[str, Any]:
    """The one event of ``POST /epcis/events``, checked against the schema's event forms."""
    if not isinstance(body, dict) or body.get("type") in DOCUMENT_TYPES:
        msg = "POST /epcis/events takes one event; send a whole document to POST /epcis/capture"
        raise InvalidDocument(msg)
    _check_schema(validate_event(body), "the event")
    return body


def _check_media_type(content_type: str | None) -> None:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in JSON_MEDIA_TYPES:
        return
    if media_type in XML_MEDIA_TYPES:
        said = "EPCIS XML is not read here"
    elif media_type:
        said = f"{media_type} is not read here"
    else:
        said = "the request names no Content-Type"
    msg = f"{said}: send JSON-LD (Content-Type: application/ld+json) as EPCIS 2.0 writes it"
    raise UnsupportedMediaType(msg)


async def _bounded_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > CAPTURE_FILE_SIZE_LIMIT:
        raise _too_large()
    # Read as it arrives and stop past the limit: a missing or false Content-Length must not
    # make the server hold an unbounded body.
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > CAPTURE_FILE_SIZE_LIMIT:
            raise _too_large()
    return bytes(received)


def _too_large() -> CaptureLimitExceeded:
    msg = (
        f"the body is larger than {CAPTURE_FILE_SIZE_LIMIT} bytes"
        " (GS1-EPCIS-Capture-File-Size-Limit): split the document into smaller ones"
    )
    return CaptureLimitExceeded(msg)


def _no_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number: write quantities as decimal numbers"
    raise MalformedRequest(msg)


def _events_of(document: dict[str, Any]) -> Any:
    found: Any = document
    for key in _EVENT_LISTS[document["type"]]:
        found = found.get(key) if isinstance(found, dict) else None
    return found


def _check_schema(errors: list[SchemaError], what: str) -> None:
    if not errors:
        return
    paths = list(dict.fromkeys(error.path for error in errors))
    named = ", ".join(paths[:_PATHS_IN_DETAIL])
    more = f" and {len(paths) - _PATHS_IN_DETAIL} more" if len(paths) > _PATHS_IN_DETAIL else ""
    msg = (
        f"{what} does not follow GS1's EPCIS 2.0 JSON schema at {named}{more}:"
        " fix each place named in errors and send it again"
    )
    raise InvalidDocument(msg, members={"errors": [error.as_dict() for error in errors]})
