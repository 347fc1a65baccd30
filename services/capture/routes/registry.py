"""The registry's reads: cooperatives, enterprises, value chains and plots, with filters and
pages, and the page of each. Staff read everything; a cooperative itself, its plots and its
chains; an enterprise itself and its chains (``shared.readmodels.registry`` scopes them)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from services.capture.reading import caught_up, wait_for_registry
from services.capture.schemas.registry import (
    ChainDetail,
    ChainPage,
    CooperativeQuery,
    EnterpriseQuery,
    OrganisationDetail,
    OrganisationPage,
    PlotDetail,
    PlotPage,
    PlotQuery,
    ValueChainQuery,
)

router = APIRouter(tags=["registry"])
_BEHIND: dict[int | str, dict[str, Any]] = {
    503: {"description": "the registry has not reached after_position in time"}
}
Fresh = [Depends(caught_up)]  # a page of one: ?after_position= (lists have it in their query)
_SCOPED: dict[int | str, dict[str, Any]] = {
    403: {"description": "another organisation's record"},
    404: {"description": "no such record"},
    503: {"description": "the registry has not reached after_position in time"},
}


@router.get(
    "/cooperatives",
    summary="List cooperatives (staff: all; a cooperative: itself)",
    responses=_BEHIND,
)
def list_cooperatives(
    query: Annotated[CooperativeQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> OrganisationPage:
    wait_for_registry(capture, query.after_position)
    return capture.registry.organisations(actor, "cooperative", query.filters(), query.paging())


@router.get(
    "/cooperatives/{cooperative_id}",
    summary="A cooperative: facts, chains, contracts, support, certifications, plots, batches,"
    " history",
    responses=_SCOPED,
    dependencies=Fresh,
)
def get_cooperative(
    cooperative_id: UUID, capture: CaptureDep, actor: CurrentActor
) -> OrganisationDetail:
    return capture.registry.organisation(actor, "cooperative", cooperative_id)


@router.get(
    "/enterprises",
    summary="List enterprises (staff: all; an enterprise: itself)",
    responses=_BEHIND,
)
def list_enterprises(
    query: Annotated[EnterpriseQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> OrganisationPage:
    wait_for_registry(capture, query.after_position)
    return capture.registry.organisations(actor, "enterprise", query.filters(), query.paging())


@router.get(
    "/enterprises/{enterprise_id}",
    summary="An enterprise: facts, chains, contracts, certifications, batches, history",
    responses=_SCOPED,
    dependencies=Fresh,
)
def get_enterprise(
    enterprise_id: UUID, capture: CaptureDep, actor: CurrentActor
) -> OrganisationDetail:
    return capture.registry.organisation(actor, "enterprise", enterprise_id)


@router.get(
    "/value-chains",
    summary="List value chains (an organisation: those it is in)",
    responses=_BEHIND,
)
def list_value_chains(
    query: Annotated[ValueChainQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> ChainPage:
    wait_for_registry(capture, query.after_position)
    return capture.registry.chains(actor, query.filters(), query.paging())


@router.get(
    "/value-chains/{value_chain_id}",
    summary="A value chain: lead, participants with roles, contracts, history",
    responses=_SCOPED,
    dependencies=Fresh,
)
def get_value_chain(value_chain_id: UUID, capture: CaptureDep, actor: CurrentActor) -> ChainDetail:
    return capture.registry.chain(actor, value_chain_id)


@router.get("/plots", summary="List plots (a cooperative: its own)", responses=_BEHIND)
def list_plots(
    query: Annotated[PlotQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> PlotPage:
    wait_for_registry(capture, query.after_position)
    return capture.registry.plots(actor, query.filters(), query.paging())


@router.get(
    "/plots/{plot_id}",
    summary="A plot: facts, certifications, the batches harvested from it",
    responses=_SCOPED,
    dependencies=Fresh,
)
def get_plot(plot_id: UUID, capture: CaptureDep, actor: CurrentActor) -> PlotDetail:
    return capture.registry.plot(actor, plot_id)
