"""Numbers are written as Babel writes them, whether formatted afresh or remembered."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from shared.i18n.translator import Translator

NUMBERS = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.decimals(min_value=-(10**12), max_value=10**12, places=3),
    st.floats(min_value=-1e12, max_value=1e12),
)


@given(value=NUMBERS, lang=st.sampled_from(["vi", "en"]))
def test_a_number_is_written_the_same_the_first_and_the_second_time(
    value: Decimal | int | float, lang: str
) -> None:
    t = Translator(lang)

    assert t.number(value) == format_decimal(value, locale=lang)
    assert t.number(value) == format_decimal(value, locale=lang)


def test_equal_numbers_of_other_types_or_scales_are_each_written_their_own_way() -> None:
    t = Translator("vi")
    values = (Decimal("2.50"), Decimal("2.5"), 2.5, 1234, Decimal(1234), Decimal("1E+3"))

    assert [t.number(v) for v in values] == [format_decimal(v, locale="vi") for v in values]
