"""What capture reads EPCIS events with: the write side it resolves names through, CBV words in
each of their spellings, JSON paths into the document, and the units it translates events in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote
from uuid import UUID

from shared.domain import identifiers as domain_ids
from shared.domain.quantities import Unit
from shared.epcis import identifiers, vocabulary

UNITS = {code: Unit(unit) for unit, code in vocabulary.UOM.items()}
_OLD_CBV = {"BizStep": "bizstep", "Disp": "disp", "BTT": "btt", "SDT": "sdt"}


@dataclass(frozen=True)
class Place:
    """What a location or party URI names here: an organisation, and the plot if it is one."""

    organisation_id: UUID
    plot_id: UUID | None = None


class WriteSide(Protocol):
    """The names capture resolves, as the event store has them now."""

    def bound_lot(self, epc_class: str) -> str | None:
        """The code of the batch a partner's class was bound to on capture, if any."""

    def labelled_lot(self, gtin14: str, lot: str) -> str | None:
        """The code of the batch a GTIN + lot names, if any."""

    def batch_exists(self, code: str) -> bool: ...

    def gln(self, gln: str) -> Place | None: ...

    def organisation(self, organisation_id: UUID) -> Place | None: ...

    def plot(self, plot_id: UUID) -> Place | None: ...

    def value_chain_exists(self, value_chain_id: UUID) -> bool: ...

    def chains_taken_part_in(self, organisation_id: UUID, commodity: str) -> list[UUID]: ...

    def recall_exists(self, recall_id: UUID) -> bool: ...

    def open_recall(self, batch_code: str) -> UUID | None:
        """The open (not drill) recall that reaches the batch, if any."""


def path(index: int, field: str = "") -> str:
    """``$.epcisBody.eventList[3].bizLocation.id``; keys with a colon in brackets."""
    steps = "".join(
        step if step.startswith("[") else (f"['{step}']" if ":" in step else f".{step}")
        for step in _steps(field)
    )
    return f"$.epcisBody.eventList[{index}]{steps}"


def _steps(field: str) -> Iterator[str]:
    for part in filter(None, field.split(".")):
        name, bracket, rest = part.partition("[")
        if name:
            yield name
        if bracket:
            yield f"[{rest}"


def cbv_word(value: Any, vocabulary_name: str) -> str | None:
    """A CBV word, bare, from any of its spellings (bare, GS1 web URI, EPCIS 1.x URN)."""
    if not isinstance(value, str):
        return None
    for prefix in (
        f"https://ref.gs1.org/cbv/{vocabulary_name}-",
        f"urn:epcglobal:cbv:{_OLD_CBV[vocabulary_name]}:",
    ):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def transformation_groups(events: list[dict[str, Any]]) -> list[list[int]]:
    """The document's events in translation units: one per event, except that the events of
    one transformation (sharing a ``transformationID``) make one unit, at the first's place."""
    units: list[list[int]] = []
    by_id: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        key = event.get("transformationID")
        grouped = (
            event.get("type") == "TransformationEvent"
            and cbv_word(event.get("bizStep"), "BizStep") != "commissioning"
        )
        if not grouped or not isinstance(key, str):
            units.append([index])
        elif key in by_id:
            by_id[key].append(index)
        else:
            units.append([index])
            by_id[key] = units[-1]
    return units


def platform_code(epc_class: str) -> str | None:
    if not epc_class.startswith(identifiers.BATCH):
        return None
    code = unquote(epc_class[len(identifiers.BATCH) :])
    return code if domain_ids.is_batch_code(code) else None


def parse_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None
