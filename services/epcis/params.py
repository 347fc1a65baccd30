"""The standard query's parameters, read from a request's query string into an ``EventQuery``.

The binding writes a list as pipe-delimited values (``eventType=ObjectEvent|TransformationEvent``);
a parameter given twice adds its values too. A parameter this interface does not know, or knows
and does not support, is refused by name rather than ignored: a partner who filters on it must
not take an unfiltered answer for a filtered one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from services.epcis.paging import decode_token
from services.epcis.problems import QueryParameterProblem
from shared.readmodels.epcis_query import EventQuery, Keyset

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000

EVENT_TYPES = frozenset(
    {
        "ObjectEvent",
        "AggregationEvent",
        "TransactionEvent",
        "TransformationEvent",
        "AssociationEvent",
    }
)
ACTIONS = frozenset({"ADD", "OBSERVE", "DELETE"})
# CBV 2.0 words may come bare, as their Web URI or as the EPCIS 1.x URN; stored bare.
_VOCABULARY_PREFIXES = {
    "biz_steps": ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:"),
    "dispositions": ("https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:"),
}
_LISTS = {
    "eventType": "event_types",
    "EQ_action": "actions",
    "EQ_bizStep": "biz_steps",
    "EQ_disposition": "dispositions",
    "EQ_bizLocation": "biz_locations",
    "EQ_readPoint": "read_points",
    "MATCH_epc": "epcs",
    "MATCH_anyEPC": "any_epcs",
    "MATCH_epcClass": "epc_classes",
    "EQ_eventID": "event_ids",
}
_TIMES = {
    "GE_eventTime": "ge_event_time",
    "LT_eventTime": "lt_event_time",
    "GE_recordTime": "ge_record_time",
    "LT_recordTime": "lt_record_time",
}
PAGING = ("perPage", "nextPageToken")
SUPPORTED = frozenset(_LISTS) | frozenset(_TIMES) | frozenset(PAGING)


@dataclass(frozen=True)
class EventsRequest:
    query: EventQuery
    per_page: int
    after: Keyset | None


def read_events_request(items: Iterable[tuple[str, str]]) -> EventsRequest:
    """Refuses, naming the parameter, anything unknown, unsupported or malformed."""
    lists: dict[str, list[str]] = {}
    times: dict[str, datetime] = {}
    per_page, after = DEFAULT_PER_PAGE, None
    for name, value in items:
        if name not in SUPPORTED:
            raise _unsupported(name)
        if name in _LISTS:
            lists.setdefault(_LISTS[name], []).extend(_values(name, value))
        elif name in _TIMES:
            times[_TIMES[name]] = _time(name, value)
        elif name == "perPage":
            per_page = _per_page(value)
        else:
            after = decode_token(value)
    checked = {field: _checked(field, values) for field, values in lists.items()}
    query = EventQuery(**{field: tuple(v) for field, v in checked.items()}, **times)  # type: ignore[arg-type]
    return EventsRequest(query, per_page, after)


def paging_only(items: Iterable[tuple[str, str]]) -> None:
    """The top-level collections take no filters."""
    for name, _ in items:
        if name not in PAGING:
            raise _unsupported(name)


def read_paging(items: Iterable[tuple[str, str]]) -> tuple[int, Keyset | None]:
    """``perPage`` and ``nextPageToken`` of a collection that takes no filters."""
    per_page, after = DEFAULT_PER_PAGE, None
    for name, value in items:
        if name == "perPage":
            per_page = _per_page(value)
        elif name == "nextPageToken":
            after = decode_token(value)
        else:
            msg = f"the query parameter {name} is not taken here: only perPage and nextPageToken"
            raise QueryParameterProblem(msg, parameter=name)
    return per_page, after


def _unsupported(name: str) -> QueryParameterProblem:
    known = ", ".join(sorted(SUPPORTED))
    msg = f"the query parameter {name} is unknown or not supported here: use one of {known}"
    return QueryParameterProblem(msg, parameter=name)


def _values(name: str, value: str) -> list[str]:
    values = [part.strip() for part in value.split("|")]
    if not all(values):
        msg = f"{name} has an empty value: give one or more values separated by |"
        raise QueryParameterProblem(msg, parameter=name)
    return values


def _checked(field: str, values: list[str]) -> list[str]:
    for prefix in _VOCABULARY_PREFIXES.get(field, ()):
        values = [v.removeprefix(prefix) for v in values]
    allowed = {"event_types": EVENT_TYPES, "actions": ACTIONS}.get(field)
    name = next(k for k, v in _LISTS.items() if v == field)
    wrong = [v for v in values if allowed is not None and v not in allowed]
    if wrong:
        msg = f"{name} {wrong[0]!r} is not one of {', '.join(sorted(allowed or ()))}"
        raise QueryParameterProblem(msg, parameter=name)
    return values


def _time(name: str, value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        msg = (
            f"{name} {value!r} is not a date-time with its offset:"
            " write it as 2026-03-01T08:00:00+07:00 (or …Z)"
        )
        raise QueryParameterProblem(msg, parameter=name)
    return parsed


def _per_page(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_PER_PAGE:
        msg = f"perPage {value!r} is not a whole number from 1 to {MAX_PER_PAGE}"
        raise QueryParameterProblem(msg, parameter="perPage")
    return int(value)
