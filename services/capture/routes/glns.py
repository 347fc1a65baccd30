"""GLNs: an organisation registers the GLNs it was issued, for itself or for its plots.

EPCIS then names the organisation by its party GLN and a plot by its own (see docs/epcis.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.capture.auth import CurrentActor
from services.capture.context import API_PREFIX, CaptureDep
from services.capture.reading import wait_for_registry
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.glns import GlnOut, GlnQuery, RegisterGlnBody
from services.capture.writing import Write
from shared.domain import glns
from shared.domain.errors import InvalidValue, NotFound
from shared.readmodels.registry_shapes import GlnPage
from shared.records.application import Outcome
from shared.records.results import GlnResult

router = APIRouter(tags=["glns"])
GlnPath = Annotated[str, Path(min_length=13, max_length=13, description="a GLN")]


def _located(outcome: Outcome) -> str:
    return f"{API_PREFIX}/glns/{outcome.result(GlnResult).gln}"


@router.post(
    "/glns",
    status_code=201,
    summary="Register a GLN the organisation was issued: for itself or one of its plots",
)
def register_gln(body: RegisterGlnBody, write: Write, actor: CurrentActor) -> WriteAnswer:
    owner = body.organisation_id or actor.organisation_id
    if owner is None:
        msg = "provincial staff say whose GLN it is: send organisation_id"
        raise InvalidValue("organisation_id", msg, code="organisation_required")
    return write([body.to_command(owner)], body, _located)


@router.get(
    "/glns",
    summary="List GLNs (staff: any organisation's; an organisation: its own)",
    responses={503: {"description": "the read models have not reached after_position in time"}},
)
def list_glns(
    query: Annotated[GlnQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> GlnPage:
    wait_for_registry(capture, query.after_position)
    return capture.registry.glns(actor, query.filters(), query.paging())


@router.get("/glns/{gln}", summary="Whose a GLN is, and what it names (staff, the owner)")
def gln_owner(gln: GlnPath, capture: CaptureDep, actor: CurrentActor) -> GlnOut:
    checked = glns.gln(gln)
    found = capture.records.gln(checked)
    if found is not None and not actor.is_staff and actor.organisation_id != found.owner_id:
        found = None  # another's GLN: as unknown as a GLN nobody registered
    if found is None:
        msg = f"GLN {checked} is registered to no organisation you can see"
        raise NotFound(msg, params={"id": checked})
    plot = None if found.plot_id is None else str(found.plot_id)
    return GlnOut(gln=found.gln, owner_id=str(found.owner_id), plot_id=plot)
