"""The registry's forms as pages: GET shows one, POST reads it, runs its command, redirects.

A POST whose CSRF token is not the person's is refused before anything is read
(``StaffPosting``). A value that cannot be read, or a command the records refuse, shows the
form again (422) with what was typed and the refusal next to its field, in the reader's
language (``shared.i18n.refusals``); the records store all of a command or nothing, so a
refused form has stored nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.province.people import Staff, StaffPosting
from services.province.registry.fields import Field, Kind, Refused, Subject, read
from services.province.registry.forms import FIELD_ALIASES, FIELDS_OF_CODE, FORMS, Form
from services.province.registry.views import Registry
from shared.accounts.gate import Person
from shared.domain.errors import DomainError, InvalidValue, NotFound
from shared.i18n.refusals import refusal_message
from shared.i18n.translator import Translator
from shared.records.application import CommandRefused, Records

Errors = dict[str, str]


def form_routes(registry: Registry, records: Records) -> APIRouter:
    routes = APIRouter(prefix="/province")
    for form in FORMS:
        show, post = _endpoints(registry, records, form)
        routes.add_api_route(form.path, show, methods=["GET"], include_in_schema=False)
        routes.add_api_route(form.path, post, methods=["POST"], include_in_schema=False)
    return routes


def _endpoints(
    registry: Registry, records: Records, form: Form
) -> tuple[Callable[..., Response], Callable[..., Any]]:
    def show(request: Request, person: Staff) -> Response:
        subject = _subject(registry, form, request, person)
        if subject is None:
            return registry.not_found(request, person)
        return _page(registry, form, request, person, subject, {}, {})

    async def post(request: Request, person: StaffPosting) -> Response:
        subject = _subject(registry, form, request, person)
        if subject is None:
            return registry.not_found(request, person)
        typed = await request.form()
        t = registry.pages.chrome(request).t
        values, errors = _read(registry, form, subject, typed, t)
        if not errors:
            try:
                outcome = records.execute(person.actor, [form.build(values, subject.id)])
            except DomainError as refusal:
                errors = {_field_of(form, refusal): _worded(refusal, t, form)}
            else:
                target = form.after(outcome, subject.id)
                return RedirectResponse(f"{target}?after={outcome.position}", status_code=303)
        raw = _raw(form, typed)
        return _page(registry, form, request, person, subject, raw, errors, status_code=422)

    return show, post


def _subject(registry: Registry, form: Form, request: Request, person: Person) -> Subject | None:
    """The record the form is about, with its page (for pick lists); None if there is none."""
    if form.subject is None:
        return Subject(None)
    text = request.path_params.get("subject", "")
    try:
        subject_id = UUID(text)
    except ValueError:
        return None
    reader = registry.reader
    try:
        if form.subject == "chain":
            page: Mapping[str, Any] = reader.chain(person.actor, subject_id)
        else:
            page = reader.organisation(person.actor, form.subject, subject_id)
    except NotFound:
        return None
    return Subject(str(subject_id), page)


def _read(
    registry: Registry, form: Form, subject: Subject, typed: FormData, t: Translator
) -> tuple[dict[str, Any], Errors]:
    choices = registry.reader.choices()
    values: dict[str, Any] = {}
    errors: Errors = {}
    for spec in form.fields:
        offered = list(spec.options(choices, subject)) if spec.options else []
        allowed = [value for value, _label in offered]
        raw: str | list[str] = (
            [str(v) for v in typed.getlist(spec.name)]
            if spec.kind is Kind.MANY
            else str(typed.get(spec.name) or "")
        )
        try:
            values[spec.name] = read(spec, raw, allowed)
        except Refused as refused:
            problem = refused.problem
            params = {"field": t(spec.label), **problem.params}
            if "expected" in params:  # what a person can pick by, not the ids behind it
                params["expected"] = ", ".join(
                    t.known(spec.translate, v) if spec.translate else label for v, label in offered
                )
            errors[spec.name] = refusal_message(problem.code, params, t.lang, problem.code)
    return values, errors


def _field_of(form: Form, refusal: DomainError) -> str:
    names = [spec.name for spec in form.fields]
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    if isinstance(error, InvalidValue):
        named = FIELD_ALIASES.get(error.field, error.field)
        if named in names:
            return named
    for candidate in FIELDS_OF_CODE.get(error.code, ()):
        if candidate in names:
            return candidate
    return names[0]  # a refusal about the whole form: shown at its first field


def _worded(refusal: DomainError, t: Translator, form: Form) -> str:
    params = dict(refusal.params)
    if "field" in params:  # a command's field name: the form's label for it reads better
        label = next((s.label for s in form.fields if s.name == params["field"]), None)
        if label is not None:
            params["field"] = t(label)
    return refusal_message(refusal.code, params, t.lang, refusal.message)


def _raw(form: Form, typed: FormData) -> dict[str, Any]:
    """What was typed, to show it again."""
    return {
        spec.name: [str(v) for v in typed.getlist(spec.name)]
        if spec.kind is Kind.MANY
        else str(typed.get(spec.name) or "")
        for spec in form.fields
    }


def _page(
    registry: Registry,
    form: Form,
    request: Request,
    person: Person,
    subject: Subject,
    values: Mapping[str, Any],
    errors: Errors,
    status_code: int = 200,
) -> Response:
    choices = registry.reader.choices()
    t = registry.pages.chrome(request).t
    options = {
        spec.name: [
            (value, t.known(spec.translate, value) if spec.translate else label)
            for value, label in spec.options(choices, subject)
        ]
        for spec in form.fields
        if spec.options
    }
    return registry.render(
        request,
        person,
        "registry/form.html",
        status_code=status_code,
        form=form,
        fields=form.fields,
        subject=subject,
        options=options,
        suggestions={
            spec.suggest: choices[spec.suggest]  # type: ignore[literal-required]
            for spec in form.fields
            if spec.suggest
        },
        values=values,
        errors=errors,
        back=_back(form, subject),
        Kind=Kind,
    )


def _back(form: Form, subject: Subject) -> str:
    section = form.path.split("/")[1]
    return f"/province/{section}/{subject.id}" if subject.id else f"/province/{section}"


__all__ = ["Field", "form_routes"]
