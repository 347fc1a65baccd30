"""The capture API's routes, one module per resource; every one needs a bearer token."""

from __future__ import annotations

from fastapi import APIRouter

from services.capture.routes import batches, bulk, chains, organisations, plots, reading


def routers() -> list[APIRouter]:
    return [
        organisations.router,
        chains.router,
        plots.router,
        batches.router,
        reading.router,
        bulk.router,
    ]
