"""The monitoring indicators as JSON (``/api/v1/monitoring/…``), for the province's own systems.

Staff read every figure; an organisation's token reads its own figures only (the organisation
filter is set to it, and naming another is refused). The figures come from the monitoring
projection (:class:`~shared.readmodels.monitoring.queries.PostgresIndicators`) over the event
store's own connections.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from services.capture.schemas.monitoring import (
    DrillAnswer,
    IndicatorKeys,
    IndicatorOut,
    MonitoringQuery,
    indicator_out,
    line_out,
)
from shared.domain.errors import InvalidValue, NotFound, NotPermitted
from shared.readmodels.monitoring.figures import INDICATOR_KEYS
from shared.readmodels.monitoring.queries import PostgresIndicators, UnknownDrill
from shared.readmodels.rebuild import connections_of
from shared.records.actors import Actor

router = APIRouter(prefix="/monitoring", tags=["monitoring"])
Key = Annotated[str, Path(min_length=1, max_length=50, description="one of the indicator keys")]
PREFIX = "/api/v1/monitoring"


def _known(key: str) -> str:
    if key not in INDICATOR_KEYS:
        msg = f"there is no indicator {key!r}: use one of {', '.join(INDICATOR_KEYS)}"
        params = {"key": key, "keys": ", ".join(INDICATOR_KEYS)}
        raise NotFound(msg, code="unknown_indicator", params=params)
    return key


def _scope(actor: Actor, asked: UUID | None) -> UUID | None:
    """Staff: what they asked for; an organisation: itself, never another."""
    if actor.is_staff:
        return asked
    own = actor.organisation("read monitoring figures")
    if asked is not None and asked != own:
        msg = "an organisation reads its own monitoring figures only"
        raise NotPermitted(msg, code="monitoring_other_organisation")
    return own


@router.get("", summary="The indicator keys, each with its URL")
def keys() -> IndicatorKeys:
    return IndicatorKeys(
        keys=list(INDICATOR_KEYS), links={k: f"{PREFIX}/{k}" for k in INDICATOR_KEYS}
    )


@router.get("/{key}", summary="One indicator as of a date (and as known at an instant), filtered")
async def indicator(
    key: Key,
    query: Annotated[MonitoringQuery, Query()],
    capture: CaptureDep,
    actor: CurrentActor,
) -> IndicatorOut:
    filters = query.filters(_scope(actor, query.organisation_id))
    indicators = PostgresIndicators(connections_of(capture.records))
    found = await run_in_threadpool(indicators.indicator, _known(key), filters)
    return indicator_out(found)


@router.get(
    "/{key}/cooperatives",
    summary="The cooperatives behind a figure or row of an indicator (its drill key)",
)
async def cooperatives(
    key: Key,
    query: Annotated[MonitoringQuery, Query()],
    capture: CaptureDep,
    actor: CurrentActor,
) -> DrillAnswer:
    _known(key)
    filters = query.filters(_scope(actor, query.organisation_id))
    if query.drill is None:
        msg = "name the figure's or row's drill key, e.g. ?drill=in_chain"
        raise InvalidValue("drill", msg, code="drill_needed")
    indicators = PostgresIndicators(connections_of(capture.records))
    try:
        lines = await run_in_threadpool(indicators.drill, query.drill, filters)
    except UnknownDrill as error:
        msg = f"{query.drill!r} is not a drill key an indicator gives"
        raise InvalidValue(
            "drill", msg, code="unknown_drill", params={"drill": query.drill}
        ) from error
    return DrillAnswer(
        key=key,
        drill=query.drill,
        as_of=filters.as_of.isoformat(),
        known_at=filters.known_at.isoformat() if filters.known_at else None,
        cooperatives=[line_out(line) for line in lines],
    )
