"""The one place that turns errors into HTTP answers for the capture API.

Every refusal is ``{"error": {"code", "message", "field", "index", "hint", "params"}}`` with
a status that says whose move it is: 422 fix the input, 409 the records refuse it (``code``
names the rule), 404 no such thing, 401 who are you, 403 not yours, 503 try again shortly. Bad
input is never a 500.

Messages and hints speak the client's language (``Accept-Language``; English when none is
given): a refusal's message is the catalogue's ``error_<code>`` formatted with its ``params``,
which the body carries too, so a client can word it itself. The ``code`` is the same in every
language. The handlers answer only under the API's prefix and hand anything else to the
handler the host app had before, so the public pages keep their own error pages.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.capture import validation
from services.capture.schemas.bulk import BULK_TYPES
from services.capture.schemas.errors import (
    READ_STATUSES,
    STATUSES,
    WRITE_STATUSES,
    ErrorAnswer,
)
from shared.domain.errors import (
    ConcurrentChange,
    DomainError,
    InvalidValue,
    NotFound,
    NotPermitted,
    RuleViolated,
)
from shared.i18n import Translator, choose_language
from shared.i18n.refusals import refusal_message
from shared.records.application import CommandRefused, IdempotencyKeyReused

RETRY_AFTER_SECONDS = "1"


class Unauthenticated(DomainError):
    """No token, or one that is unknown or revoked."""

    code = "unauthenticated"

    def __init__(self, message: str, *, token_sent: bool) -> None:
        super().__init__(message)
        self.token_sent = token_sent


class ProjectionsBehind(DomainError):
    """The client asked to read its own write, and the read side did not catch up in time."""

    code = "projections_behind"


class PositionNotStored(InvalidValue):
    """``after_position`` names a position that no write has reached: waiting would be in vain."""

    def __init__(self, position: int, last: int) -> None:
        msg = f"no write has reached position {position}: the last stored position is {last}"
        params = {"position": position, "last": last}
        super().__init__("after_position", msg, code="position_not_stored", params=params)


class RowRefused(CommandRefused):
    """A refused row of an uploaded CSV file; ``row`` counts the header as row 1."""

    def __init__(self, index: int, row: int, error: DomainError) -> None:
        super().__init__(index, error)
        self.row = row


_STATUS: dict[type[DomainError], int] = {
    InvalidValue: 422,
    IdempotencyKeyReused: 422,
    RuleViolated: 409,
    ConcurrentChange: 409,
    NotFound: 404,
    NotPermitted: 403,
    Unauthenticated: 401,
    ProjectionsBehind: 503,
}

HINTS: dict[type[DomainError], str] = {  # message ids of the catalogues
    PositionNotStored: "hint_position_not_stored",
    InvalidValue: "hint_invalid_value",
    IdempotencyKeyReused: "hint_idempotency_key_reused",
    RuleViolated: "hint_rule_violated",
    ConcurrentChange: "hint_concurrent_change",
    NotFound: "hint_not_found",
    NotPermitted: "hint_not_permitted",
    Unauthenticated: "hint_unauthenticated",
    ProjectionsBehind: "hint_projections_behind",
}


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 400


def _hint_for(error: DomainError) -> str:
    for kind in type(error).__mro__:
        if kind in HINTS:
            return HINTS[kind]
    return "hint_default"


def language_of(request: Request) -> str:
    """The API answers in English unless ``Accept-Language`` asks for a language we speak."""
    return choose_language(None, request.headers.get("accept-language"), default="en")


def message_of(error: DomainError, lang: str) -> str:
    """``error_<code>`` in ``lang``, with the refusal's params; its own words if uncatalogued."""
    return refusal_message(error.code, error.params, lang, fallback=error.message)


def error_body(
    code: str,
    message: str,
    hint: str,
    *,
    field: str | None = None,
    index: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {"code": code, "message": message, "field": field, "index": index, "hint": hint}
    return {"error": body | extra}


def domain_error_response(error: DomainError, lang: str = "en") -> JSONResponse:
    t = Translator(lang)
    inner = error.error if isinstance(error, CommandRefused) else error
    extra: dict[str, Any] = {"params": inner.params}
    hint = t(_hint_for(inner))
    index = None
    if isinstance(error, CommandRefused):
        index = error.index
        hint = f"{t('hint_nothing_stored')} {hint}"
    if isinstance(error, RowRefused):
        extra["row"] = error.row
        hint = f"{t('hint_row', row=error.row)} {hint}"
    message = message_of(inner, lang)
    body = error_body(
        inner.code, message, hint, field=getattr(inner, "field", None), index=index, **extra
    )
    return JSONResponse(body, status_code=status_of(inner), headers=_headers_for(inner))


def _headers_for(error: DomainError) -> dict[str, str] | None:
    if isinstance(error, Unauthenticated):
        challenge = 'Bearer error="invalid_token"' if error.token_sent else "Bearer"
        return {"WWW-Authenticate": challenge}
    if isinstance(error, ProjectionsBehind | ConcurrentChange):
        return {"Retry-After": RETRY_AFTER_SECONDS}
    return None


def validation_error_response(error: RequestValidationError, lang: str = "en") -> JSONResponse:
    """422 naming the first problem's field, its specific code and params (``validation``), in
    the reader's language; every problem is listed too."""
    problems = [_problem(detail, lang) for detail in error.errors()]
    first = problems[0]
    malformed = first["code"] == "malformed_json"
    hint = Translator(lang)("hint_malformed_json" if malformed else "hint_validation")
    body = error_body(
        first["code"],
        first["message"],
        hint,
        field=first["field"],
        index=first["index"],
        params=first["params"],
        problems=[{k: p[k] for k in ("field", "index", "code", "message")} for p in problems],
    )
    return JSONResponse(body, status_code=422)


def _problem(detail: Any, lang: str) -> dict[str, Any]:
    location = list(detail.get("loc", ()))
    if location[1:] and location[0] in ("body", "query", "path", "header", "cookie"):
        location = location[1:]  # "body" alone stays: the body itself is missing
    index = None
    if len(location) >= 2 and location[0] == "commands" and isinstance(location[1], int):
        index = location[1]
        if len(location) >= 3 and location[2] in BULK_TYPES:
            del location[2]  # the discriminator's tag pydantic puts in the path
    if detail.get("type") in ("union_tag_not_found", "union_tag_invalid"):
        location.append("type")
    field = _dotted(location) if location and detail.get("type") != "json_invalid" else None
    message = str(detail.get("msg", "invalid value")).removeprefix("Value error, ")
    if detail.get("type") == "json_invalid":
        message = f"the body is not valid JSON: {detail.get('ctx', {}).get('error', message)}"
    if field:
        message = f"{field}: {message}"
    code = validation.code_of(str(detail.get("type")))
    params = validation.params_of(detail, field)
    worded = refusal_message(code, params, lang, message) if code != validation.GENERIC else message
    return {"field": field, "index": index, "code": code, "params": params, "message": worded}


def _dotted(location: list[Any]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def http_error_response(error: HTTPException, lang: str = "en") -> JSONResponse:
    if error.status_code == 400:  # FastAPI could not read the body (not UTF-8, a broken form)
        return _malformed_body(str(error.detail), lang)
    codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated"}
    body = error_body(
        codes.get(error.status_code, "http_error"), str(error.detail), Translator(lang)("hint_http")
    )
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


def _malformed_body(detail: str, lang: str) -> JSONResponse:
    body = error_body(
        "malformed_body",
        f"the body could not be read: {detail}",
        Translator(lang)("hint_malformed_body"),
        field="body",
    )
    return JSONResponse(body, status_code=422)


def store_unavailable_response(error: Exception, lang: str = "en") -> JSONResponse:
    t = Translator(lang)
    body = error_body(
        "store_unavailable", t("error_store_unavailable"), t("hint_store_unavailable")
    )
    return JSONResponse(body, status_code=503, headers={"Retry-After": RETRY_AFTER_SECONDS})


Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def install_error_handlers(app: FastAPI, prefix: str) -> None:
    """Answers errors under ``prefix``; elsewhere keeps the host app's earlier handlers.

    Also documents those answers in the app's OpenAPI document (``document_errors``).
    """
    document_errors(app, prefix)
    ours: list[tuple[type[Exception], Callable[[Any, str], Response]]] = [
        (DomainError, domain_error_response),
        (RequestValidationError, validation_error_response),
        (HTTPException, http_error_response),
        (OperationalError, store_unavailable_response),
        (InterfaceError, store_unavailable_response),
    ]
    for kind, answer in ours:
        app.add_exception_handler(kind, _scoped(prefix, answer, app.exception_handlers.get(kind)))


def _scoped(
    prefix: str, answer: Callable[[Any, str], Response], previous: Handler | None
) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, error: Exception) -> Response:
        if request.url.path.startswith(prefix):
            return answer(error, language_of(request))
        if previous is None:
            raise error  # not ours: the host app's default (a 500) applies
        result = previous(request, error)
        if isinstance(result, Response):
            return result
        return await result

    return handle


def document_errors(app: FastAPI, prefix: str) -> None:
    """Describes the real refusal bodies for every operation under ``prefix``.

    FastAPI documents 422 as its own ``HTTPValidationError``, which this API never answers, and
    knows nothing of the other statuses: the document is corrected once, where it is built.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_error_answers(build(), prefix)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _with_error_answers(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    answer = ErrorAnswer.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(answer.pop("$defs", {}))
    schemas["ErrorAnswer"] = answer
    ref = {"$ref": "#/components/schemas/ErrorAnswer"}
    for path, operations in document.get("paths", {}).items():
        if not path.startswith(prefix):
            continue
        for method, operation in operations.items():
            statuses = READ_STATUSES if method == "get" else WRITE_STATUSES
            responses = operation.setdefault("responses", {})
            for status in statuses:
                described = responses.get(str(status), {}).get("description")
                if described == "Validation Error":  # FastAPI's, for a body it never sends
                    described = None
                responses[str(status)] = {
                    "description": described or STATUSES[status],
                    "content": {"application/json": {"schema": ref}},
                }
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused not in json.dumps(document.get("paths", {})):
            schemas.pop(unused, None)
    return document
