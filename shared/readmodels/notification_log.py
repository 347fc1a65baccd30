"""Reading the event store's notification log as wire envelopes, as the relay publishes them.

Both in-process readers (the live source and the rebuild) go through here, so the projections
see the same envelopes in embedded mode as they would from Kafka.

A rebuild reads the whole log, and turning a million stored events into domain objects and
back into envelopes was most of its time (profiled on the dashboard bench: 110 µs an event, a
third of the rebuild). :class:`LogReader` builds the same envelope straight from the stored
JSON for the event classes where that is plainly the same thing: no upcaster (``class_version``
1), not declared on a class shared by several aggregate types, no cipher or compressor. Every
other event goes through the records application's own ``envelope``. A test pins the two
paths to equal envelopes over a world of every event type.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic

from shared.domain.identifiers import NAMESPACE
from shared.errors import NguonError
from shared.records.application import Records
from shared.records.envelopes import shared_event_class
from shared.records.publishing import json_safe
from shared.wire.envelope import SCHEMA_VERSION, Envelope

Page = list[tuple[int, Envelope]]


def envelope_of(records: Records, notification: Notification) -> Envelope:
    return records.envelope(notification)


def envelopes_of(records: Records, notifications: Sequence[Notification]) -> Page:
    return [(n.id, envelope_of(records, n)) for n in notifications]


_HEADER = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})
_ABSENT = object()
_KINDS_KEPT = 100_000


class _Untranscodable(NguonError):
    """A stored value of a type this reader does not decode: the slow path decodes it."""


@dataclass(frozen=True)
class _Shape:
    """What an event class's envelope is made of: its wire name parts and payload fields."""

    class_name: str  # the aggregate class the event is declared on
    event: str
    fields: tuple[tuple[str, Any], ...]  # name, JSON-safe default (or _ABSENT)
    shared: bool  # declared on a base class: the aggregate's kind is that of its first event


def _hex_uuid(data: str) -> str:
    if len(data) == 32 and data.islower():  # as ``UUID.hex`` writes it: cut, not parsed
        return f"{data[:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:]}"
    return str(UUID(hex=data))


def _utc_iso(data: str) -> str:
    if data.endswith("+00:00"):  # written by ``isoformat`` in UTC already
        return data
    return datetime.fromisoformat(data).astimezone(UTC).isoformat()


def _same(data: Any) -> Any:
    return data


# The stored JSON's transcoded values, as ``json_safe`` writes the decoded objects: a date and a
# decimal are stored as the very strings it gives back; a datetime is put in UTC.
_DECODE = {"uuid_hex": _hex_uuid, "datetime_iso": _utc_iso, "date_iso": _same, "decimal_str": _same}


def _untranscoded(d: dict[str, Any]) -> Any:
    if len(d) == 2 and "_type_" in d and "_data_" in d:
        decode = _DECODE.get(d["_type_"])
        if decode is None:
            raise _Untranscodable(d["_type_"])
        return decode(d["_data_"])
    return d


_DECODER = json.JSONDecoder(object_hook=_untranscoded)


class LogReader:
    """Stored notifications → envelopes, equal to ``Records.envelope``'s, most without the
    domain objects in between."""

    def __init__(self, records: Records) -> None:
        self._records = records
        mapper = records.mapper
        self._plain = not (mapper.cipher or mapper.compressor)
        self._shapes: dict[str, _Shape | None] = {}
        # aggregate id -> the class of its first event, as created events pass (certifications
        # are declared on the organisation's base class); most recent first out, as the
        # records application's own.
        self._kinds: OrderedDict[str, str] = OrderedDict()

    def envelopes(self, notifications: Sequence[Notification]) -> list[Envelope]:
        return [self.envelope(n) for n in notifications]

    def envelope(self, notification: Notification) -> Envelope:
        shape = self._shape(notification.topic) if self._plain else None
        if shape is not None:
            try:
                return self._fast(shape, notification)
            except (_Untranscodable, KeyError):
                pass  # a value, field or kind the fast path does not know: the long way
        return self._records.envelope(notification)

    def _fast(self, shape: _Shape, notification: Notification) -> Envelope:
        state = _DECODER.decode(notification.state.decode())
        originator_id = str(notification.originator_id)
        topic = state.get("originator_topic")
        if topic:
            aggregate = str(topic).rsplit(":", 1)[-1].rsplit(".", 1)[-1]
            self._kinds[originator_id] = notification.topic.rsplit(":", 1)[-1].split(".")[0]
            if len(self._kinds) > _KINDS_KEPT:
                self._kinds.popitem(last=False)
        elif shape.shared:
            aggregate = self._kinds[originator_id]  # not seen: KeyError, the long way
        else:
            aggregate = shape.class_name
        return _envelope(shape, notification, state, aggregate, originator_id)

    def _shape(self, topic: str) -> _Shape | None:
        if topic not in self._shapes:
            self._shapes[topic] = _shape_of(topic)
        return self._shapes[topic]


def _shape_of(topic: str) -> _Shape | None:
    cls = resolve_topic(topic)
    if not isinstance(cls, type) or not is_dataclass(cls):
        return None
    if getattr(cls, "class_version", 1) != 1:
        return None
    declared: list[tuple[str, Any]] = []
    for f in fields(cls):
        if f.name in _HEADER:
            continue
        # A field missing from older stored events reads as its class default; a default
        # made by a factory is no class attribute (the long way fails there, as it should).
        plain = isinstance(f.default, str | int | float | bool) or f.default is None
        default = json_safe(f.default) if f.default is not MISSING and plain else _ABSENT
        declared.append((f.name, default))
    qualname = cls.__qualname__
    return _Shape(
        qualname.split(".")[0],
        qualname.rsplit(".", 1)[-1],
        tuple(declared),
        shared=shared_event_class(cls),
    )


def _envelope(
    shape: _Shape,
    notification: Notification,
    state: dict[str, Any],
    aggregate: str,
    originator_id: str,
) -> Envelope:
    payload: dict[str, Any] = {}
    for name, default in shape.fields:
        value = state.get(name, default)
        if value is _ABSENT:
            raise KeyError(name)
        payload[name] = value
    version = notification.originator_version
    return Envelope(
        event_id=str(uuid5(NAMESPACE, f"{originator_id}:{version}")),
        type=f"{aggregate}.{shape.event}",
        aggregate_type=aggregate,
        aggregate_id=originator_id,
        aggregate_version=version,
        position=notification.id,
        occurred_at=state["timestamp"],
        schema_version=SCHEMA_VERSION,
        payload=payload,
    )
