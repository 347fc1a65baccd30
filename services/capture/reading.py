"""Reads for the API: a batch straight from the event store, and the list from the read model.

A batch's state and history come from its events, so they are exact the moment a write is
answered. They are read in full by staff and by the organisations that hold or held the batch
or were sent it; anyone else gets the public view (no quantities, holders, recipients or
event payloads), as the handbook's "Who may read what" says.

The list comes from the projections: a client that names ``after_position`` waits (bounded)
until they have applied its write, or gets 503 with Retry-After — never a list that silently
lacks what it just wrote. A position beyond the last stored one is refused at once (422).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from services.capture.context import Capture, CaptureDep
from services.capture.errors import PositionNotStored, ProjectionsBehind
from services.capture.schemas.answers import (
    BatchHistory,
    BatchList,
    BatchState,
    EventOut,
    QuantityOut,
)
from services.capture.schemas.common import NO_NUL, POSTGRES_BIGINT_MAX
from shared.domain.batch import Batch, BatchStatus
from shared.domain.errors import NotFound, NotPermitted
from shared.readmodels.provenance import digest
from shared.records.actors import Actor
from shared.records.application import Records
from shared.records.publishing import to_envelope
from shared.records.unit_of_work import batch_id_from
from shared.wire.envelope import Envelope

MAX_PAGE = 500


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    holder: UUID | None = Field(
        default=None, description="staff: any organisation; others: only their own (default)"
    )
    commodity: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    status: BatchStatus | None = None
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(
        default=None, max_length=100, pattern=NO_NUL, description="next_cursor of a page"
    )
    after_position: int | None = Field(
        default=None,
        ge=0,
        le=POSTGRES_BIGINT_MAX,
        description="wait until the list reflects this write position (one a write answered"
        " with; a position beyond the last stored is refused at once)",
    )


def batch_state(records: Records, actor: Actor, ref: str) -> BatchState:
    events = _batch_events(records, ref)
    # The state as the records application gives it (the write side's own view of the batch),
    # so that every read agrees with what a command would be judged against.
    batch = records.batch(events[0].originator_id)
    full = _sees_in_full(actor, events)
    harvested_on = getattr(batch, "harvested_on", None)
    return BatchState(
        batch_id=str(batch.id),
        code=batch.code,
        view="full" if full else "public",
        commodity=batch.commodity,
        variety=batch.variety,
        quantity=QuantityOut(**batch.quantity.as_dict()) if full else None,
        holder_id=_text(batch.holder_id) if full else None,
        status=batch.status.value,
        recalled=batch.recalled,
        in_transit_to=_text(batch.in_transit_to) if full else None,
        gtin=batch.gtin,
        lot=batch.lot,
        harvested_on=None if harvested_on is None else harvested_on.isoformat(),
        plot_ids=[str(p) for p in getattr(batch, "plot_ids", [])],
        parent_ids=[str(p) for p in getattr(batch, "parent_ids", [])],
        value_chain_ids=[str(c) for c in batch.value_chain_ids],
        version=batch.version,
    )


def batch_history(records: Records, actor: Actor, ref: str) -> BatchHistory:
    events = _batch_events(records, ref)
    batch_id = events[0].originator_id
    full = _sees_in_full(actor, events)
    positions = records.positions_of(batch_id)
    envelopes = [to_envelope(e, positions[e.originator_version], "Batch") for e in events]
    return BatchHistory(
        batch_id=str(batch_id),
        code=events[0].code,  # type: ignore[attr-defined]
        view="full" if full else "public",
        events=[_event_out(envelope, full) for envelope in envelopes],
    )


def _batch_events(records: Records, ref: str) -> list[DomainEventProtocol[UUID]]:
    events = records.history(batch_id_from(ref))
    if not events or not isinstance(events[0], Batch.Harvested | Batch.Produced):
        # Named as the user wrote it: the id behind a code means nothing to them.
        msg = f"no batch {ref}: check the code (e.g. TH-2026-000123) or the id"
        raise NotFound(msg, params={"id": ref})
    return events


def _sees_in_full(actor: Actor, events: list[DomainEventProtocol[UUID]]) -> bool:
    """Staff, and every organisation that holds or held the batch or was sent it
    (the handbook's "Who may read what"); everyone else gets the public view."""
    if actor.is_staff:
        return True
    return actor.organisation_id is not None and actor.organisation_id in _parties(events)


def _parties(events: list[DomainEventProtocol[UUID]]) -> set[UUID]:
    parties: set[UUID] = set()
    for event in events:
        if isinstance(event, Batch.Harvested | Batch.Produced):
            parties.add(event.holder_id)
        elif isinstance(event, Batch.Shipped):  # type: ignore[attr-defined]
            parties.add(event.to)
    return parties


def _event_out(envelope: Envelope, full: bool) -> EventOut:
    fields = asdict(envelope)
    if not full:
        fields["payload"] = None
    return EventOut(**fields, digest=digest(envelope.to_json().decode()))


def search(capture: Capture, actor: Actor, query: ListQuery) -> BatchList:
    holder = _holder_scope(actor, query.holder)
    if query.after_position is not None:
        _wait_for(capture, query.after_position, "the batch list")
    found = capture.catalogue.search(
        holder,
        query.commodity,
        None if query.status is None else query.status.value,
        query.limit + 1,  # one more than asked tells whether there is a next page
        query.cursor,
    )
    page = found[: query.limit]
    more = len(found) > query.limit
    return BatchList(batches=page, next_cursor=page[-1]["code"] if more else None)


def caught_up(
    capture: CaptureDep,
    after_position: Annotated[
        int | None,
        Query(
            ge=0,
            le=POSTGRES_BIGINT_MAX,
            description="wait until the answer reflects this write position (one a write"
            " answered with; a position beyond the last stored is refused at once)",
        ),
    ] = None,
) -> None:
    """Read-your-writes for the registry's pages of one, as for the batch list."""
    wait_for_registry(capture, after_position)


def wait_for_registry(capture: Capture, after_position: int | None) -> None:
    if after_position is not None:
        _wait_for(capture, after_position, "the registry")


def _wait_for(capture: Capture, position: int, what: str) -> None:
    _check_stored(capture.records, position)
    if not capture.catalogue.wait_for(position, capture.read_wait_timeout):
        msg = f"{what} has not reached position {position} yet"
        raise ProjectionsBehind(msg, params={"position": position})


def _check_stored(records: Records, position: int) -> None:
    # A position no write has reached would be waited for in vain: say so at once.
    last = records.position()
    if position > last:
        raise PositionNotStored(position, last)


def _holder_scope(actor: Actor, holder: UUID | None) -> UUID | None:
    if actor.is_staff:
        return holder
    own = actor.organisation("list batches")
    if holder is not None and holder != own:
        msg = "an organisation lists only the batches it holds"
        raise NotPermitted(msg, code="not_own", params={"what": "list batches"})
    return own


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
