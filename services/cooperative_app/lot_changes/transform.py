"""The transformation form (split, merge, pack): input batches I hold with the quantities
taken, outputs with commodity and quantity, a conversion when the unit changes.

Rows are named as the bulk API's ``transform`` item (``inputs.0.batch``,
``outputs.1.quantity.amount``, ``conversion.factor``) so the offline outbox sends what the
form posts. A blank row is no row. The live mass-balance preview (``static/changes/``) only
warns: the domain's mass balance decides, and its refusal is shown at the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.lot_changes import fields as read
from services.cooperative_app.lot_changes.fields import UNITS, Unreadable
from services.cooperative_app.lot_changes.holdings import held_batches
from services.cooperative_app.lot_changes.refusals import field_of, problem_worded, worded
from services.cooperative_app.people import Worker, WorkerPosting
from shared.accounts.gate import Person
from shared.domain.errors import DomainError
from shared.domain.quantities import Unit
from shared.domain.transformation import Conversion
from shared.i18n.translator import Translator
from shared.records import commands as c
from shared.records.results import TransformationResult

PATH = "/app/record/transform"
ROWS = 3  # rows of inputs and of outputs a page offers; a bigger change goes by the API or CSV
STEPS = ("splitting", "merging", "packing", "milling", "sorting")
Errors = dict[str, str]

FIELD_OF = {"inputs": "inputs.0.batch", "outputs": "outputs.0.quantity.amount"}
FIELDS_OF_CODE = {
    "mass_balance": ("outputs.0.quantity.amount",),
    "units_not_convertible": ("conversion.factor",),
    "conversion_factor_not_positive": ("conversion.factor",),
    "not_custodian": ("inputs.0.batch",),
    "in_transit": ("inputs.0.batch",),
    "recalled": ("inputs.0.batch",),
    "batch_finished": ("inputs.0.batch",),
    "input_repeated": ("inputs.0.batch",),
    "transformation_incomplete": ("inputs.0.batch",),
    "time_order": ("inputs.0.batch",),
    "not_found": ("inputs.0.batch",),
}


@dataclass(frozen=True)
class _Row:
    prefix: str  # inputs.0
    label: str


def transform_routes(context: AppContext) -> APIRouter:
    routes = APIRouter()

    @routes.get(PATH, include_in_schema=False)
    def show(request: Request, person: Worker) -> Response:
        chosen = request.query_params.get("batch", "")
        return _page(context, request, person, {"inputs.0.batch": chosen}, {})

    @routes.post(PATH, include_in_schema=False)
    async def post(request: Request, person: WorkerPosting) -> Response:
        typed = await request.form()
        t = context.pages.chrome(request).t
        command, errors = _read(typed, t)
        if command is not None:
            try:
                outcome = context.records.execute(person.actor, [command])
            except DomainError as refusal:
                where = field_of(refusal, _names(), FIELD_OF, FIELDS_OF_CODE)
                errors = {where: worded(refusal, t)}
            else:
                codes = [o.code for o in outcome.result(TransformationResult).outputs]
                query = {"codes": ",".join(codes), "after": outcome.position}
                return RedirectResponse(f"{PATH}/done?{urlencode(query)}", status_code=303)
        raw = {name: str(typed.get(name) or "") for name in _names()}
        return _page(context, request, person, raw, errors, status_code=422)

    return routes


def _names() -> list[str]:
    names = ["step"]
    for i in range(ROWS):
        names += [f"inputs.{i}.batch", f"inputs.{i}.quantity.amount", f"inputs.{i}.quantity.unit"]
    for i in range(ROWS):
        names += [
            f"outputs.{i}.commodity",
            f"outputs.{i}.quantity.amount",
            f"outputs.{i}.quantity.unit",
        ]
    return [*names, "conversion.from_unit", "conversion.to_unit", "conversion.factor"]


def _read(typed: FormData, t: Translator) -> tuple[c.TransformBatches | None, Errors]:
    errors: Errors = {}

    def cell(name: str) -> str:
        return str(typed.get(name) or "")

    def attempt(name: str, label: str, reader: Any, *args: Any) -> Any:
        try:
            return reader(*args)
        except Unreadable as unreadable:
            errors[name] = problem_worded(unreadable.problem, t(label), t)
            return None

    step = attempt("step", "changes_field_step", read.choice, cell("step"), STEPS)
    inputs = []
    for i in range(ROWS):
        at = f"inputs.{i}"
        if not cell(f"{at}.batch") and not cell(f"{at}.quantity.amount"):
            continue
        batch = attempt(f"{at}.batch", "changes_field_batch", read.needed, cell(f"{at}.batch"))
        quantity = attempt(
            f"{at}.quantity.amount",
            "changes_field_quantity_amount",
            read.quantity,
            cell(f"{at}.quantity.amount"),
            cell(f"{at}.quantity.unit"),
        )
        if batch is not None and quantity is not None:
            inputs.append(c.TransformInput(batch=batch, quantity=quantity))
    outputs = []
    for i in range(ROWS):
        at = f"outputs.{i}"
        if not cell(f"{at}.commodity") and not cell(f"{at}.quantity.amount"):
            continue
        commodity = attempt(
            f"{at}.commodity", "changes_field_commodity", read.needed, cell(f"{at}.commodity")
        )
        quantity = attempt(
            f"{at}.quantity.amount",
            "changes_field_quantity_amount",
            read.quantity,
            cell(f"{at}.quantity.amount"),
            cell(f"{at}.quantity.unit"),
        )
        if commodity is not None and quantity is not None:
            outputs.append(c.TransformOutput(commodity=commodity, quantity=quantity))
    if not inputs and "inputs.0.batch" not in errors:
        errors["inputs.0.batch"] = t("changes_no_inputs")
    if not outputs and "outputs.0.commodity" not in errors:
        errors["outputs.0.commodity"] = t("changes_no_outputs")
    conversion = _conversion(cell, attempt)
    if errors or step is None:
        return None, errors
    command = c.TransformBatches(step=step, inputs=inputs, outputs=outputs, conversion=conversion)
    return command, errors


def _conversion(cell: Any, attempt: Any) -> Conversion | None:
    """Only when a factor is typed: the units default to the rows' units."""
    if not cell("conversion.factor"):
        return None
    factor: Decimal | None = attempt(
        "conversion.factor", "changes_field_factor", read.decimal, cell("conversion.factor")
    )
    from_unit = cell("conversion.from_unit") or cell("inputs.0.quantity.unit")
    to_unit = cell("conversion.to_unit") or cell("outputs.0.quantity.unit")
    units = [u.value for u in Unit]
    if factor is None or from_unit not in units or to_unit not in units:
        return None
    return Conversion(Unit(from_unit), Unit(to_unit), factor)


def _page(
    context: AppContext,
    request: Request,
    person: Person,
    values: dict[str, str],
    errors: Errors,
    status_code: int = 200,
) -> Response:
    pages = context.pages
    chrome = pages.chrome(request, person_name=person.display_name, csrf_token=person.csrf_token)
    organisation = person.actor.organisation_id
    assert organisation is not None  # Worker: only people of an organisation reach the app
    held = held_batches(context.connect, organisation)
    t = chrome.t
    return pages.response(
        "changes_transform.html",
        chrome,
        status_code=status_code,
        held=held,
        commodities=sorted({h.commodity for h in held}),
        steps=[(s, t.known("changes_step", s)) for s in STEPS],
        units=list(UNITS),
        rows=range(ROWS),
        values={k: v for k, v in values.items() if v},
        errors=errors,
    )
