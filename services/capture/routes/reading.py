"""Reading batches: any token may read (in full or the public view, see ``reading``);
cooperatives and enterprises list only their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.capture import reading
from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from services.capture.schemas.answers import BatchHistory, BatchList, BatchState
from services.capture.schemas.common import NO_NUL

router = APIRouter(prefix="/batches", tags=["batches"])
Ref = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        pattern=NO_NUL,
        description="batch code (TH-2026-000123) or id",
    ),
]


@router.get(
    "",
    summary="List batches (from the read model; after_position reads your own writes)",
    responses={503: {"description": "the list has not reached after_position in time"}},
)
def list_batches(
    query: Annotated[reading.ListQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> BatchList:
    return reading.search(capture, actor, query)


@router.get("/{ref}", summary="A batch's current state, straight from its events")
def get_batch(ref: Ref, capture: CaptureDep, actor: CurrentActor) -> BatchState:
    return reading.batch_state(capture.records, actor, ref)


@router.get("/{ref}/events", summary="A batch's full history, as published event envelopes")
def get_history(ref: Ref, capture: CaptureDep, actor: CurrentActor) -> BatchHistory:
    return reading.batch_history(capture.records, actor, ref)
