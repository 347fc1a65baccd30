"""Indicators as spreadsheets: an indicator's tables as XLSX or CSV, and the yearly report.

XLSX (XlsxWriter) keeps numbers as numbers and dates as dates, each with its format (Excel shows
them with the reader's own separators), under Vietnamese headers from the catalogues, a frozen
header row and columns wide enough for their contents. Every sheet starts with a title naming
the indicator, the "as of" and "known at" dates and the filters, so a printed or forwarded sheet
says what it counts. CSV is one table in UTF-8 with a byte-order mark (so Excel opens Vietnamese
correctly), numbers in plain machine form (``1234.5``) and dates in ISO form, for other systems.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from shared.exports.cells import figures_table, series_tables, shown, word
from shared.i18n import Translator
from shared.readmodels.monitoring.figures import Column, Indicator, Kind, Table, Value

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.AMOUNT: "#,##0.##",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "dd/mm/yyyy",
    Kind.MONTH: "mm/yyyy",
}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
_MOST_SHEET_NAME = 31  # Excel's limit
_WIDEST_COLUMN = 60
_NARROWEST_COLUMN = 8


@dataclass(frozen=True)
class Heading:
    """What a sheet's title rows say: which indicator, as of when, under which filters."""

    title: str  # message id
    as_of: date
    known_at: datetime | None = None
    filters: tuple[tuple[str, str], ...] = ()  # (message id of the filter, its value as shown)


def table_to_xlsx(tables: Sequence[Table], lang: str, heading: Heading) -> bytes:
    """A workbook with one sheet per table, each under the heading's title rows."""
    t = Translator(lang)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "remove_timezone": True})
    styles = _Styles(book)
    names = _SheetNames()
    for table in tables or (_empty_table(),):
        sheet = book.add_worksheet(names.unique(word(t, table.title)))
        row = _write_heading(sheet, styles, t, heading, word(t, table.title))
        sheet.freeze_panes(row + 1, 0)
        _write_table(sheet, styles, t, table, row)
    book.close()
    return output.getvalue()


def indicator_to_xlsx(indicator: Indicator, lang: str, heading: Heading) -> bytes:
    """An indicator's whole answer: its headline figures, its tables, its series' numbers."""
    return table_to_xlsx(_all_tables(indicator), lang, heading)


def table_to_csv(table: Table, lang: str) -> bytes:
    """One table as CSV: translated headers, machine-readable values."""
    t = Translator(lang)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([word(t, column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(t, row.values.get(c.key), c) for c in table.columns])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def yearly_report(
    indicators: Sequence[Indicator],
    year: int,
    lang: str,
    heading: Heading,
    made_at: datetime | None = None,
) -> bytes:
    """The province's yearly report on collective-economy development: one workbook with a
    cover sheet (saying when it was made, if told) and one sheet per indicator, every figure
    as of ``heading.as_of``."""
    t = Translator(lang)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "remove_timezone": True})
    styles = _Styles(book)
    names = _SheetNames()
    cover = book.add_worksheet(names.unique(t("dash_report_cover_sheet")))
    sheets = [(indicator, names.unique(word(t, indicator.title))) for indicator in indicators]
    row = _write_heading(cover, styles, t, heading, t("dash_report_title", year=year))
    if made_at is not None:
        cover.write(row - 1, 0, t("dash_report_made_at", moment=t.datetime(made_at.isoformat())))
        row += 1
    cover.write(row, 0, t("dash_report_contents"), styles.header)
    cover.write(row, 1, t("dash_report_what_it_counts"), styles.header)
    for offset, (indicator, name) in enumerate(sheets, start=1):
        cover.write_url(row + offset, 0, f"internal:'{name}'!A1", string=word(t, indicator.title))
        cover.write(row + offset, 1, word(t, indicator.description), styles.wrapped)
    cover.set_column(0, 0, 40)
    cover.set_column(1, 1, 90)
    for indicator, name in sheets:
        sheet = book.add_worksheet(name)
        own = Heading(indicator.title, heading.as_of, heading.known_at, heading.filters)
        at = _write_heading(sheet, styles, t, own, word(t, indicator.title))
        sheet.write(at, 0, word(t, indicator.description), styles.note)
        at += 2
        widths: dict[int, int] = {}
        for table in _all_tables(indicator):
            sheet.write(at, 0, word(t, table.title), styles.subtitle)
            at = _write_table(sheet, styles, t, table, at + 1, widths) + 2
    book.close()
    return output.getvalue()


def _all_tables(indicator: Indicator) -> tuple[Table, ...]:
    headline = (figures_table(indicator.figures),) if indicator.figures else ()
    return (*headline, *indicator.tables, *series_tables(indicator.series))


class _Styles:
    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"bold": True, "font_size": 12})
        self.note = book.add_format({"italic": True})
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#EEF4EA", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.kinds = {
            kind: book.add_format({"num_format": f}) for kind, f in _NUMBER_FORMATS.items()
        }


class _SheetNames:
    """Excel's rules for a sheet's name: at most 31 characters, no ``[]:*?/\\'``, unique."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, wanted: str) -> str:
        base = _SHEET_NAME_FORBIDDEN.sub(" ", wanted).strip() or "Sheet"
        name, number = base[:_MOST_SHEET_NAME], 1
        while name.casefold() in self._taken:
            number += 1
            suffix = f" ({number})"
            name = base[: _MOST_SHEET_NAME - len(suffix)] + suffix
        self._taken.add(name.casefold())
        return name


def _write_heading(
    sheet: Worksheet, styles: _Styles, t: Translator, heading: Heading, title: str
) -> int:
    """The title rows; returns the row after them (where a table's header goes)."""
    sheet.write(0, 0, title, styles.title)
    dates = t("dash_as_of_line", date=t.date(heading.as_of.isoformat()))
    if heading.known_at is not None:
        known = t.datetime(heading.known_at.isoformat())
        dates = f"{dates}; {t('dash_known_at_line', moment=known)}"
    sheet.write(1, 0, dates)
    if heading.filters:
        words = "; ".join(f"{t(label)}: {value}" for label, value in heading.filters)
    else:
        words = t("dash_no_filters")
    sheet.write(2, 0, f"{t('dash_filters')}: {words}")
    return 4


def _write_table(
    sheet: Worksheet,
    styles: _Styles,
    t: Translator,
    table: Table,
    header_row: int,
    widths: dict[int, int] | None = None,
) -> int:
    """The header and the rows from ``header_row``; returns the last row written."""
    widths = {} if widths is None else widths
    for index, column in enumerate(table.columns):
        label = word(t, column.label)
        sheet.write(header_row, index, label, styles.header)
        widths[index] = max(widths.get(index, 0), min(len(label), 30))
    row_number = header_row
    for row_number, row in enumerate(table.rows, start=header_row + 1):
        for index, column in enumerate(table.columns):
            value = row.values.get(column.key)
            text = shown(t, value, column.kind, column.key)
            _write_value(sheet, styles, row_number, index, value, column.kind, text)
            widths[index] = max(widths.get(index, 0), len(text))
    if not table.rows:
        sheet.write(header_row + 1, 0, t("dash_no_rows"), styles.note)
        row_number = header_row + 1
    for index, width in widths.items():
        sheet.set_column(index, index, min(max(width + 2, _NARROWEST_COLUMN), _WIDEST_COLUMN))
    return row_number


def _write_value(
    sheet: Worksheet,
    styles: _Styles,
    row: int,
    column: int,
    value: Value,
    kind: Kind,
    text: str,
) -> None:
    """Numbers and dates as themselves, with their format; text as the reader words it."""
    if value is None:
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, column, value, styles.kinds[Kind.DATE])
    elif isinstance(value, date):
        style = styles.kinds[Kind.MONTH if kind is Kind.MONTH else Kind.DATE]
        sheet.write_datetime(row, column, datetime.combine(value, datetime.min.time()), style)
    elif isinstance(value, int | Decimal):
        number = float(value) / 100 if kind is Kind.PERCENT else float(value)
        style = styles.kinds.get(kind, styles.kinds[Kind.AMOUNT])
        sheet.write_number(row, column, number, style)
    else:
        sheet.write_string(row, column, text)


def _csv_value(t: Translator, value: Value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:7] if column.kind is Kind.MONTH else value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    return shown(t, value, column.kind, column.key)


def _empty_table() -> Table:
    return Table(key="empty", title="dash_no_rows", columns=(), rows=())
