"""The platform's one error root, and the domain's refusals with a stable ``code`` each.

``NguonError`` lives here, in the pure domain, so that every layer above (records, read models,
Kafka, the apps) can derive from it without the domain importing any of them; ``shared.errors``
re-exports it for code that is not about the domain.

A refusal's ``code`` is specific (``gtin_check_digit``, not ``invalid_value``) and its ``params``
name the values the message speaks of, so the gettext catalogues can hold the message under
``error_<code>`` in each language (``shared.i18n``); ``message`` is the English wording, used
when no catalogue is at hand.
"""

from __future__ import annotations

from collections.abc import Mapping


class NguonError(Exception):
    """Root of every error the platform defines: ``except NguonError`` catches all of ours."""


class DomainError(NguonError):
    """Root of the refusals: a command or a value the platform will not accept.

    ``params`` names the values a refusal is about (``{"recalled_ancestor": "TH-2026-000001"}``),
    so a client or a translated message can use them without parsing ``message``.
    """

    code = "domain_error"

    def __init__(
        self, message: str, *, code: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        # Strings, so the params travel as JSON and format the same in every language.
        self.params: dict[str, str] = {k: str(v) for k, v in (params or {}).items()}
        if code is not None:
            self.code = code


class InvalidValue(DomainError):
    """A value is malformed (a GTIN with a wrong check digit, a negative area): fix the input.

    ``field`` names the input at fault; ``code`` says what is wrong with it (``gtin_check_digit``):
    the class's ``invalid_value`` is only the kind, and no raise uses it (a test sees to that).
    """

    code = "invalid_value"

    def __init__(
        self,
        field: str,
        message: str,
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
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
