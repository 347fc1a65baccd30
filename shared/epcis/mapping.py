"""One domain envelope to its EPCIS 2.0 events: the mapping, versioned.

The projection (:mod:`shared.readmodels.units.epcis`) keeps the facts a mapping needs (which
identifier a batch has, which party and location an organisation or plot is) and hands them over
as a :class:`MappingContext`; the mapping itself is a pure function, pinned by golden files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.wire.envelope import Envelope

# Bumped whenever any event's EPCIS form changes: its eventID (a hash of that form) changes with
# it, and the projection keeps the ids exported under earlier versions resolving.
MAPPING_VERSION = 1


@dataclass(frozen=True)
class BatchRef:
    """What EPCIS names a batch by, as it stood when the event happened."""

    batch_id: str
    code: str
    epc_class: str  # a GS1 Digital Link URI once labelled, else the platform's own URI
    unit: str  # the domain unit of its quantities (kg, t, L, piece, bundle)


@dataclass(frozen=True)
class Place:
    """A party or a location: its URI (GLN-based where registered) and geography if known."""

    uri: str
    geo: dict[str, Any] | None = None  # GeoJSON, WGS84


class MappingContext(Protocol):
    """The master data a mapping reads, each as it stood at the event's position."""

    def batch(self, batch_id: str) -> BatchRef | None: ...

    def party(self, organisation_id: str) -> Place: ...

    def location_of_organisation(self, organisation_id: str) -> Place: ...

    def plot(self, plot_id: str) -> Place: ...


@dataclass(frozen=True)
class MappedEvent:
    """One EPCIS event (a JSON object, without ``eventID``) and what the query interface indexes."""

    event: dict[str, Any]
    batch_ids: tuple[str, ...]  # the batches it concerns, for who may read it
    extra: dict[str, Any] = field(default_factory=dict)


def map_envelope(envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
    """The EPCIS events of one domain event, in order; ``[]`` for master data and the rest."""
    raise NotImplementedError  # written by the mapping's owner (see docs/epcis.md)
