"""The province's recalls: the list (open first, drills marked), "run a recall" and "run a drill"
for a batch, a recall's page (holders, times, what came back, a progress bar), lifting one, and
the recall report as a page and an XLSX workbook.

Routes stay thin: what is stored goes through a ``RecallDesk`` (the records' commands), what is
shown comes from a ``RecallReader`` (the recall projection) and, for the report, a ``Tracer``
(the trace back and forward with its mass balance) when one is given; ``progress`` says where a
recall stands, ``report`` turns that into the workbook's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.province.people import Staff, StaffPosting
from services.province.recalls.desk import RecallDesk, RecordsDesk
from services.province.recalls.progress import Totals, standing
from services.province.recalls.report import Tracer, report_tables, report_traces
from shared.accounts.gate import Person
from shared.charts.bars import ShareBar, share_bars
from shared.domain.clock import now
from shared.domain.errors import DomainError
from shared.exports import XLSX_TYPE
from shared.exports.workbooks import Heading, table_to_xlsx
from shared.i18n.refusals import refusal_message
from shared.i18n.translator import Translator
from shared.pages import Pages
from shared.readmodels.recalls import RecallReader, RecallView
from shared.records.application import CommandRefused
from shared.trace.graph import TraceGraph

CatchUp = Callable[[int], bool]
"""Waits until the read models reflect a position; False if they are still behind."""

Picture = Callable[[TraceGraph, Translator], str]
"""A trace drawn as SVG markup, in the reader's language."""

TEXT_LIMIT = 500  # a reason fits a notice on a phone; the API allows the same


def router(
    pages: Pages,
    reader: RecallReader,
    desk: RecallDesk,
    tracer: Tracer | None = None,
    picture: Picture | None = None,
    catch_up: CatchUp | None = None,
) -> APIRouter:
    """``picture`` draws a trace as SVG for the report (the staff trace pages' picture);
    ``catch_up`` waits for the recall read model to reach a form's ``?after=`` position."""
    screens = _Screens(pages, reader, desk, tracer, picture, catch_up)
    routes = APIRouter(prefix="/province/recalls")
    routes.add_api_route("", screens.listing, methods=["GET"], include_in_schema=False)
    routes.add_api_route("/new", screens.new_form, methods=["GET"], include_in_schema=False)
    routes.add_api_route("/new", screens.new_post, methods=["POST"], include_in_schema=False)
    routes.add_api_route("/{recall_id}", screens.page, methods=["GET"], include_in_schema=False)
    routes.add_api_route(
        "/{recall_id}/report.xlsx", screens.report_xlsx, methods=["GET"], include_in_schema=False
    )
    routes.add_api_route(
        "/{recall_id}/report", screens.report, methods=["GET"], include_in_schema=False
    )
    routes.add_api_route(
        "/{recall_id}/lift", screens.lift_form, methods=["GET"], include_in_schema=False
    )
    routes.add_api_route(
        "/{recall_id}/lift", screens.lift_post, methods=["POST"], include_in_schema=False
    )
    return routes


def open_first(views: list[RecallView]) -> list[RecallView]:
    """Open recalls first (newest first), then the closed and lifted ones (newest first)."""
    newest = sorted(views, key=lambda v: v.opened_at, reverse=True)
    return sorted(newest, key=lambda v: v.state != "open")


class _Screens:
    def __init__(
        self,
        pages: Pages,
        reader: RecallReader,
        desk: RecallDesk,
        tracer: Tracer | None,
        picture: Picture | None,
        catch_up: CatchUp | None = None,
    ) -> None:
        self._catch_up = catch_up
        self._pages = pages
        self._reader = reader
        self._desk = desk
        self._tracer = tracer
        self._picture = picture

    def _render(
        self, request: Request, person: Person, name: str, status_code: int = 200, **context: Any
    ) -> Response:
        chrome = self._pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return self._pages.response(name, chrome, status_code=status_code, **context)

    def _caught_up(self, request: Request) -> None:
        """A page reached from a form waits (a little) for what the form stored."""
        after = request.query_params.get("after", "")
        if self._catch_up is not None and after.isdigit():
            self._catch_up(int(after))

    def _view(self, recall_id: str) -> RecallView | None:
        try:
            wanted = UUID(recall_id)
        except ValueError:
            return None
        return self._reader.recall(wanted, viewer=None)

    def _missing(self, request: Request, person: Person) -> Response:
        return self._render(request, person, "recalls/not_found.html", status_code=404)

    def listing(self, request: Request, person: Staff) -> Response:
        self._caught_up(request)
        views = open_first(list(self._reader.recalls(viewer=None, include_drills=True)))
        return self._render(request, person, "recalls/list.html", recalls=views)

    def new_form(self, request: Request, person: Staff) -> Response:
        drill = request.query_params.get("drill") == "1"
        typed = {"batch": request.query_params.get("batch", "")}
        return self._form(request, person, drill=drill, values=typed, errors={})

    async def new_post(self, request: Request, person: StaffPosting) -> Response:
        typed = {k: str(v).strip() for k, v in (await request.form()).items()}
        drill = typed.get("drill") == "1"
        t = self._pages.chrome(request).t
        errors = _needed(t, typed, {"reason": "recall_field_reason"})
        if not errors:
            try:
                code = self._desk.batch_code(
                    code=typed.get("batch", ""),
                    gtin=typed.get("gtin", ""),
                    lot=typed.get("lot", ""),
                )
                started = self._desk.start(
                    person.actor, batch_code=code, reason=typed["reason"], drill=drill
                )
            except DomainError as refusal:
                errors = {_field(refusal, ("batch", "gtin", "lot", "reason")): _worded(refusal, t)}
            else:
                # Once the recall is its own record its page is the place to go; else the list.
                target = f"/{started.recall_id}" if started.recall_id else ""
                query = urlencode({"after": started.position, "started": started.batch_code})
                return RedirectResponse(f"/province/recalls{target}?{query}", status_code=303)
        return self._form(request, person, drill=drill, values=typed, errors=errors, status=422)

    def _form(
        self,
        request: Request,
        person: Person,
        *,
        drill: bool,
        values: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Response:
        return self._render(
            request, person, "recalls/new.html", status, drill=drill, values=values, errors=errors
        )

    def page(self, recall_id: str, request: Request, person: Staff) -> Response:
        self._caught_up(request)
        view = self._view(recall_id)
        if view is None:
            return self._missing(request, person)
        t = self._pages.chrome(request).t
        where = standing(view, now=now())
        return self._render(
            request, person, "recalls/recall.html", view=view, where=where,
            bars=_progress_picture(t, where.totals),
        )  # fmt: skip

    def report(self, recall_id: str, request: Request, person: Staff) -> Response:
        view = self._view(recall_id)
        if view is None:
            return self._missing(request, person)
        traces = report_traces(self._tracer, view)
        where = standing(view, now=now(), forward=traces.forward)
        t = self._pages.chrome(request).t
        drawn = {
            key: self._picture(graph, t)
            for key, graph in (("back", traces.back), ("forward", traces.forward))
            if graph is not None and self._picture is not None
        }
        return self._render(
            request, person, "recalls/report.html", view=view, where=where, traces=traces,
            bars=_progress_picture(t, where.totals), pictures=drawn,
        )  # fmt: skip

    def report_xlsx(self, recall_id: str, request: Request, person: Staff) -> Response:
        view = self._view(recall_id)
        if view is None:
            return self._missing(request, person)
        traces = report_traces(self._tracer, view)
        where = standing(view, now=now(), forward=traces.forward)
        lang = self._pages.chrome(request).lang
        title = "recall_report_drill_title" if view.drill else "recall_report_title"
        heading = Heading(title=title, as_of=now().date(), known_at=now())
        body = table_to_xlsx(report_tables(where, traces), lang, heading)
        name = f"recall-{view.batch_code}{'-drill' if view.drill else ''}.xlsx"
        disposition = f'attachment; filename="{name}"'
        return Response(body, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})

    def lift_form(self, recall_id: str, request: Request, person: Staff) -> Response:
        view = self._view(recall_id)
        if view is None:
            return self._missing(request, person)
        return self._render(request, person, "recalls/lift.html", view=view, values={}, errors={})

    async def lift_post(self, recall_id: str, request: Request, person: StaffPosting) -> Response:
        view = self._view(recall_id)
        if view is None:
            return self._missing(request, person)
        typed = {k: str(v).strip() for k, v in (await request.form()).items()}
        t = self._pages.chrome(request).t
        errors = _needed(t, typed, {"reason": "recall_field_lift_reason"})
        if not errors and view.state != "open":
            errors = {"reason": t("recall_lift_not_open")}
        if not errors:
            try:
                position = self._desk.lift(
                    person.actor, recall_id=UUID(view.recall_id), reason=typed["reason"]
                )
            except DomainError as refusal:
                errors = {"reason": _worded(refusal, t)}
            else:
                return RedirectResponse(
                    f"/province/recalls/{view.recall_id}?after={position}", status_code=303
                )
        return self._render(
            request, person, "recalls/lift.html", 422, view=view, values=typed, errors=errors
        )


def _needed(t: Translator, typed: dict[str, str], fields: dict[str, str]) -> dict[str, str]:
    errors = {}
    for name, label in fields.items():
        value = typed.get(name, "")
        if not value:
            errors[name] = refusal_message(
                "value_missing", {"field": t(label)}, t.lang, f"{name} is missing"
            )
        elif len(value) > TEXT_LIMIT:
            errors[name] = t("recall_text_too_long", limit=TEXT_LIMIT)
    return errors


def _field(refusal: DomainError, names: tuple[str, ...]) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    named = error.params.get("field", "")
    if named in names:
        return named
    if error.code in ("not_found", "batch_not_found") or "batch" in error.params:
        return "batch"
    return names[-1] if error.code.startswith("recall_") else names[0]


def _worded(refusal: DomainError, t: Translator) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    return refusal_message(error.code, error.params, t.lang, error.message)


def _progress_picture(t: Translator, totals: tuple[Totals, ...]) -> str:
    """One bar per unit: the share of the affected quantity withdrawn or destroyed."""
    bars = tuple(
        ShareBar(t("recall_progress_unit", unit=x.unit), x.accounted, x.affected) for x in totals
    )
    title = t("recall_progress_title")
    return share_bars("recall-progress", title, bars, t) if bars else ""


__all__ = ["CatchUp", "Picture", "RecallDesk", "RecordsDesk", "router"]
