"""Cooperatives and enterprises: registered, reclassified and supported by provincial staff."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.organisations import (
    ExpireCertificationBody,
    GrantCertificationBody,
    ReclassifyBody,
    RegisterCooperativeBody,
    RegisterEnterpriseBody,
    StatusBody,
    SupportBody,
)
from services.capture.schemas.standing import (
    EnterpriseStatusBody,
    ProfileVisibilityBody,
    PublicationBody,
)
from services.capture.writing import Write

router = APIRouter(tags=["organisations"])
Certificate = Annotated[
    str, Path(min_length=1, description="may contain /, e.g. 01/2025/HĐLK", max_length=200)
]


@router.post("/cooperatives", status_code=201, summary="Register a cooperative (staff)")
def register_cooperative(body: RegisterCooperativeBody, write: Write) -> WriteAnswer:
    return write([body.to_command()], body)


@router.post("/enterprises", status_code=201, summary="Register an enterprise (staff)")
def register_enterprise(body: RegisterEnterpriseBody, write: Write) -> WriteAnswer:
    return write([body.to_command()], body)


@router.post(
    "/cooperatives/{cooperative_id}/reclassification",
    summary="Reclassify an old-model cooperative as new-model (staff)",
)
def reclassify(cooperative_id: UUID, body: ReclassifyBody, write: Write) -> WriteAnswer:
    return write([body.to_command(cooperative_id)], body)


@router.post(
    "/cooperatives/{cooperative_id}/status",
    summary="Change a cooperative's status: suspended, dissolving, dissolved… (staff)",
)
def change_status(cooperative_id: UUID, body: StatusBody, write: Write) -> WriteAnswer:
    return write([body.to_command(cooperative_id)], body)


@router.post(
    "/enterprises/{enterprise_id}/status",
    summary="Change an enterprise's status: active, suspended, dissolved (staff)",
)
def change_enterprise_status(
    enterprise_id: UUID, body: EnterpriseStatusBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(enterprise_id)], body)


@router.post(
    "/organisations/{organisation_id}/publication",
    summary="Decide whether buyers see the quantities of the organisation's lots (itself, staff)",
)
def change_publication(organisation_id: UUID, body: PublicationBody, write: Write) -> WriteAnswer:
    return write([body.to_command(organisation_id)], body)


@router.post(
    "/cooperatives/{cooperative_id}/profile",
    summary="Decide whether the public pages show the cooperative (itself, staff)",
)
def change_profile_visibility(
    cooperative_id: UUID, body: ProfileVisibilityBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(cooperative_id)], body)


@router.post(
    "/cooperatives/{cooperative_id}/support",
    summary="Record support given: fund loan, training, grant (staff)",
)
def record_support(cooperative_id: UUID, body: SupportBody, write: Write) -> WriteAnswer:
    return write([body.to_command(cooperative_id)], body)


@router.post(
    "/organisations/{organisation_id}/certifications",
    summary="Record a certification granted to an organisation: VietGAP, OCOP… (staff)",
)
def grant_certification(
    organisation_id: UUID, body: GrantCertificationBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(organisation_id)], body)


@router.post(
    "/organisations/{organisation_id}/certifications/{certificate:path}/expiry",
    summary="Record that an organisation's certification expired or was withdrawn (staff)",
)
def expire_certification(
    organisation_id: UUID, certificate: Certificate, body: ExpireCertificationBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(organisation_id, certificate)], body)
