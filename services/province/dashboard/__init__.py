"""The dashboard of value-chain participation: indicators, charts, drill-downs, exports.

Pages (all GET, no JavaScript): the overview (``/province/dashboard``), an indicator's page
(``/province/dashboard/{key}``), the cooperatives behind a figure
(``/province/dashboard/{key}/cooperatives?drill=…``, each linking to its registry page), the
indicator's tables as ``.xlsx`` or ``.csv``, and the yearly report workbook
(``/province/reports/yearly?year=…``). One filter form on every page; the filters ride along in
every link. Routes stay thin: the figures come from an ``Indicators`` (the monitoring queries by
default, a fake in unit tests), the words and charts from ``views``, the files from
``shared.exports``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from services.province.dashboard.filters import FilterForm, options, read_filters
from services.province.dashboard.recalls_panel import recall_panel
from services.province.dashboard.views import OVERVIEW_BARS, drill_title, indicator_view
from services.province.people import Staff
from shared.accounts.gate import Person
from shared.domain.clock import now, today_in_vietnam
from shared.exports import (
    CSV_TYPE,
    XLSX_TYPE,
    Heading,
    figures_table,
    indicator_to_xlsx,
    series_tables,
    table_to_csv,
    yearly_report,
)
from shared.pages import Chrome, Pages
from shared.readmodels.monitoring.figures import (
    INDICATOR_KEYS,
    Choices,
    Filters,
    Indicator,
    Indicators,
)
from shared.readmodels.monitoring.queries import PostgresIndicators
from shared.readmodels.recalls import RecallReader
from shared.readmodels.tracking import Connect
from shared.settings import NguonSettings

FIRST_REPORT_YEAR = 2020  # the platform holds no earlier facts worth a report


def router(
    settings: NguonSettings,
    connect: Connect,
    pages: Pages,
    indicators: Indicators | None = None,
    recalls: RecallReader | None = None,
) -> APIRouter:
    figures = indicators if indicators is not None else PostgresIndicators(connect)
    screens = _Screens(pages, figures, recalls)
    routes = APIRouter(prefix="/province")

    @routes.get("/dashboard", include_in_schema=False)
    def overview(request: Request, person: Staff) -> Response:
        return screens.overview(screens.asked(request, person))

    # The files before the page: "/dashboard/{key}" would otherwise take "contracts.xlsx".
    @routes.get("/dashboard/{key}.xlsx", include_in_schema=False)
    def indicator_xlsx(key: str, request: Request, person: Staff) -> Response:
        return screens.xlsx(screens.asked(request, person), key)

    @routes.get("/dashboard/{key}.csv", include_in_schema=False)
    def indicator_csv(key: str, request: Request, person: Staff) -> Response:
        return screens.csv(screens.asked(request, person), key)

    @routes.get("/dashboard/{key}", include_in_schema=False)
    def indicator_page(key: str, request: Request, person: Staff) -> Response:
        return screens.indicator(screens.asked(request, person), key)

    @routes.get("/dashboard/{key}/cooperatives", include_in_schema=False)
    def drill_down(key: str, request: Request, person: Staff) -> Response:
        return screens.drill(screens.asked(request, person), key)

    @routes.get("/reports/yearly", include_in_schema=False)
    def yearly(request: Request, person: Staff) -> Response:
        return screens.yearly(screens.asked(request, person, report=True))

    return routes


@dataclass(frozen=True)
class _Asked:
    """A request to the dashboard: who asks, in which language, under which filters."""

    request: Request
    chrome: Chrome
    choices: Choices
    form: FilterForm

    @property
    def path(self) -> str:
        return self.request.url.path


class _Screens:
    """Each page of the dashboard, from an asked request to a response."""

    def __init__(
        self, pages: Pages, figures: Indicators, recalls: RecallReader | None = None
    ) -> None:
        self._pages = pages
        self._figures = figures
        self._recalls = recalls  # the recall panel, when the app has the recall read model

    def asked(self, request: Request, person: Person, *, report: bool = False) -> _Asked:
        chrome = self._pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        choices = self._figures.choices()
        query = dict(request.query_params)
        if report:  # a yearly report is as of its year's end, never of a chosen day
            query = {k: v for k, v in query.items() if k not in ("as_of", "known_at")}
        return _Asked(request, chrome, choices, read_filters(query, choices))

    def overview(self, asked: _Asked) -> Response:
        filters = asked.form.filters
        if filters is None:
            return self._refused(asked)
        t = asked.chrome.t
        views = [
            indicator_view(self._figures.indicator(key, filters), asked.form, t, OVERVIEW_BARS)
            for key in INDICATOR_KEYS
        ]
        panel = recall_panel(self._recalls, today_in_vietnam()) if self._recalls else None
        return self._page("dashboard/overview.html", asked, views=views, recall_panel=panel)

    def indicator(self, asked: _Asked, key: str) -> Response:
        filters = asked.form.filters
        if filters is None:
            return self._refused(asked)
        indicator = self._answer(key, filters)
        if indicator is None:
            return self._not_found(asked)
        view = indicator_view(indicator, asked.form, asked.chrome.t)
        return self._page("dashboard/indicator.html", asked, view=view)

    def drill(self, asked: _Asked, key: str) -> Response:
        filters = asked.form.filters
        if filters is None:
            return self._refused(asked)
        drill = asked.request.query_params.get("drill", "")
        indicator = self._answer(key, filters)
        if indicator is None or not drill:
            return self._not_found(asked)
        try:
            lines = self._figures.drill(drill, filters)
        except KeyError:
            return self._not_found(asked)
        return self._page(
            "dashboard/drill.html",
            asked,
            view=indicator_view(indicator, asked.form, asked.chrome.t),
            title=drill_title(indicator, drill, asked.chrome.t),
            lines=lines,
            drill=drill,
        )

    def xlsx(self, asked: _Asked, key: str) -> Response:
        filters = asked.form.filters
        if filters is None:
            return self._refused(asked, action=f"/province/dashboard/{key}")
        indicator = self._answer(key, filters)
        if indicator is None:
            return self._not_found(asked)
        heading = _heading(indicator.title, asked.form, asked.choices)
        data = indicator_to_xlsx(indicator, asked.chrome.lang, heading)
        return _file(data, XLSX_TYPE, _file_name(key, filters, "xlsx"))

    def csv(self, asked: _Asked, key: str) -> Response:
        filters = asked.form.filters
        if filters is None:
            return self._refused(asked, action=f"/province/dashboard/{key}")
        indicator = self._answer(key, filters)
        if indicator is None:
            return self._not_found(asked)
        every = (
            *indicator.tables,
            *series_tables(indicator.series),
            figures_table(indicator.figures),
        )
        wanted = asked.request.query_params.get("table")
        table = next((one for one in every if one.key == wanted), None) if wanted else every[0]
        if table is None:
            return self._not_found(asked)
        name = _file_name(f"{key}-{table.key}", filters, "csv")
        return _file(table_to_csv(table, asked.chrome.lang), CSV_TYPE, name)

    def yearly(self, asked: _Asked) -> Response:
        t, form = asked.chrome.t, asked.form
        today = today_in_vietnam()
        years = [str(one) for one in range(today.year, FIRST_REPORT_YEAR - 1, -1)]
        raw_year = asked.request.query_params.get("year", "").strip()
        year = int(raw_year) if raw_year in years else None
        errors = {name: t(message) for name, message in form.errors.items()}
        if raw_year and year is None:
            errors["year"] = t("dash_error_year")
        if errors or year is None or form.filters is None:
            status = 400 if errors else 200
            # Last year's report is the one usually due; the form offers it first.
            shown = raw_year or (years[1] if len(years) > 1 else years[0])
            choices = [(one, one) for one in years]
            return self._page(
                "dashboard/report.html", asked, status, errors, years=choices, year=shown
            )
        as_of = min(date(year, 12, 31), today)
        filters = replace(form.filters, as_of=as_of, known_at=None)
        answers = [self._figures.indicator(key, filters) for key in INDICATOR_KEYS]
        heading = Heading("dash_report_title", as_of, None, form.described(asked.choices))
        data = yearly_report(answers, year, asked.chrome.lang, heading, made_at=now())
        return _file(data, XLSX_TYPE, f"nguon-bao-cao-{year}.xlsx")

    def _answer(self, key: str, filters: Filters) -> Indicator | None:
        if key not in INDICATOR_KEYS:
            return None
        return self._figures.indicator(key, filters)

    def _page(
        self,
        name: str,
        asked: _Asked,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        **context: object,
    ) -> Response:
        return self._pages.response(
            name,
            asked.chrome,
            status_code=status_code,
            form=asked.form,
            errors=errors or {},
            choices=asked.choices,
            options=options(asked.choices),
            action=context.pop("action", asked.path),
            **context,
        )

    def _refused(self, asked: _Asked, *, action: str | None = None) -> Response:
        """The filter form with each error at its field (400): nothing is counted."""
        errors = {name: asked.chrome.t(message) for name, message in asked.form.errors.items()}
        return self._page("dashboard/refused.html", asked, 400, errors, action=action or asked.path)

    def _not_found(self, asked: _Asked) -> Response:
        return self._page("dashboard/not_found.html", asked, 404)


def _heading(title: str, form: FilterForm, choices: Choices) -> Heading:
    assert form.filters is not None  # only asked for accepted filters
    return Heading(title, form.filters.as_of, form.filters.known_at, form.described(choices))


def _file_name(stem: str, filters: Filters, extension: str) -> str:
    return f"nguon-{stem}-{filters.as_of.isoformat()}.{extension}"


def _file(data: bytes, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type=media_type, headers=headers)
