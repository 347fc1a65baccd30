"""The lot-change forms but transformation: inspection, labelling, sale, correction, recall.

Each builds the SAME command the API builds (``shared.records.commands``) from fields named as
the bulk API item's JSON paths (``quantity.amount``, ``changes.note``), which is what the
offline outbox sends when the network is down. A refusal naming a command field lands next to
the form field of that name (``FIELD_OF``), else next to the field its code concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.domain.quantities import Quantity, Unit
from shared.records import commands as c

Values = Mapping[str, Any]


class Kind(StrEnum):
    BATCH = "batch"  # a batch code, offered from my batches; the domain judges custody
    TEXT = "text"
    LONG_TEXT = "long_text"
    WHOLE = "whole"
    DECIMAL = "decimal"
    CHOICE = "choice"  # one of the options
    CHECK = "check"  # a checkbox: true when ticked


@dataclass(frozen=True)
class Field:
    name: str  # the bulk item's JSON path
    label: str  # a message id
    kind: Kind = Kind.TEXT
    required: bool = True
    hint: str | None = None  # a message id
    options: str | None = None  # choices: which pick list (``Offer``'s key)


@dataclass(frozen=True)
class Form:
    key: str  # the bulk API item type, and changes_<key>_title
    fields: tuple[Field, ...]
    build: Callable[[Values], c.Command]
    needs_batch: bool = False  # a form that cannot be shown before a batch is chosen

    @property
    def path(self) -> str:
        return f"/app/record/{self.key}"

    @property
    def title(self) -> str:
        return f"changes_{self.key}_title"


BATCH = Field("batch", "changes_field_batch", Kind.BATCH, options="batches")
INSPECTION_PARAMETERS = ("moisture", "pesticide_residue", "heavy_metals", "microbiology")


def _inspect(v: Values) -> c.InspectBatch:
    parameters = {
        name: v[f"parameters.{name}"]
        for name in INSPECTION_PARAMETERS
        if v.get(f"parameters.{name}")
    }
    return c.InspectBatch(
        batch=v["batch"],
        lab=v["lab"],
        result=v["result"],
        parameters=parameters,
        document=v.get("document"),
    )


def _label(v: Values) -> c.LabelBatch:
    return c.LabelBatch(
        batch=v["batch"], gtin=v["gtin"], lot=v["lot"], labels_issued=v["labels_issued"]
    )


def _sell(v: Values) -> c.SellBatch:
    return c.SellBatch(batch=v["batch"], consumed=bool(v.get("consumed")))


def _correct(v: Values) -> c.CorrectBatch:
    amount = v.get("quantity.amount")
    quantity = None if amount is None else Quantity(amount, Unit(v["quantity.unit"]))
    note = v.get("changes.note")
    return c.CorrectBatch(
        batch=v["batch"],
        amends_version=int(v["amends_version"]),
        reason=v["reason"],
        changes={"note": note} if note else {},
        quantity=quantity,
    )


def _recall(v: Values) -> c.RecallBatch:
    return c.RecallBatch(batch=v["batch"], reason=v["reason"])


INSPECT = Form(
    "inspect",
    (
        BATCH,
        Field("lab", "changes_field_lab"),
        Field("result", "changes_field_result", Kind.CHOICE, options="results"),
        *(
            Field(f"parameters.{name}", f"changes_parameter_{name}", required=False)
            for name in INSPECTION_PARAMETERS
        ),
        Field("document", "changes_field_document", required=False, hint="changes_hint_document"),
    ),
    _inspect,
)
LABEL = Form(
    "label",
    (
        BATCH,
        Field("gtin", "changes_field_gtin", Kind.CHOICE, options="gtins"),
        Field("lot", "changes_field_lot", hint="changes_hint_lot"),
        Field("labels_issued", "changes_field_labels_issued", Kind.WHOLE),
    ),
    _label,
)
SELL = Form(
    "sell",
    (
        BATCH,
        Field("consumed", "changes_field_consumed", Kind.CHECK, required=False),
    ),
    _sell,
)
CORRECT = Form(
    "correct",
    (
        BATCH,
        Field("amends_version", "changes_field_amends_version", Kind.CHOICE, options="events"),
        Field("changes.note", "changes_field_changes_note", Kind.LONG_TEXT, required=False),
        Field(
            "quantity.amount",
            "changes_field_quantity_amount",
            Kind.DECIMAL,
            required=False,
            hint="changes_hint_corrected_quantity",
        ),
        # No default unit: the offline outbox would send a quantity of a unit and no amount.
        Field(
            "quantity.unit",
            "changes_field_quantity_unit",
            Kind.CHOICE,
            required=False,
            options="units",
        ),
        Field("reason", "changes_field_reason", Kind.LONG_TEXT),
    ),
    _correct,
    needs_batch=True,
)
RECALL = Form(
    "recall",
    (BATCH, Field("reason", "changes_field_reason", Kind.LONG_TEXT)),
    _recall,
    needs_batch=True,
)
FORMS = (INSPECT, LABEL, SELL, CORRECT, RECALL)

FIELD_OF = {  # a refusal's field (the command's) → the form's field
    "quantity": "quantity.amount",
    "changes": "changes.note",
    "code": "batch",
}
FIELDS_OF_CODE = {  # refusals without a field, by code → where they are shown
    "not_custodian": ("batch",),
    "in_transit": ("batch",),
    "recalled": ("batch",),
    "batch_finished": ("batch",),
    "not_found": ("batch",),
    "batch_not_found": ("batch",),
    "time_order": ("batch",),
    "gtin_not_registered": ("gtin",),
    "gtin_not_owned": ("gtin",),
    "gtin_lot_in_use": ("lot",),
    "already_labelled": ("gtin",),
    "nothing_to_correct": ("amends_version",),
    "units_not_convertible": ("quantity.unit",),
    "recall_not_permitted": ("reason",),
    "already_recalled": ("reason",),
    "inspection_result": ("result",),
}
