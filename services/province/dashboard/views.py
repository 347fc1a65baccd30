"""An indicator made ready for a page: words, formatted numbers, charts, links that keep filters.

Generic over every indicator key: what is drawn depends only on the shapes of
``shared.readmodels.monitoring.figures``. Which chart a table gets is decided here, in one place
(:func:`_table_chart`): a table of shares (a text column, and a percentage that is one count
of another: n of N) gets bars by row; a table of commitments (a percentage that is one amount
of another: shipped of committed) gets fulfilment bars; series sharing a title are one monthly
chart. Every chart's numbers are also in a table below it. Which columns are the numerator and
the denominator of a percentage is read from the numbers themselves (:func:`_share_columns`),
so any indicator's table of shares gets its bars without naming its columns here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from markupsafe import Markup

from services.province.dashboard.filters import FilterForm
from shared.charts import (
    FulfilmentBar,
    Line,
    ShareBar,
    fulfilment_bars,
    monthly_chart,
    share_bars,
)
from shared.exports import series_tables, shown, word
from shared.exports.cells import charts
from shared.i18n import Translator
from shared.readmodels.monitoring.figures import Column, Figure, Indicator, Kind, Share, Table

NUMERIC = frozenset({Kind.COUNT, Kind.AMOUNT, Kind.PERCENT})
MOST_BARS = 30  # beyond that a chart stops helping; the table below still has every row
OVERVIEW_BARS = 8  # the overview's cards show the largest rows only; the indicator page all
BASE = "/province/dashboard"


@dataclass(frozen=True)
class FigureView:
    label: str
    value: str
    words: str | None  # a share's numerator and denominator, in a sentence
    drill_href: str | None


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    href: str | None = None


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    note: str | None
    headers: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Markup | None
    csv_href: str


@dataclass(frozen=True)
class IndicatorView:
    key: str
    title: str
    description: str
    figures: tuple[FigureView, ...]
    tables: tuple[TableView, ...]  # series' tables first (each with its chart), then the rest
    href: str
    xlsx_href: str
    csv_href: str

    @property
    def first_chart(self) -> Markup | None:
        return next((table.chart for table in self.tables if table.chart is not None), None)


def indicator_view(
    indicator: Indicator, form: FilterForm, t: Translator, most_bars: int = MOST_BARS
) -> IndicatorView:
    """``most_bars`` bounds a table's bar chart: the overview's cards draw the rows with the
    largest wholes, the indicator's own page up to ``MOST_BARS`` in the table's order."""
    key = indicator.key
    href = f"{BASE}/{quote(key)}"
    figures = tuple(_figure(figure, key, form, t) for figure in indicator.figures)
    tables: list[TableView] = []
    for (title, group), table in zip(
        charts(indicator.series), series_tables(indicator.series), strict=True
    ):
        lines = tuple(Line(word(t, one.label or one.title), one.points) for one in group)
        chart = monthly_chart(
            f"{key}-{table.key}",
            word(t, title),
            lines,
            t,
            percent=group[0].unit is Kind.PERCENT,
            empty_text=t("dash_no_data"),
        )
        tables.append(_table(table, key, form, t, _svg(chart)))
    for table in indicator.tables:
        tables.append(_table(table, key, form, t, _table_chart(table, key, t, most_bars)))
    return IndicatorView(
        key=key,
        title=word(t, indicator.title),
        description=word(t, indicator.description),
        figures=figures,
        tables=tuple(tables),
        href=href + form.query(),
        xlsx_href=f"{href}.xlsx{form.query()}",
        csv_href=f"{href}.csv{form.query()}",
    )


def drill_href(key: str, drill: str, form: FilterForm) -> str:
    return f"{BASE}/{quote(key)}/cooperatives{form.query(drill=drill)}"


def drill_title(indicator: Indicator, drill: str, t: Translator) -> str:
    """What a drill-down key lists: the figure or the row that named it, else the indicator."""
    for figure in indicator.figures:
        if figure.drill == drill:
            return word(t, figure.label)
    for table in indicator.tables:
        for row in table.rows:
            if row.drill == drill:
                first = next((c for c in table.columns if c.kind is Kind.TEXT), table.columns[0])
                return f"{word(t, table.title)}: {shown(t, row.values.get(first.key), first.kind)}"
    return word(t, indicator.title)


def _figure(figure: Figure, key: str, form: FilterForm, t: Translator) -> FigureView:
    value = figure.value
    href = drill_href(key, figure.drill, form) if figure.drill else None
    if isinstance(value, Share):
        percent = value.percent
        big = "—" if percent is None else f"{t.number(percent)} %"
        words = _share_words(value, t, amounts=figure.kind is Kind.AMOUNT)
        return FigureView(word(t, figure.label), big, words, href)
    return FigureView(word(t, figure.label), shown(t, value, figure.kind), None, href)


def _share_words(share: Share, t: Translator, *, amounts: bool = False) -> str:
    """The share in a sentence: "18 of 40 active cooperatives are in a chain", or for amounts
    (kilograms shipped of kilograms committed) each number after what it measures."""
    if not share.denominator:
        return t("dash_share_no_whole", denominator_label=word(t, share.denominator_label))
    numbers = {
        "numerator": t.number(share.numerator),
        "denominator": t.number(share.denominator),
        "numerator_label": word(t, share.numerator_label),
        "denominator_label": word(t, share.denominator_label),
    }
    if amounts:
        return t("dash_amounts_in_words", **numbers)
    return t("dash_share_in_words", **numbers)


def _table(
    table: Table, key: str, form: FilterForm, t: Translator, chart: Markup | None
) -> TableView:
    drills = any(row.drill for row in table.rows)
    headers = [Cell(word(t, c.label), c.kind in NUMERIC) for c in table.columns]
    if drills:
        headers.append(Cell(t("dash_counted_cooperatives")))
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:
        cells = [
            Cell(
                shown(t, row.values.get(c.key), c.kind, c.key),
                c.kind in NUMERIC,
                row.link if index == 0 and row.link else None,
            )
            for index, c in enumerate(table.columns)
        ]
        if drills:
            href = drill_href(key, row.drill, form) if row.drill else None
            cells.append(Cell(t("dash_see_list") if href else "", href=href))
        rows.append(tuple(cells))
    return TableView(
        key=table.key,
        title=word(t, table.title),
        note=word(t, table.note) if table.note else None,
        headers=tuple(headers),
        rows=tuple(rows),
        chart=chart,
        csv_href=f"{BASE}/{quote(key)}.csv{form.query(table=table.key)}",
    )


def _table_chart(
    table: Table, key: str, t: Translator, most_bars: int = MOST_BARS
) -> Markup | None:
    """Bars for a table of shares or of commitments (see the module's docstring); else none."""
    if not table.rows or not table.columns or table.columns[0].kind is not Kind.TEXT:
        return None
    found = _share_columns(table)
    if found is None:
        return None
    numerator, denominator = found
    label = table.columns[0]
    rows = table.rows[:most_bars]
    if most_bars < MOST_BARS and len(table.rows) > most_bars:
        # A summary: the largest wholes, in the table's own order.
        largest = sorted(
            range(len(table.rows)),
            key=lambda i: _number(table.rows[i].values.get(denominator.key)),
            reverse=True,
        )[:most_bars]
        rows = tuple(table.rows[i] for i in sorted(largest))
    chart_id, title = f"{key}-{table.key}", word(t, table.title)
    if len(rows) < len(table.rows):
        title = t("dash_largest_rows", title=title, shown=len(rows), total=len(table.rows))
    names = [shown(t, row.values.get(label.key), Kind.TEXT, label.key) for row in rows]
    parts = [_number(row.values.get(numerator.key)) for row in rows]
    wholes = [_number(row.values.get(denominator.key)) for row in rows]
    if numerator.kind is Kind.COUNT:
        shares = tuple(ShareBar(*one) for one in zip(names, parts, wholes, strict=True))
        return _svg(share_bars(chart_id, title, shares, t))
    bars = tuple(
        FulfilmentBar(name, whole, part)
        for name, part, whole in zip(names, parts, wholes, strict=True)
    )
    return _svg(fulfilment_bars(chart_id, title, bars, t))


def _share_columns(table: Table) -> tuple[Column, Column] | None:
    """The numerator and denominator columns of the table's first percentage, found from the
    numbers themselves: the pair of columns of one kind whose ratio is that percentage on every
    row (to its tenth). Counts make shares; amounts (shipped of committed) make fulfilment."""
    percents = [c for c in table.columns if c.kind is Kind.PERCENT]
    if not percents:
        return None
    percent = percents[0]
    numbers = [c for c in table.columns if c.kind in (Kind.COUNT, Kind.AMOUNT)]
    for part in numbers:
        for whole in numbers:
            if part is whole or part.kind is not whole.kind:
                continue
            if _ratio_everywhere(table, part.key, whole.key, percent.key):
                return part, whole
    return None


def _ratio_everywhere(table: Table, part: str, whole: str, percent: str) -> bool:
    checked = 0
    for row in table.rows:
        n, d, p = row.values.get(part), row.values.get(whole), row.values.get(percent)
        if not isinstance(n, int | Decimal) or not isinstance(d, int | Decimal):
            return False
        if not d:
            if p is not None:  # a share of nothing is no share: a whole of 0 leaves it empty
                return False
            continue
        if not isinstance(p, int | Decimal):
            return False
        if abs(Decimal(n) * 100 / Decimal(d) - Decimal(p)) > Decimal("0.05") + Decimal("0.0001"):
            return False
        checked += 1
    return checked > 0


def _number(value: object) -> int | Decimal:
    return value if isinstance(value, int | Decimal) else 0


def _svg(chart: str) -> Markup:
    """A chart's SVG goes into the page as markup: ``shared.charts`` built it with an XML
    serializer that escapes every label, so no text typed by a person is markup in it."""
    return Markup(chart)  # noqa: S704
