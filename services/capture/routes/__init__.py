"""The capture API's routes, one module per resource; every one needs a bearer token."""

from __future__ import annotations

from fastapi import APIRouter

from services.capture.routes import (
    batches,
    bulk,
    chains,
    diary,
    exports,
    glns,
    gtins,
    households,
    monitoring,
    organisations,
    plots,
    reading,
    recalls,
    registry,
    trace,
)


def routers() -> list[APIRouter]:
    return [
        organisations.router,
        chains.router,
        plots.router,
        diary.router,
        households.router,
        batches.router,
        recalls.router,
        gtins.router,
        glns.router,
        reading.router,
        monitoring.router,
        bulk.router,
        registry.router,
        trace.router,
        exports.router,
    ]
