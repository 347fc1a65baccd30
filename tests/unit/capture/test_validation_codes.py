"""Every problem with a request's shape has its own code, worded in Vietnamese and in English."""

from __future__ import annotations

import string

import pytest
from fastapi.exceptions import RequestValidationError

from services.capture.errors import validation_error_response
from services.capture.validation import CODES, OWN, params_of
from shared.i18n import LANGUAGES
from shared.i18n.catalogues import has_message, translations

ALL_CODES = sorted({*CODES.values(), *OWN})


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", ALL_CODES)
def test_each_validation_code_has_its_message_in_each_language(code: str, lang: str) -> None:
    assert has_message(f"error_{code}", lang)


@pytest.mark.parametrize("code", ALL_CODES)
def test_each_message_asks_only_for_params_its_problem_gives(code: str) -> None:
    given = {"field", "detail", "limit", "min_length", "max_length", "expected", "first", "last"}
    for lang in LANGUAGES:
        text = translations(lang).gettext(f"error_{code}")
        asked = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert asked <= given, (code, lang, asked - given)


def test_a_too_long_text_is_refused_in_vietnamese_with_its_limit() -> None:
    error = RequestValidationError(
        [
            {
                "type": "string_too_long",
                "loc": ("body", "name"),
                "msg": "x",
                "ctx": {"max_length": 200},
            }
        ]
    )

    answer = validation_error_response(error, "vi")

    body = bytes(answer.body).decode()
    assert '"code":"text_too_long"' in body
    assert "name: tối đa 200 ký tự" in body


def test_the_limit_passed_becomes_one_named_param() -> None:
    params = params_of({"type": "greater_than", "msg": "m", "ctx": {"gt": 0}}, "quantity.amount")

    assert params == {"field": "quantity.amount", "detail": "m", "limit": "0"}


def test_a_problem_without_the_limit_its_message_names_keeps_its_own_words() -> None:
    error = RequestValidationError(
        [{"type": "greater_than", "loc": ("body", "amount"), "msg": "Input should be > 0"}]
    )

    body = bytes(validation_error_response(error, "vi").body).decode()

    assert '"code":"number_too_small"' in body
    assert "amount: Input should be > 0" in body
