"""Where a refusal shows on a work form: the field it names, else the field its code is about.

One table for the four forms; a refusal about none of a form's fields shows at its first.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.domain.errors import DomainError, InvalidValue
from shared.i18n.refusals import refusal_message
from shared.i18n.translator import Translator
from shared.records.application import CommandRefused

# A command's field names as the forms name them.
ALIASES = {"quantity": "quantity.amount", "quantity_after": "quantity_after.amount"}
FIELDS_OF_CODE: dict[str, tuple[str, ...]] = {
    "pre_harvest_interval": ("harvested_on",),
    "time_order": ("harvested_on", "batch"),
    "harvest_needs_plot": ("plot_ids",),
    "plot_not_owned": ("plot_ids",),
    "household_not_own_plot": ("plot_ids",),
    "not_chain_participant": ("value_chain_id", "to"),
    "mass_balance": ("quantity_after.amount", "quantity.amount"),
    "units_not_convertible": ("quantity_after.unit", "quantity.unit"),
    "quantity_not_positive": ("quantity_after.amount", "quantity.amount"),
    "ship_to_self": ("to",),
    "organisation_not_active": ("to",),
}


def field_of(refusal: DomainError, names: Sequence[str]) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    if isinstance(error, InvalidValue) and error.field:
        named = ALIASES.get(error.field, error.field)
        if named in names:
            return named
    for candidate in FIELDS_OF_CODE.get(error.code, ()):
        if candidate in names:
            return candidate
    return "batch" if "batch" in names else names[0]


def worded(refusal: DomainError, t: Translator, labels: dict[str, str]) -> str:
    params = dict(refusal.params)
    if "field" in params:  # a field's name: its label on the form reads better
        params["field"] = t(labels.get(str(params["field"]), str(params["field"])))
    return refusal_message(refusal.code, params, t.lang, refusal.message)
