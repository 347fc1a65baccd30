"""Stored notifications → wire envelopes, naming the concrete aggregate type of every event.

The relay and the in-process sources (live projections, rebuild) all go through here, so the
read models see the same envelopes whichever way the events came.

Events declared on a base aggregate class (``Organisation.CertificationGranted``, shared by
cooperatives and enterprises) do not say which kind of aggregate they belong to; the wire type
must (``Cooperative.CertificationGranted``). The kind is the class of the aggregate's first
event, remembered as created events pass and looked up once otherwise.
"""

from __future__ import annotations

import importlib
from collections import OrderedDict
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

from shared.records.publishing import to_envelope
from shared.wire.envelope import Envelope


class EnvelopeMaker:
    def __init__(
        self, recorder: ApplicationRecorder, mapper: Mapper[UUID], cache_size: int = 100_000
    ) -> None:
        self._recorder = recorder
        self._mapper = mapper
        self._kinds: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size
        self._shared_classes: dict[type, bool] = {}

    def envelope(self, notification: Notification) -> Envelope:
        event = self._mapper.to_domain_event(notification)
        originator_id = str(notification.originator_id)
        if getattr(event, "originator_topic", None):
            self._remember(originator_id, _class_name(notification.topic))
            return to_envelope(event, notification.id)
        if not self._declared_on_shared_class(type(event)):
            return to_envelope(event, notification.id)
        return to_envelope(event, notification.id, kind=self._kind_of(originator_id))

    def _kind_of(self, originator_id: str) -> str:
        kind = self._kinds.get(originator_id)
        if kind is None:
            first = self._recorder.select_events(UUID(originator_id), lte=1, limit=1)
            if not first:
                msg = f"aggregate {originator_id} has events but no first event"
                raise LookupError(msg)
            kind = _class_name(first[0].topic)
            self._remember(originator_id, kind)
        return kind

    def _remember(self, originator_id: str, kind: str) -> None:
        self._kinds[originator_id] = kind
        if len(self._kinds) > self._cache_size:
            self._kinds.popitem(last=False)

    def _declared_on_shared_class(self, event_class: type) -> bool:
        shared = self._shared_classes.get(event_class)
        if shared is None:
            shared = shared_event_class(event_class)
            self._shared_classes[event_class] = shared
        return shared


def shared_event_class(event_class: type) -> bool:
    """Whether the event is declared on a base class of several aggregate types (its wire type
    needs the aggregate's kind, which the event does not say)."""
    owner = _owner_class(event_class)
    return owner is not None and bool(owner.__subclasses__())


def _class_name(topic: str) -> str:
    """``shared.domain.organisations:Cooperative.Registered`` → ``Cooperative``."""
    return topic.rsplit(":", 1)[-1].split(".", maxsplit=1)[0]


def _owner_class(event_class: type) -> Any:
    module = importlib.import_module(event_class.__module__)
    return getattr(module, event_class.__qualname__.split(".")[0], None)
