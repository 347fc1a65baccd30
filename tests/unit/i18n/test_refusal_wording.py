"""A refusal's measures are written the reader's way; its codes, GTINs and lots are not touched."""

from __future__ import annotations

from shared.i18n.refusals import refusal_message


def test_a_vietnamese_refusal_writes_quantities_with_a_decimal_comma() -> None:
    params = {"quantity": "1250.5 kg", "limit": "1000 kg"}

    message = refusal_message("mass_balance", params, "vi", fallback="")

    assert message == "1.250,5 kg nhiều hơn số lượng hiện có (1.000 kg)"


def test_an_english_refusal_writes_quantities_the_english_way() -> None:
    params = {"quantity": "1250.5 kg", "limit": "1000 kg"}

    assert refusal_message("mass_balance", params, "en", fallback="") == (
        "1,250.5 kg is more than the 1,000 kg there is"
    )


def test_a_gtin_in_a_refusal_stays_the_digits_that_were_sent() -> None:
    params = {"gtin": "08937633595196"}

    message = refusal_message("gtin_not_registered", params, "vi", fallback="")

    assert "08937633595196" in message


def test_a_refusal_the_catalogue_does_not_know_keeps_its_own_words() -> None:
    assert refusal_message("no_such_code", {}, "vi", fallback="as raised") == "as raised"


def test_a_role_in_a_vietnamese_refusal_is_the_vietnamese_word() -> None:
    message = refusal_message("already_participant", {"role": "producer"}, "vi", fallback="")

    assert "producer" not in message
