"""Reading what staff typed into a registry form: each problem is a code the catalogues word."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.province.registry.fields import Field, Kind, Refused, read
from services.province.registry.forms import FORMS
from shared.i18n.catalogues import has_message
from shared.readmodels.folding import contains_pattern, fold


def problem(spec: Field, raw: str | list[str], allowed: list[str] | None = None) -> str:
    with pytest.raises(Refused) as refused:
        read(spec, raw, allowed or [])
    return refused.value.problem.code


def test_a_required_field_left_empty_is_missing_and_an_optional_one_is_none() -> None:
    assert problem(Field("name", "reg_field_name"), "  ") == "value_missing"
    assert read(Field("amount", "x", Kind.DECIMAL, required=False), "", []) is None


def test_a_day_must_be_an_iso_date_within_the_platforms_years() -> None:
    day = Field("founded", "reg_field_founded", Kind.DAY)
    assert read(day, "2019-05-20", []) == date(2019, 5, 20)
    assert problem(day, "20/05/2019") == "date_expected"
    assert problem(day, "1800-01-01") == "date_out_of_range"


def test_amounts_read_the_vietnamese_way_too() -> None:
    amount = Field("amount_vnd", "reg_field_amount_vnd", Kind.DECIMAL)
    assert read(amount, "300.000.000", []) == Decimal(300000000)
    assert read(amount, "12500,5", []) == Decimal("12500.5")
    assert problem(amount, "nhiều") == "number_expected"
    assert problem(amount, "Infinity") == "number_expected"


def test_whole_numbers_fit_the_read_models_columns() -> None:
    count = Field("members_count", "reg_field_members_count", Kind.WHOLE)
    assert read(count, "25", []) == 25
    assert problem(count, "2.5") == "whole_number_expected"
    assert problem(count, str(2**31)) == "number_too_large"


def test_a_choice_must_be_one_offered() -> None:
    model = Field("model", "reg_field_model", Kind.CHOICE)
    assert read(model, "new", ["new", "old"]) == "new"
    assert problem(model, "newest", ["new", "old"]) == "choice_unknown"
    many = Field("parties", "reg_field_parties", Kind.MANY)
    assert read(many, ["a", "b"], ["a", "b", "c"]) == ["a", "b"]
    assert problem(many, ["a", "z"], ["a"]) == "choice_unknown"


def test_texts_are_bounded_and_hold_no_nul() -> None:
    name = Field("name", "reg_field_name")
    assert problem(name, "x" * 201) == "text_too_long"
    assert problem(name, "a\x00b") == "text_not_allowed"


def test_every_forms_title_and_labels_are_in_both_catalogues() -> None:
    for form in FORMS:
        for key in [form.title, *(f.label for f in form.fields), *(f.hint for f in form.fields)]:
            if key is not None:
                assert has_message(key, "vi"), key
                assert has_message(key, "en"), key


def test_folding_ignores_case_and_vietnamese_accents() -> None:
    assert fold("HTX Hoằng Lộc ĐỒNG Tiến") == "htx hoang loc dong tien"
    assert fold("Thiê\u0323u") == fold("Thiệu")  # decomposed as some keyboards type it
    assert contains_pattern("50%_x") == "%50\\%\\_x%"
