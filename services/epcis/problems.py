"""Every refusal of the EPCIS interface as RFC 7807 problem+json with an EPCIS exception type.

Partners' EPCIS clients read ``type`` (``epcisException:QueryParameterException`` …) rather than
this platform's own error format, so this app answers in the binding's format only.
"""

from __future__ import annotations

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

    def __init__(self, detail: str, *, parameter: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter


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


class NoSuchResource(EpcisProblem):
    """No event (or resource) by that name that the caller may read (404)."""

    status = 404
    exception = "NoSuchResourceException"
    title = "Resource not found"


def problem(status: int, exception: str, title: str, detail: str, **extra: str) -> Response:
    body: dict[str, object] = {
        "type": f"epcisException:{exception}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _epcis_problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, EpcisProblem)
    extra = {"parameter": error.parameter} if error.parameter else {}
    return problem(error.status, error.exception, error.title, error.detail, **extra)


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
