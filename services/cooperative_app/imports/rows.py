"""Reading an uploaded CSV into rows, and checking each row against the domain without storing.

A whole-file problem (too large, too many rows, not UTF-8, an unknown or missing column) is
refused before any row is read, by a bound a phone can meet: ``MAX_BYTES`` and ``MAX_ROWS``
(one atomic request stores them all, and a preview of more would not fit a phone's screen).
Each row is then checked alone, through the records' own handlers in a unit of work that is
never saved (new batch codes are placeholders: none is drawn), so the preview refuses a row
exactly as storing it would, and stores nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from services.cooperative_app.imports.columns import CellProblem, Kind
from services.cooperative_app.lot_changes.fields import Problem, Unreadable
from services.cooperative_app.lot_changes.refusals import worded
from shared.domain import clock
from shared.domain.errors import DomainError
from shared.domain.identifiers import batch_code
from shared.errors import NguonError
from shared.i18n.refusals import refusal_message
from shared.i18n.translator import Translator
from shared.records import commands as c
from shared.records.actors import Actor
from shared.records.application import Records
from shared.records.handlers import codes_needed, handle
from shared.records.unit_of_work import UnitOfWork

MAX_BYTES = 256 * 1024  # ~2,000 rows of a typical sheet: far more than MAX_ROWS needs
MAX_ROWS = 500


class FileRefused(NguonError):
    """The file as a whole cannot be imported; ``message_id`` says why (``import_…``)."""

    def __init__(self, message_id: str, **params: str) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


@dataclass(frozen=True)
class Row:
    line: int  # the row's line in the file (the header is line 1)
    cells: dict[str, str]  # by the column's API name
    command: c.Command | None = None
    problem: str | None = None  # in the reader's words

    @property
    def good(self) -> bool:
        return self.command is not None and self.problem is None


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise FileRefused("import_too_large", limit=f"{MAX_BYTES // 1024} KB")
    try:
        return data.decode("utf-8-sig")  # spreadsheets often start a UTF-8 file with a BOM
    except UnicodeDecodeError:
        raise FileRefused("import_not_utf8") from None


def read_rows(
    text: str, kind: Kind, plots: Callable[[str], list[UUID]], t: Translator
) -> list[Row]:
    header, _, _ = text.partition("\n")
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        names = _columns(next(reader, []), kind)
        rows: list[Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused("import_too_many_rows", limit=str(MAX_ROWS))
            rows.append(_row(reader.line_num, names, cells, kind, plots, t))
    except csv.Error as error:
        raise FileRefused("import_malformed", problem=str(error)) from None
    if not rows:
        raise FileRefused("import_no_rows")
    return rows


def _columns(header: Sequence[str], kind: Kind) -> list[str]:
    accepted = kind.header_names()
    names = []
    for given in header:
        name = accepted.get(given.strip().lower())
        if name is None:
            allowed = ", ".join(col.vi for col in kind.columns)
            raise FileRefused("import_unknown_column", column=given.strip(), allowed=allowed)
        names.append(name)
    for column in kind.columns:
        if column.required and column.name not in names:
            raise FileRefused("import_missing_column", column=column.vi)
    return names


def _row(
    line: int,
    names: list[str],
    cells: list[str],
    kind: Kind,
    plots: Callable[[str], list[UUID]],
    t: Translator,
) -> Row:
    values = {name: cell.strip() for name, cell in zip(names, cells, strict=False)}
    if len(cells) > len(names):
        return Row(line, values, problem=t("import_row_too_long"))
    try:
        return Row(line, values, command=kind.build(values, plots))
    except CellProblem as problem:
        header = next(col.vi for col in kind.columns if col.name == problem.column)
        return Row(line, values, problem=_cell_worded(header, problem.problem, t))
    except DomainError as refusal:  # a value the domain reads (a unit, an activity)
        return Row(line, values, problem=worded(refusal, t))


def _cell_worded(header: str, problem: Problem, t: Translator) -> str:
    if problem.code.startswith("import_"):  # the import's own problems, in its catalogue
        return t("import_cell_problem", column=header, problem=t(problem.code, **problem.params))
    # The catalogues' refusals start with their field: here, the column.
    params = {**problem.params, "field": t("import_column_named", column=header)}
    return refusal_message(problem.code, params, t.lang, problem.code)


def checked(records: Records, actor: Actor, rows: list[Row], t: Translator) -> list[Row]:
    """Each readable row run alone through the domain, never saved: its refusal, if any."""
    return [_checked(records, actor, row, t) if row.good else row for row in rows]


def _checked(records: Records, actor: Actor, row: Row, t: Translator) -> Row:
    assert row.command is not None  # only good rows are checked
    uow = UnitOfWork(records.repository, _placeholder_codes(records), codes_needed(row.command))
    try:
        handle(uow, actor, row.command)
    except DomainError as refusal:
        return replace(row, problem=worded(refusal, t))
    return row


def _placeholder_codes(records: Records) -> Callable[[int], list[str]]:
    year = clock.today_in_vietnam().year
    return lambda count: [batch_code(records.province_code, year, n) for n in range(count)]


def plot_finder(plots: Mapping[str, UUID]) -> Callable[[str], list[UUID]]:
    """Reads a cell naming plots (codes or ids, separated by spaces, ``|`` or ``;``)."""

    def find(raw: str) -> list[UUID]:
        names = [n for n in raw.replace("|", " ").replace(";", " ").split() if n]
        if not names:
            raise Unreadable(Problem("value_missing"))
        unknown = [n for n in names if n not in plots and n.lower() not in plots]
        if unknown:
            raise Unreadable(Problem("import_plot_unknown", {"plot": unknown[0]}))
        return [plots.get(n) or plots[n.lower()] for n in names]

    return find
