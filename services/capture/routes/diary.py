"""A plot's farm diary: its cooperative (or the household on its own plot) writes it; the
cooperative and provincial staff read it, read straight from the plot's events."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from services.capture.diary import plot_diary
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.diary import DiaryEntryBody, PlotDiary
from services.capture.writing import Write

router = APIRouter(prefix="/plots", tags=["plots"])


@router.post(
    "/{plot_id}/diary",
    status_code=201,
    summary="Record a farm diary entry (sowing, fertilising, spraying, irrigation, care)",
)
def record_diary_entry(plot_id: UUID, body: DiaryEntryBody, write: Write) -> WriteAnswer:
    return write([body.to_command(plot_id)], body)


@router.get("/{plot_id}/diary", summary="A plot's farm diary, straight from its events")
def get_diary(plot_id: UUID, capture: CaptureDep, actor: CurrentActor) -> PlotDiary:
    return plot_diary(capture.records, actor, plot_id)
