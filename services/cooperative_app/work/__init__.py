"""The cooperative app's ``work`` part: harvest, processing, shipping and receiving forms.

GET shows a form with its pick lists and defaults; POST reads it, runs the same command the
API would through ``context.records.execute`` and redirects to a confirmation with the batch's
code and what to do next. A form that cannot be read, or a command the records refuse, shows
the form again (422) with what was typed and the refusal at its field, in Vietnamese by its
stable code; the records store all of a command or nothing, so a refused form stored nothing.
No JavaScript is needed; the offline outbox (``offline``) sends the same fields as a bulk item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import NotAllowed, Worker, WorkerPosting
from services.cooperative_app.work.forms import FORMS, Form
from services.cooperative_app.work.reading import Reading
from services.cooperative_app.work.refusals import field_of, worded
from shared.accounts.gate import Person
from shared.domain.errors import DomainError
from shared.readmodels.my_lots import MyLots
from shared.records.results import BatchResult


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    lots = MyLots(context.connect)
    for form in FORMS:
        show, post = _endpoints(context, lots, form)
        path = f"/app/record/{form.kind}"
        routes.add_api_route(path, show, methods=["GET"], include_in_schema=False)
        routes.add_api_route(path, post, methods=["POST"], include_in_schema=False)

    for form in FORMS:
        # One literal path a form: a ``{kind}`` pattern would also catch the other parts' forms.
        routes.add_api_route(
            f"/app/record/{form.kind}/done",
            _done(context, form.kind),
            methods=["GET"],
            include_in_schema=False,
        )
    return routes


def _done(context: AppContext, kind: str) -> Callable[..., Response]:
    def done(request: Request, person: Worker, code: str = "") -> Response:
        chrome = context.pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return context.pages.response("work_done.html", chrome, kind=kind, code=code.upper())

    return done


def _endpoints(
    context: AppContext, lots: MyLots, form: Form
) -> tuple[Callable[..., Response], Callable[..., Any]]:
    def show(request: Request, person: Worker) -> Response:
        _allowed(form, person)
        offers = form.offers(context.records, lots, person)
        values = form.defaults(offers, dict(request.query_params))
        return _page(context, form, request, person, offers, values, {})

    async def post(request: Request, person: WorkerPosting) -> Response:
        _allowed(form, person)
        offers = form.offers(context.records, lots, person)
        reading = Reading(await request.form())
        command = form.build(reading, offers)
        problems: dict[str, DomainError] = dict(reading.problems)
        if command is not None:
            try:
                outcome = context.records.execute(person.actor, [command])
            except DomainError as refusal:
                problems = {field_of(refusal, form.fields): refusal}
            else:
                result = outcome.results[0]
                code = result.code if isinstance(result, BatchResult) else reading.raw("batch")
                target = f"/app/record/{form.kind}/done?code={code}&after={outcome.position}"
                return RedirectResponse(target, status_code=303)
        t = context.pages.chrome(request).t
        errors = {name: worded(problem, t, form.labels) for name, problem in problems.items()}
        typed: dict[str, Any] = {name: reading.raw(name) for name in form.fields}
        typed["plot_ids"] = [str(v) for v in reading.form.getlist("plot_ids")]
        return _page(context, form, request, person, offers, typed, errors, status_code=422)

    return show, post


def _allowed(form: Form, person: Person) -> None:
    if person.actor.role not in form.roles:
        raise NotAllowed(f"work_not_for_role_{form.kind}")


def _page(
    context: AppContext,
    form: Form,
    request: Request,
    person: Person,
    offers: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    pages = context.pages
    chrome = pages.chrome(request, person_name=person.display_name, csrf_token=person.csrf_token)
    return pages.response(
        f"work_{form.kind}.html",
        chrome,
        status_code=status_code,
        form=form,
        offers=offers,
        values=values,
        errors=errors,
    )
