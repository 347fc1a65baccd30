"""Every refusal of the EPCIS interface as RFC 7807 problem+json with an EPCIS exception type.

Partners' EPCIS clients read ``type`` (``epcisException:QueryParameterException`` …) rather than
this platform's own error format, so this app answers in the binding's format only.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from shared.errors import NguonError

PROBLEM_JSON = "application/problem+json"


class EpcisProblem(NguonError):
    """A refusal: its status, EPCIS exception type, title and what to do (``detail``)."""

    status = 500
    exception = "ImplementationException"
    title = "EPCIS implementation exception"

    def __init__(
        self,
        detail: str,
        *,
        parameter: str | None = None,
        members: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter
        self.members = dict(members or {})  # the problem's own extension members
        self.headers = dict(headers or {})


class QueryParameterProblem(EpcisProblem):
    """A query parameter that is unknown, unsupported here, or malformed (400)."""

    status = 400
    exception = "QueryParameterException"
    title = "EPCIS query parameter exception"


class NotSignedIn(EpcisProblem):
    """No bearer token, or one that is unknown, revoked or expired (401)."""

    status = 401
    exception = "SecurityException"
    title = "Unauthorised request"


class Forbidden(EpcisProblem):
    """A token that may read but not do this, e.g. capture without acting for anyone (403)."""

    status = 403
    exception = "SecurityException"
    title = "Access to resource forbidden"


class MalformedRequest(EpcisProblem):
    """A body that is not JSON, or a header with a value the binding does not allow (400)."""

    status = 400
    exception = "ValidationException"
    title = "EPCIS validation exception"


class InvalidDocument(EpcisProblem):
    """JSON that breaks GS1's EPCIS 2.0 schema, each place named in ``errors`` (422)."""

    status = 422
    exception = "ValidationException"
    title = "EPCIS validation exception"


class EventRefused(EpcisProblem):
    """A schema-valid event that the platform's rules refuse: nothing was stored (400)."""

    status = 400
    exception = "ValidationException"
    title = "Event refused"


class EventForbidden(EpcisProblem):
    """An event the caller's organisation may not record, e.g. on a batch it does not hold."""

    status = 403
    exception = "SecurityException"
    title = "Access to resource forbidden"


class AlreadyExists(EpcisProblem):
    """The event is stored already; ``Location`` names it (409)."""

    status = 409
    exception = "ResourceAlreadyExistsException"
    title = "A resource with the provided identifier already exists"


class CaptureLimitExceeded(EpcisProblem):
    """More bytes or more events than the advertised capture limits (413)."""

    status = 413
    exception = "CaptureLimitExceededException"
    title = "Capture payload too large"


class UnsupportedMediaType(EpcisProblem):
    """A body in a format other than JSON(-LD) (415)."""

    status = 415
    exception = "UnsupportedMediaTypeException"
    title = "Unsupported media type"


class NoSuchResource(EpcisProblem):
    """No event (or resource) by that name that the caller may read (404)."""

    status = 404
    exception = "NoSuchResourceException"
    title = "Resource not found"


def problem_body(status: int, exception: str, title: str, detail: str) -> dict[str, object]:
    return {
        "type": f"epcisException:{exception}",
        "title": title,
        "status": status,
        "detail": detail,
    }


def problem(
    status: int,
    exception: str,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> Response:
    body = {**problem_body(status, exception, title, detail), **extra}
    sent = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=sent)


async def _epcis_problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, EpcisProblem)
    extra = {"parameter": error.parameter} if error.parameter else {}
    return problem(
        error.status,
        error.exception,
        error.title,
        error.detail,
        error.headers,
        **extra,
        **error.members,
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        detail = f"{request.url.path} is no resource of this EPCIS interface: see /epcis"
        return problem(404, "NoSuchResourceException", "Resource not found", detail)
    if error.status_code == 405:
        detail = f"{request.method} is not answered at {request.url.path}: OPTIONS lists what is"
        return problem(405, "ImplementationException", "Method not allowed", detail)
    return problem(error.status_code, "ImplementationException", "EPCIS error", str(error.detail))


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    detail = f"{where}: {first.get('msg', 'invalid')}"
    return problem(400, "QueryParameterException", "EPCIS query parameter exception", detail)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(EpcisProblem, _epcis_problem)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
