"""GTINs: an organisation registers its own (or its company prefix) and licenses chain partners.

Labelling a batch (``POST /batches/{ref}/labels``) then checks the GTIN against these records,
and that the GTIN + lot names no other batch.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from services.capture import ownership
from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep, connections_of
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.gtins import (
    GtinOwnerOut,
    LicenceBody,
    ProductBody,
    RegisterGtinBody,
    RevocationBody,
)
from services.capture.writing import Write
from shared.domain.errors import InvalidValue
from shared.products import photos

router = APIRouter(tags=["gtins"])
Gtin = Annotated[str, Path(min_length=8, max_length=14, description="a GTIN with check digit")]


@router.post(
    "/organisations/{organisation_id}/gtins",
    status_code=201,
    summary="Register a GTIN, or a GS1 company prefix, the organisation owns (itself, staff)",
)
def register_gtin(organisation_id: UUID, body: RegisterGtinBody, write: Write) -> WriteAnswer:
    return write([body.to_command(organisation_id)], body)


@router.post(
    "/gtins/{gtin}/licences",
    status_code=201,
    summary="License a partner in one of the owner's chains to label with a GTIN (owner, staff)",
)
def license_gtin(gtin: Gtin, body: LicenceBody, write: Write) -> WriteAnswer:
    return write([body.to_command(gtin)], body)


@router.post(
    "/gtins/{gtin}/licences/{licensee_id}/revocation",
    summary="Revoke a partner's licence to label with a GTIN (owner, staff)",
)
def revoke_licence(
    gtin: Gtin, licensee_id: UUID, body: RevocationBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(gtin, licensee_id)], body)


@router.get("/gtins/{gtin}", summary="Who owns a GTIN, and whom it licensed (staff, the owner)")
def gtin_owner(gtin: Gtin, capture: CaptureDep, actor: CurrentActor) -> GtinOwnerOut:
    return ownership.gtin_owner(capture.records, actor, gtin)


@router.put(
    "/gtins/{gtin}/product",
    summary="Say what a GTIN's product is: names (vi, en), brand, shelf life, photo (the owner)",
)
def describe_product(
    gtin: Gtin, body: ProductBody, capture: CaptureDep, write: Write
) -> WriteAnswer:
    if body.photo is not None and not photos.exists(connections_of(capture.records), body.photo):
        # The domain only sees a name: whether a photo of that name was stored is told here.
        msg = "no photo of that name is stored: upload it in the app first (/app/products)"
        raise InvalidValue("photo", msg, code="photo_not_stored", params={"photo": body.photo})
    return write([body.to_command(gtin)], body)
