"""Where a refusal is shown on a form, and in whose words: one place for the app's forms.

A problem reading a field is worded by its code; a command the records refuse is shown at the
form field its ``field`` names, else at the field its code concerns, else at the first field
(a refusal about the whole form), in the reader's language (``shared.i18n.refusals``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from services.cooperative_app.lot_changes.fields import Problem
from shared.domain.errors import DomainError, InvalidValue
from shared.i18n.refusals import refusal_message
from shared.i18n.translator import Translator
from shared.records.application import CommandRefused


def field_of(
    refusal: DomainError,
    names: Sequence[str],
    aliases: Mapping[str, str],
    by_code: Mapping[str, Sequence[str]],
) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    if isinstance(error, InvalidValue):
        named = aliases.get(error.field, error.field)
        if named in names:
            return named
    for candidate in by_code.get(error.code, ()):
        if candidate in names:
            return candidate
    return names[0]


def worded(refusal: DomainError, t: Translator) -> str:
    params = {name: str(value) for name, value in refusal.params.items()}
    return refusal_message(refusal.code, params, t.lang, refusal.message)


def problem_worded(problem: Problem, label: str, t: Translator) -> str:
    params = {"field": label, **problem.params}
    return refusal_message(problem.code, params, t.lang, problem.code)
