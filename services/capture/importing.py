"""Harvests from a CSV file, one per row, as a cooperative office exports them from a sheet.

The header names the columns (any order; ``,`` ``;`` or tab between cells): ``plot_ids``
(one or more ids, separated by spaces, ``|`` or ``;``), ``commodity``, ``variety``,
``quantity``, ``unit``, ``harvested_on`` (ISO date), ``value_chain_id``, ``at`` (ISO time with
offset), ``ref``, ``interval_override`` (the reason for harvesting before a spraying's
pre-harvest interval ended). Every row is stored or none is; a refusal names the row,
header = row 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from services.capture.errors import RowRefused
from services.capture.schemas.answers import WriteAnswer
from services.capture.schemas.batches import HarvestBody
from services.capture.schemas.bulk import MAX_COMMANDS
from services.capture.writing import Writer
from shared.domain.errors import InvalidValue
from shared.records.application import CommandRefused

REQUIRED = ("plot_ids", "commodity", "quantity", "unit", "harvested_on")
OPTIONAL = ("variety", "value_chain_id", "at", "ref", "interval_override")
_PLOT_SEPARATORS = re.compile(r"[\s|;,]+")

Row = tuple[int, HarvestBody]  # (row number in the file, the harvest it asks for)


def import_harvests(data: bytes, write: Writer) -> WriteAnswer:
    text = _decode(data)
    rows = harvest_rows(text)
    try:
        return write([body.to_command() for _, body in rows], text)
    except CommandRefused as refused:
        raise RowRefused(refused.index, rows[refused.index][0], refused.error) from None


def harvest_rows(text: str) -> list[Row]:
    header, _, _ = text.partition("\n")
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows: list[Row] = []
    try:
        _check_header(reader.fieldnames)
        for cells in reader:
            if _has_values(cells):
                rows.append(_row(len(rows), reader.line_num, cells))
    except csv.Error as error:
        msg = f"the CSV file is malformed: {error}"
        params = {"problem": error}
        raise InvalidValue("body", msg, code="csv_malformed", params=params) from None
    if not rows:
        raise InvalidValue("body", "the file has a header but no rows", code="csv_no_rows")
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # spreadsheets often start a UTF-8 file with a BOM
    except UnicodeDecodeError:
        raise InvalidValue("body", "save the CSV file as UTF-8", code="csv_not_utf8") from None


def _check_header(names: Sequence[str] | None) -> None:
    given = [n.strip() for n in names or []]
    unknown = [n for n in given if n not in REQUIRED + OPTIONAL]
    if unknown:
        allowed = ", ".join(REQUIRED + OPTIONAL)
        msg = f"unknown column {unknown[0]!r}; columns: {allowed}"
        params = {"column": unknown[0], "allowed": allowed}
        raise InvalidValue(unknown[0], msg, code="csv_unknown_column", params=params)
    missing = [n for n in REQUIRED if n not in given]
    if missing:
        msg = f"the header needs the column {missing[0]!r}"
        params = {"column": missing[0]}
        raise InvalidValue(missing[0], msg, code="csv_missing_column", params=params)


def _has_values(cells: dict[str | Any, Any]) -> bool:
    return any(isinstance(v, str) and v.strip() for v in cells.values())


def _row(index: int, line: int, cells: dict[str | Any, Any]) -> Row:
    if index >= MAX_COMMANDS:
        msg = f"at most {MAX_COMMANDS} rows per file: split the file"
        params = {"limit": MAX_COMMANDS}
        raise InvalidValue("body", msg, code="csv_too_many_rows", params=params)
    if None in cells:
        msg = "this row has more cells than the header has columns"
        error = InvalidValue("body", msg, code="csv_row_too_long")
        raise RowRefused(index, line, error)
    values = {k.strip(): v.strip() for k, v in cells.items() if isinstance(v, str) and v.strip()}
    try:
        return line, HarvestBody.model_validate(_as_request(values))
    except ValidationError as invalid:
        raise RowRefused(index, line, _column_error(invalid)) from None


def _as_request(values: dict[str, str]) -> dict[str, Any]:
    request: dict[str, Any] = {k: v for k, v in values.items() if k not in ("quantity", "unit")}
    if "plot_ids" in values:
        request["plot_ids"] = [p for p in _PLOT_SEPARATORS.split(values["plot_ids"]) if p]
    request["quantity"] = {"amount": values.get("quantity"), "unit": values.get("unit")}
    return request


def _column_error(invalid: ValidationError) -> InvalidValue:
    detail = invalid.errors()[0]
    location = [str(part) for part in detail["loc"]]
    column = "unit" if location[:2] == ["quantity", "unit"] else location[0]
    params = {"column": column, "problem": detail["msg"]}
    msg = f"{column}: {detail['msg']}"
    return InvalidValue(column, msg, code="csv_cell_invalid", params=params)
