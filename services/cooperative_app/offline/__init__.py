"""The cooperative app's ``offline`` part (see ``services.cooperative_app.app``)."""

from __future__ import annotations

from fastapi import APIRouter

from services.cooperative_app.context import AppContext


def router(context: AppContext) -> APIRouter:
    del context
    return APIRouter()
