"""EPCIS 2.0 documents and events checked against GS1's JSON schema (vendored, draft-07).

The schema is read once from :mod:`shared.epcis.standard` and its validator compiled once;
nothing is fetched at run time.  Every problem comes back as a :class:`SchemaError` with the
JSON path of the offending value (``$.epcisBody.eventList[2].action``) and GS1's reason, in a
stable order (by path, then message), so a refusal can name what to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

EPCIS_SCHEMA_FILE = "EPCIS-JSON-Schema.json"
QUERY_SCHEMA_FILE = "query-schema.json"
EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
# RFC 3339 date-time (EPCIS times must carry their offset), checked by the project rather than
# left to whichever optional format package happens to be installed.
_RFC3339_DATE_TIME = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)"
)


@dataclass(frozen=True, order=True)
class SchemaError:
    """One way a document breaks GS1's schema: where (a JSON path) and why."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


def validate_document(document: Any) -> list[SchemaError]:
    """The schema's complaints about an EPCISDocument or EPCISQueryDocument (or a single event
    with its own ``@context``, which the schema also accepts); empty when it is valid."""
    return _errors(_epcis_validator(), document)


def validate_event(event: Mapping[str, Any]) -> list[SchemaError]:
    """The schema's complaints about one event, with paths from the event (``$.action``).

    The schema accepts an event on its own only with an ``@context``; an event as the platform
    builds it for a document has none, so it is checked inside a minimal EPCISDocument and the
    paths are given back relative to the event.
    """
    if "@context" in event:
        return validate_document(event)
    document = {
        "@context": [EPCIS_CONTEXT_URL],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2000-01-01T00:00:00Z",
        "epcisBody": {"eventList": [dict(event)]},
    }
    prefix = "$.epcisBody.eventList[0]"
    return sorted(
        SchemaError("$" + error.path[len(prefix) :], error.message)
        for error in validate_document(document)
        if error.path.startswith(prefix)
    )


def validate_query(query: Any) -> list[SchemaError]:
    """The complaints of GS1's query schema (REST binding) about a query definition."""
    return _errors(_query_validator(), query)


def _errors(validator: Draft7Validator, instance: Any) -> list[SchemaError]:
    return sorted({_as_schema_error(_most_specific(e)) for e in validator.iter_errors(instance)})


def _most_specific(error: ValidationError) -> ValidationError:
    """For "valid under none of these" (``anyOf``/``oneOf``), the alternative that came nearest:
    it names the field that is wrong rather than the whole object."""
    while error.context:
        nearest = best_match(error.context)
        if nearest is None:
            break
        error = nearest
    return error


def _as_schema_error(error: ValidationError) -> SchemaError:
    return SchemaError(json_path(error.absolute_path), error.message)


def json_path(parts: Iterable[str | int]) -> str:
    """``$.a.b[2].c`` from the parts of a path; a key that is not a plain name is quoted."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.replace("_", "a").isalnum() and not part[:1].isdigit():
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


@cache
def _epcis_validator() -> Draft7Validator:
    return _validator(EPCIS_SCHEMA_FILE)


@cache
def _query_validator() -> Draft7Validator:
    return _validator(QUERY_SCHEMA_FILE)


def _validator(file_name: str) -> Draft7Validator:
    schema = load_standard_json(file_name)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=_FORMATS)


# Only date-time is checked as a format: GS1's own examples name documents by JSON-LD blank
# nodes (``_:document1``) where the schema says "uri", so a strict URI check would refuse them.
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _RFC3339_DATE_TIME.fullmatch(value) is not None


def load_standard_json(file_name: str) -> Any:
    """One of GS1's vendored JSON files, parsed."""
    text = resources.files("shared.epcis.standard").joinpath(file_name).read_text(encoding="utf-8")
    return json.loads(text)
