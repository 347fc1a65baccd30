"""A member household's values are checked before they are sealed: a bad one never reaches a key."""

from __future__ import annotations

import pytest

from shared.domain import household
from shared.domain.errors import InvalidValue


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("0912 345 678", "0912345678"), ("+84.912.345.678", "+84912345678"), ("  ", None)],
)
def test_a_phone_number_is_kept_as_its_digits(typed: str, kept: str | None) -> None:
    assert household.phone(typed) == kept


@pytest.mark.parametrize("typed", ["12-34", "09123", "+1 202 555 0100", "0912abc678"])
def test_a_phone_number_that_is_not_vietnamese_is_refused_at_its_field(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        household.phone(typed)
    assert (refused.value.field, refused.value.code) == ("phone", "phone_format")


def test_a_household_needs_a_reference_of_at_most_forty_characters() -> None:
    assert household.reference("  HO-12 ") == "HO-12"
    for typed in ("", "x" * 41):
        with pytest.raises(InvalidValue) as refused:
            household.reference(typed)
        assert refused.value.field == "reference"
