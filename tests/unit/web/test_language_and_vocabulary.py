"""Choosing the reader's language, and a catalogue that is whole in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.i18n import EN, VI, Translator, choose_language


@pytest.mark.parametrize(
    ("query", "accept_language", "chosen"),
    [
        (None, None, VI),
        (None, "", VI),
        (None, "en", EN),
        (None, "en-US,en;q=0.9", EN),
        (None, "de-DE,de;q=0.9", VI),
        (None, "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", VI),
        (None, "en;q=0.2, vi;q=0.1", EN),
        (None, "en;q=0", VI),
        (None, "*", VI),
        (None, "en;q=nonsense, vi;q=0.5", VI),
        ("en", "vi", EN),
        ("vi", "en", VI),
        ("fr", "en", EN),
    ],
)
def test_the_language_is_chosen_from_the_address_then_the_browser(
    query: str | None, accept_language: str | None, chosen: str
) -> None:
    assert choose_language(query, accept_language) == chosen


def test_the_vietnamese_is_written_with_its_diacritics() -> None:
    t = Translator(VI)

    assert t("provenance") == "Nguồn gốc"
    assert t("kind_cooperative") == "Hợp tác xã"
    assert t("step_harvested") == "Thu hoạch"
    assert t("status_recalled") == "Đã thu hồi"


def test_an_unknown_step_is_shown_as_recorded() -> None:
    assert Translator(EN).known("step", "fumigated") == "fumigated"
    assert Translator(EN).known("step", "shipped") == "Shipped"


def test_dates_follow_each_language() -> None:
    assert Translator(VI).date("2026-05-20") == "20/05/2026"
    assert Translator(EN).date("2026-05-20") == "20 May 2026"
    assert Translator(EN).datetime("2026-05-20T06:30:00+07:00") == "20 May 2026 06:30"
    assert Translator(VI).datetime("not a time") == "not a time"


def test_numbers_are_written_the_vietnamese_way_unless_english_is_asked_for() -> None:
    assert Translator(VI).number(Decimal("1234.5")) == "1.234,5"
    assert Translator(EN).number(Decimal("1234.5")) == "1,234.5"


def test_a_message_takes_named_parameters() -> None:
    assert Translator(VI)("missing_key_{batch}", batch="TH-2026-000001") == (
        "missing_key_TH-2026-000001"
    )
