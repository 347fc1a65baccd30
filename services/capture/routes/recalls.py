"""A recall's process: the holders' steps, lifting, and reading a recall.

A recall is opened with ``POST /batches/{ref}/recall`` (``drill: true`` for a mock recall); its
answer names the ``recall_id`` these routes take. Who may do what is the records' rule
(:mod:`shared.domain.recall`): a holder of affected lots opens the notice, acknowledges and
reports; the issuer or provincial staff lift it.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.recalls import (
    AcknowledgeBody,
    LiftBody,
    NoticeBody,
    RecallOut,
    ReturnsBody,
    recall_out,
)
from services.capture.writing import Write
from shared.domain.errors import NotFound

router = APIRouter(prefix="/recalls", tags=["recalls"])
RecallId = Annotated[UUID, Path(description="the recall_id its opening answered")]


@router.get("/{recall_id}", summary="A recall: its scope, holders' lots and what is outstanding")
def get_recall(recall_id: RecallId, capture: CaptureDep, actor: CurrentActor) -> RecallOut:
    recall = capture.records.recall(recall_id)
    # ARCHITECTURE.md, "Who may read what": staff and the issuer in full, a holder its own part.
    if actor.is_staff or (actor.organisation_id and actor.organisation_id == recall.issued_by):
        return recall_out(recall, lots_of=None)
    if actor.organisation_id in recall.holders():
        return recall_out(recall, lots_of=actor.organisation_id)
    raise NotFound(f"no recall {recall_id}", params={"id": recall_id})


@router.post("/{recall_id}/notice", summary="Record that a holder's staff opened the notice")
def open_notice(recall_id: RecallId, body: NoticeBody, write: Write) -> WriteAnswer:
    return write([body.to_command(recall_id)], body)


@router.post("/{recall_id}/acknowledgements", summary="Acknowledge a recall, as a holder")
def acknowledge(recall_id: RecallId, body: AcknowledgeBody, write: Write) -> WriteAnswer:
    return write([body.to_command(recall_id)], body)


@router.post("/{recall_id}/returns", summary="Report what was withdrawn or destroyed of a lot")
def report_returns(recall_id: RecallId, body: ReturnsBody, write: Write) -> WriteAnswer:
    return write([body.to_command(recall_id)], body)


@router.post("/{recall_id}/lift", summary="Lift a recall (issued in error, or a clean retest)")
def lift(recall_id: RecallId, body: LiftBody, write: Write) -> WriteAnswer:
    return write([body.to_command(recall_id)], body)
