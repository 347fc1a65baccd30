"""What happens to batches: harvest, processing, shipping… and N → M transformations.

Only the organisation holding a batch acts on it (the addressee receives it; a recall may also
come from the chain's lead or provincial staff): the records refuse anyone else with 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.batches import (
    CertifyBatchBody,
    CorrectBody,
    HarvestBody,
    InspectBody,
    LabelBody,
    ProcessBody,
    RecallBody,
    ReceiveBody,
    SellBody,
    ShipBody,
    TransformBody,
)
from services.capture.writing import Write, harvested, transformed

router = APIRouter(tags=["batches"])
Ref = Annotated[
    str, Path(min_length=1, max_length=100, description="batch code (TH-2026-000123) or id")
]


@router.post("/batches", status_code=201, summary="Record a harvest: a new batch from plots")
def harvest(body: HarvestBody, write: Write) -> WriteAnswer:
    return write([body.to_command()], body, harvested)


@router.post("/batches/{ref}/processing", summary="Record processing in place (drying, milling…)")
def process(ref: Ref, body: ProcessBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/shipments", summary="Ship a batch to another organisation")
def ship(ref: Ref, body: ShipBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/receipts", summary="Receive a batch shipped to you")
def receive(ref: Ref, body: ReceiveBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/inspections", summary="Record a lab inspection (pass or fail)")
def inspect(ref: Ref, body: InspectBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/certifications", summary="Record a batch's certification")
def certify(ref: Ref, body: CertifyBatchBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/labels", summary="Assign GTIN and lot; record QR labels issued")
def label(ref: Ref, body: LabelBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/recall", summary="Recall a batch (and so its descendants)")
def recall(ref: Ref, body: RecallBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post("/batches/{ref}/sale", summary="Record that a batch was sold or consumed")
def sell(ref: Ref, body: SellBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post(
    "/batches/{ref}/corrections", summary="Correct an earlier event (history is never edited)"
)
def correct(ref: Ref, body: CorrectBody, write: Write) -> WriteAnswer:
    return write([body.to_command(ref)], body)


@router.post(
    "/transformations",
    status_code=201,
    summary="Transform N input batches into M new batches (split, merge, packing)",
)
def transform(body: TransformBody, write: Write) -> WriteAnswer:
    return write([body.to_command()], body, transformed)
