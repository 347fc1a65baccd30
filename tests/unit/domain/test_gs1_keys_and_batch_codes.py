"""GTINs carry a valid check digit and are kept as GTIN-14; lots follow GS1 AI (10); batch codes
read like TH-2026-000123 and give each batch its id."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain import identifiers
from shared.domain.errors import InvalidValue

from .builders import (
    A_GTIN_13,
    A_LOT,
    ANOTHER_GTIN_14,
    THE_COOPERATIVE,
    THE_SAME_GTIN_14,
    a_harvested_batch,
    assert_invalid,
    later,
)

GS1_CHARACTER_SET_82 = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)

# GTIN ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gtin", "as_gtin_14"),
    [
        (A_GTIN_13, THE_SAME_GTIN_14),
        (ANOTHER_GTIN_14, ANOTHER_GTIN_14),
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("96385074", "00000096385074"),  # GTIN-8
    ],
    ids=["GTIN-13", "GTIN-14", "GTIN-12", "GTIN-8"],
)
def test_a_valid_gtin_is_kept_as_gtin_14(gtin: str, as_gtin_14: str) -> None:
    assert identifiers.gtin14(gtin) == as_gtin_14


@pytest.mark.parametrize("gtin", ["8934567890121", "18934567890120", "036000291453", "96385075"])
def test_a_gtin_with_a_wrong_check_digit_is_refused(gtin: str) -> None:
    assert_invalid(lambda: identifiers.gtin14(gtin), "gtin")


@pytest.mark.parametrize(
    "gtin", ["", "893456789012", "893456789012X", "8934 567890120", "+8934567890120", "1234567"]
)
def test_a_gtin_of_the_wrong_length_or_with_other_characters_is_refused(gtin: str) -> None:
    assert_invalid(lambda: identifiers.gtin14(gtin), "gtin")


def test_labelling_with_a_wrong_check_digit_stores_nothing() -> None:
    batch = a_harvested_batch()

    assert_invalid(
        lambda: batch.label(
            by=THE_COOPERATIVE, gtin="8934567890121", lot=A_LOT, labels_issued=10, at=later(1)
        ),
        "gtin",
        batch,
    )


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_twelve_digits_have_exactly_one_check_digit_that_makes_a_gtin_13(
    body: str,
) -> None:
    accepted = []
    for digit in "0123456789":
        try:
            accepted.append(identifiers.gtin14(body + digit))
        except InvalidValue:
            continue

    assert len(accepted) == 1
    assert accepted[0][1:13] == body


def test_a_gtin_written_in_non_ascii_digits_is_refused() -> None:
    assert_invalid(lambda: identifiers.gtin14("８９３４５６７８９０１２０"), "gtin")


# Lot -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lot", ["A", "ST25-2026-10", "L/26.10_a", "12345678901234567890", "%&'()"])
def test_a_lot_of_up_to_20_gs1_characters_is_accepted(lot: str) -> None:
    assert identifiers.lot(lot) == lot


@pytest.mark.parametrize(
    "lot",
    ["", "123456789012345678901", "LÔ-7", "lot 7", "lot#7", "lot$7", "lot@7", "lot~7", "Lô"],
)
def test_a_lot_that_is_empty_too_long_or_outside_the_gs1_set_is_refused(lot: str) -> None:
    assert_invalid(lambda: identifiers.lot(lot), "lot")


@given(
    st.text(alphabet=GS1_CHARACTER_SET_82.replace('"', ""), min_size=1, max_size=20).filter(
        lambda lot: lot not in {".", ".."}  # no Digital Link can carry these (see identifiers)
    )
)
def test_every_lot_of_gs1_characters_up_to_20_long_is_accepted(lot: str) -> None:
    assert identifiers.lot(lot) == lot


@given(st.text(alphabet=GS1_CHARACTER_SET_82, min_size=21, max_size=40))
def test_every_lot_longer_than_20_characters_is_refused(lot: str) -> None:
    assert_invalid(lambda: identifiers.lot(lot), "lot")


def test_a_lot_with_a_trailing_newline_is_refused() -> None:
    assert_invalid(lambda: identifiers.lot("ST25-2026\n"), "lot")


# Batch codes ---------------------------------------------------------------------------------


def test_a_batch_code_reads_like_th_2026_000123() -> None:
    code = identifiers.batch_code("TH", 2026, 123)

    assert code == "TH-2026-000123"
    assert identifiers.is_batch_code(code)


def test_a_batch_s_id_follows_from_its_code() -> None:
    assert identifiers.batch_id("TH-2026-000123") == identifiers.batch_id("TH-2026-000123")
    assert identifiers.batch_id("TH-2026-000123") != identifiers.batch_id("TH-2026-000124")


@pytest.mark.parametrize(
    "code", ["TH-2026-00012", "T-2026-000123", "th-2026-000123", "TH-26-000123", "TH_2026_000123"]
)
def test_a_malformed_batch_code_is_not_a_batch_code(code: str) -> None:
    assert not identifiers.is_batch_code(code)


@pytest.mark.parametrize("code", ["TH-2026-000123\n", "TH-２０２６-000123"])
def test_a_batch_code_with_a_trailing_newline_or_non_ascii_digits_is_not_a_batch_code(
    code: str,
) -> None:
    assert not identifiers.is_batch_code(code)


def test_the_same_registration_number_gives_the_same_cooperative_id() -> None:
    assert identifiers.cooperative_id(" 2801-htx-000123 ") == THE_COOPERATIVE
