"""Domain errors: one root, and a stable machine-readable ``code`` on every refusal."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Root of every error the platform raises on purpose.

    ``params`` names the values a refusal is about (``{"recalled_ancestor": "TH-2026-000001"}``),
    so a client or a translated message can use them without parsing ``message``.
    """

    code = "domain_error"

    def __init__(
        self, message: str, *, code: str | None = None, params: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, str] = dict(params or {})
        if code is not None:
            self.code = code


class InvalidValue(DomainError):
    """A value is malformed (a GTIN with a wrong check digit, a negative area): fix the input."""

    code = "invalid_value"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, code="invalid_value")
        self.field = field


class RuleViolated(DomainError):
    """A command is well formed but would break an invariant; ``code`` names the rule."""


class NotFound(DomainError):
    code = "not_found"


class NotPermitted(DomainError):
    """The acting organisation may not do this (not the holder, not the addressee, ...)."""

    code = "not_permitted"


class ConcurrentChange(DomainError):
    """Someone else changed the same record at the same moment: reload and try again."""

    code = "concurrent_change"
