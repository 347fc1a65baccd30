"""The cooperative app's ``lot_changes`` part: transformation (split, merge, pack),
inspection, labelling, sale, correction and recall of the batches I hold, each a form that
works without JavaScript and a confirmation that says what happened and what to do next."""

from __future__ import annotations

from fastapi import APIRouter

from services.cooperative_app.context import AppContext
from services.cooperative_app.lot_changes.pages import done_routes, form_routes
from services.cooperative_app.lot_changes.transform import transform_routes


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    routes.include_router(transform_routes(context))
    routes.include_router(form_routes(context))
    routes.include_router(done_routes(context))
    return routes
