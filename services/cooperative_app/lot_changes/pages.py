"""The lot-change forms as pages: GET shows one, POST reads it, runs its command, redirects to
a confirmation; a refusal shows the form again (422) with what was typed and the refusal at its
field. The records store all of a command or nothing, so a refused form stored nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.lot_changes import fields as read
from services.cooperative_app.lot_changes.fields import UNITS, Problem, Unreadable
from services.cooperative_app.lot_changes.forms import (
    FIELD_OF,
    FIELDS_OF_CODE,
    FORMS,
    RECALL,
    Field,
    Form,
    Kind,
)
from services.cooperative_app.lot_changes.holdings import (
    batch_of,
    events_of,
    held_batches,
    may_recall,
    my_gtins,
)
from services.cooperative_app.lot_changes.refusals import field_of, problem_worded, worded
from services.cooperative_app.people import NotAllowed, Worker, WorkerPosting
from shared.accounts.gate import Person
from shared.domain.batch import Batch
from shared.domain.errors import DomainError
from shared.i18n.translator import Translator

Errors = dict[str, str]
Options = dict[str, list[tuple[str, str]]]


def form_routes(context: AppContext) -> APIRouter:
    routes = APIRouter()
    for form in FORMS:
        show, post = _endpoints(context, form)
        routes.add_api_route(form.path, show, methods=["GET"], include_in_schema=False)
        routes.add_api_route(form.path, post, methods=["POST"], include_in_schema=False)
    return routes


def _endpoints(
    context: AppContext, form: Form
) -> tuple[Callable[..., Response], Callable[..., Any]]:
    def show(request: Request, person: Worker) -> Response:
        code = request.query_params.get("batch", "")
        batch = batch_of(context.records, code)
        _check_recall(context, form, person, batch)
        return _page(context, form, request, person, batch, {"batch": code}, {})

    async def post(request: Request, person: WorkerPosting) -> Response:
        typed = await request.form()
        batch = batch_of(context.records, str(typed.get("batch") or ""))
        _check_recall(context, form, person, batch)
        t = context.pages.chrome(request).t
        values, errors = _read(form, typed, batch, t)
        if not errors:
            try:
                outcome = context.records.execute(person.actor, [form.build(values)])
            except DomainError as refusal:
                names = [f.name for f in form.fields]
                errors = {field_of(refusal, names, FIELD_OF, FIELDS_OF_CODE): worded(refusal, t)}
            else:
                query = {"batch": values["batch"], "after": outcome.position}
                return RedirectResponse(f"{form.path}/done?{urlencode(query)}", status_code=303)
        raw = {f.name: str(typed.get(f.name) or "") for f in form.fields}
        return _page(context, form, request, person, batch, raw, errors, status_code=422)

    return show, post


def _check_recall(context: AppContext, form: Form, person: Person, batch: Batch | None) -> None:
    """Only the holder or a chain's lead sees the recall form of a batch (as the domain says)."""
    organisation = person.actor.organisation_id
    if form is not RECALL or batch is None or organisation is None:
        return
    if not may_recall(context.records, batch, organisation):
        raise NotAllowed("changes_recall_not_yours")


def _read(
    form: Form, typed: FormData, batch: Batch | None, t: Translator
) -> tuple[dict[str, Any], Errors]:
    values: dict[str, Any] = {}
    errors: Errors = {}
    allowed = _allowed(form, batch)
    for spec in form.fields:
        raw = str(typed.get(spec.name) or "")
        try:
            values[spec.name] = _value(spec, raw, allowed.get(spec.name, []))
        except Unreadable as unreadable:
            errors[spec.name] = problem_worded(unreadable.problem, t(spec.label), t)
    if values.get("quantity.amount") is not None and values.get("quantity.unit") is None:
        missing = Problem("value_missing")
        errors["quantity.unit"] = problem_worded(missing, t("changes_field_quantity_unit"), t)
    return values, errors


def _allowed(form: Form, batch: Batch | None) -> dict[str, list[str]]:
    """What a choice may be; GTINs are left to the domain, which says why one is not mine."""
    allowed = {"result": ["pass", "fail"], "quantity.unit": [u for u, _ in UNITS]}
    if batch is not None:
        allowed["amends_version"] = [str(v) for v in range(1, batch.version + 1)]
    return {f.name: allowed[f.name] for f in form.fields if f.name in allowed}


def _value(spec: Field, raw: str, allowed: list[str]) -> Any:
    if spec.kind is Kind.CHECK:
        return raw in ("true", "on", "1")
    if not raw.strip() and not spec.required:
        return None
    if spec.kind is Kind.WHOLE:
        return read.whole(raw)
    if spec.kind is Kind.DECIMAL:
        return read.decimal(raw)
    if spec.kind is Kind.CHOICE and allowed:
        return read.choice(raw, allowed)
    limit = read.LONG_TEXT_LIMIT if spec.kind is Kind.LONG_TEXT else read.TEXT_LIMIT
    return read.needed(raw, limit=limit)


def _options(
    context: AppContext, form: Form, person: Person, batch: Batch | None, t: Translator
) -> Options:
    organisation = person.actor.organisation_id
    assert organisation is not None  # Worker: only people of an organisation reach the app
    wanted = {f.options for f in form.fields if f.options}
    options: Options = {}
    if "batches" in wanted:
        held = [(h.code, h.label(t)) for h in held_batches(context.connect, organisation)]
        if batch is not None and batch.code not in {code for code, _ in held}:
            held.insert(0, (batch.code, batch.code))
        options["batches"] = held
    if "results" in wanted:
        options["results"] = [(r, t(f"changes_result_{r}")) for r in ("pass", "fail")]
    if "gtins" in wanted:
        options["gtins"] = [(g, g) for g in my_gtins(context.records, organisation)]
    if "events" in wanted and batch is not None:
        options["events"] = [
            (str(v), t("changes_event_line", version=v, name=t.known("changes_event", name)))
            for v, name in events_of(context.records, batch)
        ]
    if "units" in wanted:
        options["units"] = list(UNITS)
    return options


def _page(
    context: AppContext,
    form: Form,
    request: Request,
    person: Person,
    batch: Batch | None,
    values: Mapping[str, str],
    errors: Errors,
    status_code: int = 200,
) -> Response:
    pages = context.pages
    chrome = pages.chrome(request, person_name=person.display_name, csrf_token=person.csrf_token)
    defaults = _defaults(form, batch)
    options = _options(context, form, person, batch, chrome.t)
    if len(options.get("gtins", [])) == 1:  # one GTIN: nothing to choose, one tap fewer
        defaults["gtin"] = options["gtins"][0][0]
    return pages.response(
        "changes_form.html",
        chrome,
        status_code=status_code,
        form=form,
        batch=batch,
        options=options,
        values={**defaults, **{k: v for k, v in values.items() if v}},
        errors=errors,
        Kind=Kind,
    )


def _defaults(form: Form, batch: Batch | None) -> dict[str, str]:
    if batch is None:
        return {}
    defaults = {"batch": batch.code}
    if form.key == "label":
        defaults["lot"] = batch.code.replace("-", "")[-20:]  # a lot of up to 20 characters
    return defaults


def done_routes(context: AppContext) -> APIRouter:
    routes = APIRouter()

    def done(request: Request, person: Worker, what: str) -> Response:
        pages = context.pages
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        query = request.query_params
        return pages.response(
            "changes_done.html",
            chrome,
            what=what,
            batch=query.get("batch", ""),
            codes=[code for code in query.get("codes", "").split(",") if code],
        )

    for key in ("transform", *(form.key for form in FORMS)):
        routes.add_api_route(
            f"/app/record/{key}/done",
            _done_of(done, key),
            methods=["GET"],
            include_in_schema=False,
        )
    return routes


def _done_of(done: Callable[..., Response], key: str) -> Callable[..., Response]:
    def endpoint(request: Request, person: Worker) -> Response:
        return done(request, person, key)

    return endpoint
