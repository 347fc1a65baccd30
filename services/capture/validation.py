"""What was wrong with a request's shape, as a specific refusal code with named params.

Pydantic names each problem by a ``type`` (``string_too_long``, ``greater_than``...) with its
limits in ``ctx``; the API answers with a code of its own vocabulary for each, stable across
pydantic versions, and the catalogue words it in the reader's language (``error_<code>``). Our
own validators raise ``PydanticCustomError`` with such a code, so they are worded the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

GENERIC: Final = "invalid_value"
"""Only for a pydantic problem type this table does not know yet (its words are pydantic's)."""

CODES: Final[Mapping[str, str]] = {
    "missing": "value_missing",
    "extra_forbidden": "field_unknown",
    "string_type": "text_expected",
    "string_too_short": "text_too_short",
    "string_too_long": "text_too_long",
    "string_pattern_mismatch": "text_not_allowed",
    "string_unicode": "text_expected",
    "int_type": "whole_number_expected",
    "int_parsing": "whole_number_expected",
    "int_from_float": "whole_number_expected",
    "float_type": "number_expected",
    "float_parsing": "number_expected",
    "decimal_type": "number_expected",
    "decimal_parsing": "number_expected",
    "finite_number": "number_expected",
    "decimal_max_digits": "number_too_precise",
    "decimal_max_places": "number_too_precise",
    "decimal_whole_digits": "number_too_precise",
    "greater_than": "number_too_small",
    "greater_than_equal": "number_too_small",
    "less_than": "number_too_large",
    "less_than_equal": "number_too_large",
    "bool_type": "yes_or_no_expected",
    "bool_parsing": "yes_or_no_expected",
    "uuid_type": "id_expected",
    "uuid_parsing": "id_expected",
    "date_type": "date_expected",
    "date_parsing": "date_expected",
    "date_from_datetime_parsing": "date_expected",
    "date_from_datetime_inexact": "date_expected",
    "datetime_type": "time_expected",
    "datetime_parsing": "time_expected",
    "datetime_from_date_parsing": "time_expected",
    "timezone_aware": "time_needs_offset",
    "literal_error": "choice_unknown",
    "enum": "choice_unknown",
    "list_type": "list_expected",
    "too_short": "list_too_short",
    "too_long": "list_too_long",
    "dict_type": "object_expected",
    "model_type": "object_expected",
    "model_attributes_type": "object_expected",
    "union_tag_invalid": "command_type_unknown",
    "union_tag_not_found": "command_type_unknown",
    "json_invalid": "malformed_json",
}

_BOUNDS: Final = ("gt", "ge", "lt", "le")  # whichever was passed, as one "limit"
_LIMITS: Final = (
    *_BOUNDS,
    *("min_length", "max_length", "expected", "max_digits", "decimal_places", "whole_digits"),
    *("expected_tags", "tag", "first", "last"),
)


def code_of(problem_type: str) -> str:
    """Ours for a pydantic problem type; a type our validators raise is already ours."""
    return CODES.get(problem_type, problem_type if problem_type in OWN else GENERIC)


def params_of(detail: Mapping[str, Any], field: str | None) -> dict[str, str]:
    """The field and the limit that was passed, as strings, for the catalogue's message."""
    context = detail.get("ctx") or {}
    params = {"field": field or "body", "detail": str(detail.get("msg", ""))}
    for name in _LIMITS:
        if name in context:
            params["limit" if name in _BOUNDS else name] = str(context[name])
    return params


OWN: Final = frozenset(
    {"date_expected", "time_expected", "date_out_of_range", "polygon_invalid", "area_mismatch"}
)
"""Codes our own validators raise (``PydanticCustomError``), worded by the catalogue too."""
