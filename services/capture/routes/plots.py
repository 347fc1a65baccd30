"""Plots (vùng trồng): a cooperative registers its own; staff may register any."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.plots import CertifyPlotBody, RegisterPlotBody
from services.capture.writing import Write

router = APIRouter(prefix="/plots", tags=["plots"])


@router.post("", status_code=201, summary="Register a plot with its location (GeoJSON)")
def register_plot(body: RegisterPlotBody, write: Write) -> WriteAnswer:
    return write([body.to_command()], body)


@router.post("/{plot_id}/certifications", summary="Record a plot's certification")
def certify_plot(plot_id: UUID, body: CertifyPlotBody, write: Write) -> WriteAnswer:
    return write([body.to_command(plot_id)], body)
