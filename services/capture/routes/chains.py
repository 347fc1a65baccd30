"""Value chains: established by staff, with participants and linkage contracts."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.chains import (
    EndContractBody,
    EstablishValueChainBody,
    JoinBody,
    LeaveBody,
    SignContractBody,
)
from services.capture.writing import Write

router = APIRouter(prefix="/value-chains", tags=["value chains"])
ContractNumber = Annotated[
    str, Path(min_length=1, description="may contain /, e.g. 01/2025/HĐLK", max_length=60)
]


@router.post("", status_code=201, summary="Establish a value chain with its lead (staff)")
def establish(body: EstablishValueChainBody, write: Write) -> WriteAnswer:
    return write([body.to_command()], body)


@router.post("/{value_chain_id}/participants", summary="Add a participant with a role (staff)")
def join(value_chain_id: UUID, body: JoinBody, write: Write) -> WriteAnswer:
    return write([body.to_command(value_chain_id)], body)


@router.post(
    "/{value_chain_id}/participants/{organisation_id}/departure",
    summary="Record that a participant left the chain (staff)",
)
def leave(
    value_chain_id: UUID, organisation_id: UUID, body: LeaveBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(value_chain_id, organisation_id)], body)


@router.post(
    "/{value_chain_id}/contracts", summary="Record a linkage contract (Decree 98/2018) (staff)"
)
def sign_contract(value_chain_id: UUID, body: SignContractBody, write: Write) -> WriteAnswer:
    return write([body.to_command(value_chain_id)], body)


@router.post(
    "/{value_chain_id}/contracts/{contract_number:path}/end",
    summary="Record that a linkage contract ended (staff)",
)
def end_contract(
    value_chain_id: UUID, contract_number: ContractNumber, body: EndContractBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(value_chain_id, contract_number)], body)
