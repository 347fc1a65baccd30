"""Who owns a GTIN, read from the event store: for staff, and for the owner itself."""

from __future__ import annotations

from services.capture.schemas.gtins import GtinOwnerOut, LicenceOut
from shared.domain import identifiers
from shared.domain.errors import NotFound, NotPermitted
from shared.records.actors import Actor
from shared.records.application import Records


def gtin_owner(records: Records, actor: Actor, gtin: str) -> GtinOwnerOut:
    gtin14 = identifiers.gtin14(gtin)
    ownership = records.gtin_ownership(gtin14)
    if not actor.is_staff and (ownership is None or actor.organisation_id != ownership.owner_id):
        msg = "only provincial staff and the GTIN's owner see who owns it"
        raise NotPermitted(msg, code="staff_only", params={"what": "see who owns a GTIN"})
    if ownership is None:
        msg = f"GTIN {gtin14} is registered to no organisation"
        raise NotFound(msg, params={"id": gtin14})
    return GtinOwnerOut(
        gtin=gtin14,
        registered=ownership.key,
        owner_id=str(ownership.owner_id),
        licences=[LicenceOut(**licence) for licence in ownership.licensees],
    )
