"""Bulk capture: many commands in one transaction (JSON), or harvests from a CSV file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from services.capture.importing import import_harvests
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.bulk import BulkRequest
from services.capture.writing import Write

router = APIRouter(prefix="/bulk", tags=["bulk"])


@router.post(
    "",
    summary="Apply many commands at once, all or nothing; $ref names an earlier command's batch",
)
def apply_bulk(body: BulkRequest, write: Write) -> WriteAnswer:
    return write([item.command() for item in body.commands], body)


@router.post(
    "/harvests.csv",
    summary="Import harvests from a CSV file (text/csv), one per row, all or nothing",
)
def import_harvest_file(
    body: Annotated[bytes, Body(media_type="text/csv")], write: Write
) -> WriteAnswer:
    return import_harvests(body, write)
