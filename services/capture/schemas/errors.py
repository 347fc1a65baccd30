"""The one shape of every refusal the capture API gives, as its OpenAPI document shows it.

``services.capture.errors`` builds the bodies; this model describes them, and a test checks
real refusals against the document, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    field: str | None
    index: int | None
    code: str = Field(description="what is wrong, the same in every language (text_too_long...)")
    message: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str = Field(
        description="stable and machine-readable, the same in every language: what is wrong"
        " (gtin_check_digit, lot_characters, quantity_not_positive, malformed_json, not_found,"
        " unauthenticated, not_own, projections_behind, store_unavailable, ...) or the rule"
        " refused (recalled, mass_balance, ...)"
    )
    message: str = Field(
        description="what was wrong, in the language Accept-Language asks for (English if none)"
    )
    params: dict[str, str] | None = Field(
        default=None,
        description="the values the message speaks of, by name, to word it yourself",
    )
    field: str | None = Field(description="the input at fault (dotted path), if one is")
    index: int | None = Field(description="in a bulk request: the command at fault")
    hint: str = Field(description="what to do about it, in the message's language")
    problems: list[Problem] | None = Field(
        default=None,
        description="422 for a malformed request: every fault found, not only the first",
    )
    row: int | None = Field(default=None, description="CSV imports: the row at fault (header: 1)")


class ErrorAnswer(BaseModel):
    error: ErrorDetail


# Why each status is given: whose move it is (see services.capture.errors).
STATUSES: dict[int, str] = {
    401: "no token, or one that is unknown or revoked",
    403: "the token's organisation may not do this",
    404: "nothing carries this id or code",
    409: "the records refuse it: 'code' names the rule",
    422: "the input is malformed: 'field' names it, 'problems' lists every fault",
    503: "the event store or the read side did not answer in time: retry (Retry-After)",
}
READ_STATUSES = (401, 403, 404, 422, 503)
WRITE_STATUSES = (401, 403, 404, 409, 422, 503)
