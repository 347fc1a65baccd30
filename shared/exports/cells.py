"""How an indicator's values are written for people, in one place for pages and workbooks.

Figures carry message ids for labels and plain values (numbers, dates, text as recorded); this
module words them in the reader's language: ``1.234,5``, ``45,3 %``, ``14/03/2026``,
``03/2026``, and a text value that is a message id of the catalogues (``mon_model_new``) as its
translation. It also turns series and headline figures into tables, so a chart's numbers are
shown, exported and reported through the same columns.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date

from shared.i18n import EN, Translator, has_message
from shared.readmodels.monitoring.figures import (
    Column,
    Figure,
    Kind,
    Row,
    Series,
    Share,
    Table,
    Value,
)

_MONTH_PATTERN = {EN: "MMM yyyy"}
# Text values recorded as vocabulary (a status, a model...), worded by the column they sit in.
_VOCABULARY = {
    "status": "dash_status",
    "model": "dash_model",
    "kind": "dash_kind",
    "scheme": "dash_scheme",
    "role": "role",
}


def word(t: Translator, text: str) -> str:
    """A label or a text value: translated when it is a message id, otherwise as recorded."""
    return t(text) if has_message(text, t.lang) else text


def shown(t: Translator, value: object, kind: Kind = Kind.COUNT, column: str = "") -> str:
    """One value as the reader writes it; an empty cell for no value. A text value in a
    vocabulary column (``status``: ``active``) is the vocabulary's word."""
    if value is None:
        return ""
    if isinstance(value, str) and column in _VOCABULARY:
        key = f"{_VOCABULARY[column]}_{value}"
        if has_message(key, t.lang):
            return t(key)
    if isinstance(value, Share):
        return share_text(t, value)
    if kind is Kind.MONTH and isinstance(value, date):
        return month(t, value)
    if isinstance(value, datetime):
        return t.datetime(value.isoformat())
    if isinstance(value, date):
        return t.date(value.isoformat())
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        text = t.number(_rounded(value, kind))
        return f"{text} %" if kind is Kind.PERCENT else text
    return word(t, str(value))


def share_text(t: Translator, share: Share) -> str:
    """``45,3 % (12/30)``: the share, always with its numerator and denominator."""
    percent = share.percent
    head = "—" if percent is None else f"{t.number(percent)} %"
    return f"{head} ({t.number(share.numerator)}/{t.number(share.denominator)})"


def month(t: Translator, day: date) -> str:
    return format_date(day, _MONTH_PATTERN.get(t.lang, "MM/yyyy"), locale=t.lang)


def series_tables(series: tuple[Series, ...]) -> tuple[Table, ...]:
    """A table for each chart: series sharing a title are one chart, one column per line."""
    tables: list[Table] = []
    for title, group in _charts(series):
        columns = [Column("month", "dash_month", Kind.MONTH)]
        by_month: dict[date, dict[str, int | Decimal]] = {}
        for index, one in enumerate(group):
            key = f"s{index}"
            columns.append(Column(key, one.label or one.title, one.unit))
            for day, value in one.points:
                by_month.setdefault(day, {})[key] = value
        rows = tuple(
            Row(values={"month": day, **values}) for day, values in sorted(by_month.items())
        )
        tables.append(
            Table(key=f"series-{group[0].key}", title=title, columns=tuple(columns), rows=rows)
        )
    return tuple(tables)


def charts(series: tuple[Series, ...]) -> list[tuple[str, tuple[Series, ...]]]:
    """Series grouped into charts: those sharing a title are drawn together."""
    return _charts(series)


def figures_table(figures: tuple[Figure, ...]) -> Table:
    """The headline figures as a table: a share's numerator, denominator and percentage apart,
    with what each of them counts in words."""
    columns = (
        Column("label", "dash_figure", Kind.TEXT),
        Column("value", "dash_value", Kind.AMOUNT),
        Column("denominator", "dash_denominator", Kind.AMOUNT),
        Column("percent", "dash_percent", Kind.PERCENT),
        Column("numerator_label", "dash_numerator_counts", Kind.TEXT),
        Column("denominator_label", "dash_denominator_counts", Kind.TEXT),
    )
    rows: list[Row] = []
    for figure in figures:
        value = figure.value
        if isinstance(value, Share):
            values: dict[str, Value] = {
                "label": figure.label,
                "value": value.numerator,
                "denominator": value.denominator,
                "percent": value.percent,
                "numerator_label": value.numerator_label,
                "denominator_label": value.denominator_label,
            }
        else:
            values = {"label": figure.label, "value": value}
        rows.append(Row(values=values, drill=figure.drill))
    return Table(key="figures", title="dash_headline_figures", columns=columns, rows=tuple(rows))


def _charts(series: tuple[Series, ...]) -> list[tuple[str, tuple[Series, ...]]]:
    grouped: dict[str, list[Series]] = {}
    for one in series:
        grouped.setdefault(one.title, []).append(one)
    return [(title, tuple(group)) for title, group in grouped.items()]


def _rounded(value: int | Decimal | float, kind: Kind) -> int | Decimal:
    if isinstance(value, int):
        return value
    number = Decimal(str(value))
    places = Decimal("0.1") if kind is Kind.PERCENT else Decimal("0.01")
    rounded = number.quantize(places)
    return rounded.normalize() if rounded == rounded.to_integral() else rounded
