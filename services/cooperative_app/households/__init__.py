"""The cooperative app's ``households`` part: the cooperative's private registry of member
households, for its administrator and staff (``/app/households``).

A list, a form to register one, a household's page (its plots, and a form to give it another),
and forgetting it at its request behind a page that says what forgetting does and does not do.
Every form stores through the same commands as the API (``RegisterHousehold``,
``AssignHouseholdPlot``, ``ForgetHousehold``) and shows a refusal at its field. These forms are
online only, on purpose: they carry personal data, which an offline outbox would keep in the
phone's storage in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import NotAllowed, Worker, WorkerPosting
from shared.accounts.gate import Person
from shared.domain.errors import DomainError, InvalidValue
from shared.i18n.refusals import refusal_message
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.tracking import Waiter, waiter_for
from shared.records import commands as c
from shared.records.actors import Role
from shared.records.application import CommandRefused
from shared.records.results import HouseholdResult
from shared.wire.topics import events_topic

REGISTER_FIELDS = ("reference", "head_name", "phone")
MANAGERS = frozenset({Role.COOPERATIVE, Role.COOPERATIVE_ADMIN})
DEFAULT_PROJECTOR_GROUP = "nguon-projector"


def _cooperative_of(person: Person) -> UUID:
    """The cooperative whose registry this is: only its administrator and staff see it."""
    actor = person.actor
    if actor.role not in MANAGERS or actor.organisation_id is None:
        raise NotAllowed("households_managers_only")
    return actor.organisation_id


@dataclass(frozen=True)
class _Pages:
    """What the registry's pages share: the context, the reader, and the wait for a write."""

    context: AppContext
    households: PostgresHouseholds
    waiter: Waiter

    def render(
        self, request: Request, person: Person, template: str, status_code: int = 200, **ctx: Any
    ) -> Response:
        pages = self.context.pages
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return pages.response(template, chrome, status_code=status_code, **ctx)

    def caught_up(self, request: Request) -> bool:
        """Waits (bounded) for ``?after=``: the page then shows what was just recorded."""
        after = request.query_params.get("after", "")
        if not after.isdigit():
            return True
        return self.waiter.wait_for(int(after), self.context.settings.read_wait_timeout_seconds)

    def worded(self, request: Request, refusal: DomainError) -> str:
        t = self.context.pages.chrome(request).t
        params = {k: str(v) for k, v in refusal.params.items()}
        return refusal_message(refusal.code, params, t.lang, refusal.message)

    def not_found(self, request: Request, person: Person, *, fresh: bool = True) -> Response:
        return self.render(request, person, "households/not_found.html", 404, fresh=fresh)

    def household_page(
        self,
        request: Request,
        person: Person,
        household_id: UUID,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
    ) -> Response:
        cooperative_id = _cooperative_of(person)
        fresh = self.caught_up(request)
        entry = self.households.household(household_id)
        if entry is None or entry.cooperative_id != cooperative_id:
            return self.not_found(request, person, fresh=fresh)
        plots = {p.plot_id: p.label for p in self.households.plots_of(cooperative_id)}
        return self.render(
            request,
            person,
            "households/household.html",
            status_code,
            entry=entry,
            farmed=[(p, plots.get(p, str(p))) for p in entry.plot_ids],
            offered=[(str(p), label) for p, label in plots.items() if p not in entry.plot_ids],
            errors=errors or {},
            fresh=fresh,
        )


def _field_of(refusal: DomainError, fields: tuple[str, ...]) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    if isinstance(error, InvalidValue) and error.field in fields:
        return error.field
    return fields[0]


def router(context: AppContext) -> APIRouter:
    settings = context.settings
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    group = str(getattr(settings, "projector_group_id", DEFAULT_PROJECTOR_GROUP))
    pages = _Pages(
        context,
        PostgresHouseholds(context.connect, context.records.personal_data),
        waiter_for(context.connect, kafka_topic=topic, group=group, projections=["households"]),
    )
    routes = APIRouter(prefix="/app/households")
    _reading(routes, pages)
    _writing(routes, pages)
    return routes


def _reading(routes: APIRouter, pages: _Pages) -> None:
    households = pages.households

    @routes.get("", include_in_schema=False)
    def registry(request: Request, person: Worker) -> Response:
        cooperative_id = _cooperative_of(person)
        fresh = pages.caught_up(request)
        return pages.render(
            request,
            person,
            "households/list.html",
            entries=households.registry(cooperative_id),
            fresh=fresh,
        )

    @routes.get("/new", include_in_schema=False)
    def new(request: Request, person: Worker) -> Response:
        _cooperative_of(person)
        return pages.render(request, person, "households/new.html", values={}, errors={})

    @routes.get("/{household_id}", include_in_schema=False)
    def household(request: Request, person: Worker, household_id: UUID) -> Response:
        return pages.household_page(request, person, household_id)

    @routes.get("/{household_id}/forget", include_in_schema=False)
    def confirm_forget(request: Request, person: Worker, household_id: UUID) -> Response:
        cooperative_id = _cooperative_of(person)
        entry = households.household(household_id)
        if entry is None or entry.cooperative_id != cooperative_id or entry.forgotten:
            return pages.not_found(request, person)
        return pages.render(request, person, "households/forget.html", entry=entry, errors={})


def _writing(routes: APIRouter, pages: _Pages) -> None:
    records = pages.context.records
    households = pages.households

    @routes.post("/new", include_in_schema=False)
    async def register(request: Request, person: WorkerPosting) -> Response:
        cooperative_id = _cooperative_of(person)
        form = await request.form()
        values = {name: str(form.get(name) or "").strip() for name in REGISTER_FIELDS}
        command = c.RegisterHousehold(
            cooperative_id=cooperative_id,
            reference=values["reference"],
            head_name=values["head_name"] or None,
            phone=values["phone"] or None,
        )
        try:
            outcome = records.execute(person.actor, [command])
        except DomainError as refusal:
            errors = {_field_of(refusal, REGISTER_FIELDS): pages.worded(request, refusal)}
            return pages.render(
                request, person, "households/new.html", 422, values=values, errors=errors
            )
        household_id = outcome.result(HouseholdResult).household_id
        return RedirectResponse(
            f"/app/households/{household_id}?after={outcome.position}", status_code=303
        )

    @routes.post("/{household_id}/plots", include_in_schema=False)
    async def assign(request: Request, person: WorkerPosting, household_id: UUID) -> Response:
        _cooperative_of(person)
        form = await request.form()
        try:
            plot_id = UUID(str(form.get("plot_id") or ""))
            command = c.AssignHouseholdPlot(household_id=household_id, plot_id=plot_id)
            outcome = records.execute(person.actor, [command])
        except ValueError:
            t = pages.context.pages.chrome(request).t
            errors = {"plot_id": t("households_pick_a_plot")}
            return pages.household_page(request, person, household_id, 422, errors)
        except DomainError as refusal:
            errors = {"plot_id": pages.worded(request, refusal)}
            return pages.household_page(request, person, household_id, 422, errors)
        return RedirectResponse(
            f"/app/households/{household_id}?after={outcome.position}", status_code=303
        )

    @routes.post("/{household_id}/forget", include_in_schema=False)
    async def forget(request: Request, person: WorkerPosting, household_id: UUID) -> Response:
        cooperative_id = _cooperative_of(person)
        command = c.ForgetHousehold(household_id=household_id, cooperative_id=cooperative_id)
        try:
            outcome = records.execute(person.actor, [command])
        except DomainError as refusal:
            entry = households.household(household_id)
            if entry is None or entry.cooperative_id != cooperative_id:
                # Another cooperative's household: not even its reference is shown.
                return pages.not_found(request, person)
            errors = {"confirm": pages.worded(request, refusal)}
            return pages.render(
                request, person, "households/forget.html", 422, entry=entry, errors=errors
            )
        return RedirectResponse(f"/app/households?after={outcome.position}", status_code=303)
