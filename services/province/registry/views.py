"""The registry's pages to read: four lists with search, filters and pages, and the page of each
cooperative, enterprise, value chain and plot. Staff only (``Staff``); they read everything.

A page reached right after a form stored something carries ``?after=<position>``: it waits
(bounded) for the projections to apply that write, so staff see what they just recorded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from services.province.people import Staff
from shared.accounts.gate import Person
from shared.domain.errors import NotFound
from shared.pages import Pages
from shared.readmodels.registry import (
    ChainFilters,
    OrganisationFilters,
    Paging,
    PlotFilters,
    RegistryReader,
)
from shared.readmodels.registry_shapes import HistoryLine
from shared.readmodels.tracking import Waiter

PAGE_SIZE = 25
Names = Callable[[Collection[UUID]], Mapping[UUID, str]]
"""Who is behind each actor id (accounts' display names, tokens' labels), for staff eyes only."""


def no_names(_ids: Collection[UUID]) -> Mapping[UUID, str]:
    return {}


@dataclass(frozen=True)
class Registry:
    """What the registry's pages work with, built once by ``router``."""

    pages: Pages
    reader: RegistryReader
    waiter: Waiter
    wait_seconds: float
    names: Names

    def render(
        self, request: Request, person: Person, template: str, status_code: int = 200, **ctx: Any
    ) -> Response:
        chrome = self.pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return self.pages.response(template, chrome, status_code=status_code, **ctx)

    def catch_up(self, request: Request) -> bool:
        """Waits for ``?after=`` if given; False if the projections are still behind."""
        after = _number(request.query_params.get("after"))
        if after is None:
            return True
        return self.waiter.wait_for(after, self.wait_seconds)

    def not_found(self, request: Request, person: Person) -> Response:
        return self.render(request, person, "registry/not_found.html", status_code=404)

    def who(self, history: list[HistoryLine]) -> dict[str, str]:
        ids = {UUID(line["actor_id"]) for line in history if line["actor_id"]}
        return {str(k): v for k, v in self.names(ids).items()} if ids else {}


def views(registry: Registry) -> APIRouter:
    routes = APIRouter(prefix="/province")
    reader = registry.reader

    @routes.get("/cooperatives", include_in_schema=False)
    def cooperatives(request: Request, person: Staff) -> Response:
        q = request.query_params
        filters = OrganisationFilters(
            search=_text(q.get("search")),
            commune=_text(q.get("commune")),
            former_district=_text(q.get("former_district")),
            sector=_text(q.get("sector")),
            model=_text(q.get("model")),
            status=_text(q.get("status")),
            value_chain=_uuid(q.get("value_chain")),
        )
        page = reader.organisations(person.actor, "cooperative", filters, _paging(request))
        return registry.render(
            request,
            person,
            "registry/cooperatives.html",
            found=page,
            pages=_pages(page),
            choices=reader.choices(),
            q=dict(q),
        )

    @routes.get("/enterprises", include_in_schema=False)
    def enterprises(request: Request, person: Staff) -> Response:
        q = request.query_params
        filters = OrganisationFilters(
            search=_text(q.get("search")),
            commune=_text(q.get("commune")),
            status=_text(q.get("status")),
        )
        page = reader.organisations(person.actor, "enterprise", filters, _paging(request))
        return registry.render(
            request,
            person,
            "registry/enterprises.html",
            found=page,
            pages=_pages(page),
            choices=reader.choices(),
            q=dict(q),
        )

    @routes.get("/value-chains", include_in_schema=False)
    def chains(request: Request, person: Staff) -> Response:
        q = request.query_params
        filters = ChainFilters(
            search=_text(q.get("search")),
            commodity=_text(q.get("commodity")),
            lead=_uuid(q.get("lead")),
        )
        page = reader.chains(person.actor, filters, _paging(request))
        choices = reader.choices()
        return registry.render(
            request,
            person,
            "registry/chains.html",
            found=page,
            pages=_pages(page),
            choices=choices,
            leads=[(i, name) for i, name, _kind in choices["organisations"]],
            q=dict(q),
        )

    @routes.get("/plots", include_in_schema=False)
    def plots(request: Request, person: Staff) -> Response:
        q = request.query_params
        certified = {"yes": True, "no": False}.get(q.get("certified", ""))
        filters = PlotFilters(
            search=_text(q.get("search")),
            cooperative=_uuid(q.get("cooperative")),
            commune=_text(q.get("commune")),
            crop=_text(q.get("crop")),
            certified=certified,
        )
        page = reader.plots(person.actor, filters, _paging(request))
        choices = reader.choices()
        return registry.render(
            request,
            person,
            "registry/plots.html",
            found=page,
            pages=_pages(page),
            choices=choices,
            cooperatives=[(i, n) for i, n, k in choices["organisations"] if k == "cooperative"],
            q=dict(q),
        )

    def organisation_page(kind: str) -> Callable[[str, Request, Person], Response]:
        def page(subject: str, request: Request, person: Staff) -> Response:
            caught_up = registry.catch_up(request)
            organisation_id = _uuid(subject)
            if organisation_id is None:
                return registry.not_found(request, person)
            try:
                found = reader.organisation(person.actor, kind, organisation_id)
            except NotFound:
                return registry.not_found(request, person)
            return registry.render(
                request,
                person,
                "registry/organisation.html",
                kind=kind,
                found=found,
                who=registry.who(found["history"]),
                caught_up=caught_up,
                names=_organisation_names(reader),
            )

        return page

    routes.add_api_route(
        "/cooperatives/{subject}", organisation_page("cooperative"), include_in_schema=False
    )
    routes.add_api_route(
        "/enterprises/{subject}", organisation_page("enterprise"), include_in_schema=False
    )

    @routes.get("/value-chains/{subject}", include_in_schema=False)
    def chain(subject: str, request: Request, person: Staff) -> Response:
        caught_up = registry.catch_up(request)
        chain_id = _uuid(subject)
        if chain_id is None:
            return registry.not_found(request, person)
        try:
            found = reader.chain(person.actor, chain_id)
        except NotFound:
            return registry.not_found(request, person)
        return registry.render(
            request,
            person,
            "registry/chain.html",
            found=found,
            who=registry.who(found["history"]),
            caught_up=caught_up,
            names=_organisation_names(reader),
        )

    @routes.get("/plots/{subject}", include_in_schema=False)
    def plot(subject: str, request: Request, person: Staff) -> Response:
        plot_id = _uuid(subject)
        if plot_id is None:
            return registry.not_found(request, person)
        try:
            found = reader.plot(person.actor, plot_id)
        except NotFound:
            return registry.not_found(request, person)
        return registry.render(
            request, person, "registry/plot.html", found=found, who=registry.who(found["history"])
        )

    return routes


def _organisation_names(reader: RegistryReader) -> dict[str, str]:
    return {i: name for i, name, _kind in reader.choices()["organisations"]}


def _paging(request: Request) -> Paging:
    page = _number(request.query_params.get("page")) or 1
    return Paging(page=max(1, min(page, 1_000_000)), limit=PAGE_SIZE)


def _pages(found: Mapping[str, Any]) -> int:
    return max(1, math.ceil(int(found["total"]) / int(found["limit"])))


def _number(text: str | None) -> int | None:
    if text is None or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def _text(text: str | None) -> str | None:
    value = (text or "").strip()
    return value[:200] if value and "\x00" not in value else None


def _uuid(text: str | None) -> UUID | None:
    try:
        return UUID(text) if text else None
    except ValueError:
        return None
