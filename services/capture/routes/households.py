"""A cooperative's member households: its private registry, for itself and provincial staff.

Registering seals the reference, head's name and phone with the household's own key; forgetting
deletes that key, so everything sealed for the household becomes unreadable everywhere. The list
opens the sealed values as it answers (``shared.readmodels.households``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep, connections_of
from services.capture.reading import caught_up
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.household_answers import HouseholdList, HouseholdOut
from services.capture.schemas.households import RegisterHouseholdBody
from services.capture.writing import Write
from shared.domain.errors import NotPermitted
from shared.readmodels.households import PostgresHouseholds
from shared.records import commands as c
from shared.records.actors import Role

router = APIRouter(prefix="/cooperatives/{cooperative_id}/households", tags=["households"])
_PRIVATE: dict[int | str, dict[str, Any]] = {
    403: {"description": "not this cooperative (nor provincial staff)"},
    503: {"description": "the registry has not reached after_position in time"},
}


@router.post("", status_code=201, summary="Register a member household (all its values are sealed)")
def register_household(
    cooperative_id: UUID, body: RegisterHouseholdBody, write: Write
) -> WriteAnswer:
    return write([body.to_command(cooperative_id)], body)


@router.get(
    "",
    summary="The cooperative's member households (the cooperative itself and staff only)",
    responses=_PRIVATE,
    dependencies=[Depends(caught_up)],  # ?after_position=: read your own registration
)
def list_households(
    cooperative_id: UUID, capture: CaptureDep, actor: CurrentActor
) -> HouseholdList:
    if actor.role is Role.HOUSEHOLD or not (
        actor.is_staff or actor.organisation_id == cooperative_id
    ):
        msg = "only the cooperative itself or provincial staff read its member households"
        raise NotPermitted(msg, code="households_private")
    records = capture.records
    households = PostgresHouseholds(connections_of(records), records.personal_data)
    return HouseholdList(
        households=[HouseholdOut.of(e) for e in households.registry(cooperative_id)]
    )


@router.post(
    "/{household_id}/forget",
    summary="Forget a member household at its request: its key is deleted (Decree 13/2023)",
)
def forget_household(cooperative_id: UUID, household_id: UUID, write: Write) -> WriteAnswer:
    command = c.ForgetHousehold(household_id=household_id, cooperative_id=cooperative_id)
    return write([command], f"forget {household_id}")
