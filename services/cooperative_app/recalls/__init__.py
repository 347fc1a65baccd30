"""The cooperative app's ``recalls`` part: the inbox of recall notices (open first, a count on
the home page), a notice (what was recalled, why, what to do, my affected lots), acknowledging
it, and reporting per lot what was withdrawn or destroyed.

A holder sees only its own part of a recall, the initiator all of it: the ``RecallReader`` asked
with the organisation as viewer says which (the handbook's "Who may read what"); a recall that
does not reach the organisation answers 404, as if it did not exist. Opening a notice records
the first opening through the ``NoticeDesk``; the forms follow the app's convention (GET shows,
POST stores or shows the refusal at its field, 422, nothing stored).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.people import Worker, WorkerPosting
from services.cooperative_app.recalls.desk import LotReport, NoticeDesk, RecordsNoticeDesk
from shared.accounts.gate import Person
from shared.domain.errors import DomainError
from shared.i18n.refusals import refusal_message
from shared.i18n.translator import Translator
from shared.pages import Pages
from shared.readmodels.recalls import AffectedLot, RecallHolder, RecallReader, RecallView
from shared.records.application import CommandRefused
from shared.trace.graph import Amount

__all__ = ["CatchUp", "LotReport", "NoticeDesk", "RecordsNoticeDesk", "open_notices", "router"]


def open_notices(reader: RecallReader, organisation: UUID) -> int:
    """How many open notices wait in the organisation's inbox (the tab's and home's count)."""
    return sum(1 for view in reader.inbox(organisation) if view.state == "open")


CatchUp = Callable[[int], bool]
"""Waits until the read models reflect a position; False if they are still behind."""


def router(
    pages: Pages, reader: RecallReader, desk: NoticeDesk, catch_up: CatchUp | None = None
) -> APIRouter:
    """Built from the app's pages alone (not the whole ``AppContext``): it reads and writes
    only through the recall reader and the notice desk it is given; ``catch_up`` waits for
    the recall read model to reach a form's ``?after=`` position."""
    notices = _Notices(pages, reader, desk, catch_up)
    routes = APIRouter(prefix="/app/recalls")
    for path, endpoint, method in (
        ("", notices.inbox, "GET"),
        ("/{recall_id}", notices.notice, "GET"),
        ("/{recall_id}/acknowledge", notices.acknowledge, "POST"),
        ("/{recall_id}/lots/{batch_id}", notices.report_form, "GET"),
        ("/{recall_id}/lots/{batch_id}", notices.report_post, "POST"),
    ):
        routes.add_api_route(path, endpoint, methods=[method], include_in_schema=False)
    return routes


Mine = tuple[RecallView, RecallHolder | None]


class _Notices:
    def __init__(
        self, pages: Pages, reader: RecallReader, desk: NoticeDesk, catch_up: CatchUp | None
    ) -> None:
        self._catch_up = catch_up
        self._pages = pages
        self._reader = reader
        self._desk = desk

    def _render(
        self, request: Request, person: Person, name: str, status: int = 200, **values: Any
    ) -> Response:
        chrome = self._pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return self._pages.response(name, chrome, status_code=status, **values)

    def _mine(self, person: Person, recall_id: str) -> Mine | None:
        """The recall as this organisation may see it, and its own part (None: the initiator
        whose lots it does not hold); None if it does not reach the organisation."""
        organisation = person.actor.organisation("read a recall notice")
        try:
            wanted = UUID(recall_id)
        except ValueError:
            return None
        view = self._reader.recall(wanted, viewer=organisation)
        if view is None:
            return None
        own = next((h for h in view.holders if h.organisation_id == str(organisation)), None)
        if own is None and view.issued_by != str(organisation):
            return None
        return view, own

    def _missing(self, request: Request, person: Person) -> Response:
        return self._render(request, person, "recalls/notice_not_found.html", 404)

    def inbox(self, request: Request, person: Worker) -> Response:
        organisation = person.actor.organisation("read recall notices")
        notices = sorted(self._reader.inbox(organisation), key=lambda v: v.state != "open")
        waiting = sum(1 for v in notices if v.state == "open")
        return self._render(request, person, "recalls/inbox.html", notices=notices, waiting=waiting)

    def notice(self, recall_id: str, request: Request, person: Worker) -> Response:
        after = request.query_params.get("after", "")
        if self._catch_up is not None and after.isdigit():  # back from a form: what it stored
            self._catch_up(int(after))
        found = self._mine(person, recall_id)
        if found is None:
            return self._missing(request, person)
        view, own = found
        if own is not None and own.opened_at is None and view.state == "open":
            # The notice must be read even if its opening cannot be recorded (the recall closed
            # a moment ago): what to do matters more than when it was first seen.
            with suppress(DomainError):
                self._desk.opened(person.actor, recall_id=UUID(view.recall_id))
        initiator = view.issued_by == str(person.actor.organisation("read a recall notice"))
        return self._render(
            request, person, "recalls/notice.html", view=view, own=own, initiator=initiator
        )

    def acknowledge(self, recall_id: str, request: Request, person: WorkerPosting) -> Response:
        found = self._mine(person, recall_id)
        if found is None or found[1] is None:
            return self._missing(request, person)
        view, own = found
        try:
            position = self._desk.acknowledge(person.actor, recall_id=UUID(view.recall_id))
        except DomainError as refusal:
            errors = {"acknowledge": _worded(refusal, self._pages.chrome(request).t)}
            return self._render(
                request, person, "recalls/notice.html", 422,
                view=view, own=own, initiator=False, errors=errors,
            )  # fmt: skip
        return RedirectResponse(
            f"/app/recalls/{view.recall_id}?after={position}&done=acknowledged", status_code=303
        )

    def report_form(
        self, recall_id: str, batch_id: str, request: Request, person: Worker
    ) -> Response:
        found = _lot_of(self._mine(person, recall_id), batch_id)
        if found is None:
            return self._missing(request, person)
        view, lot = found
        return self._render(
            request, person, "recalls/report_lot.html",
            view=view, lot=lot, left=_left(lot), values={}, errors={},
        )  # fmt: skip

    async def report_post(
        self, recall_id: str, batch_id: str, request: Request, person: WorkerPosting
    ) -> Response:
        found = _lot_of(self._mine(person, recall_id), batch_id)
        if found is None:
            return self._missing(request, person)
        view, lot = found
        typed = {k: str(v).strip() for k, v in (await request.form()).items()}
        t = self._pages.chrome(request).t
        amounts, errors = _amounts(typed, lot, t)
        if not errors:
            unit = lot.affected.unit if lot.affected else "kg"
            report = LotReport(lot.batch_id, unit, amounts["withdrawn"], amounts["destroyed"])
            try:
                position = self._desk.report(
                    person.actor, recall_id=UUID(view.recall_id), lot=report
                )
            except DomainError as refusal:
                errors = {_amount_field(refusal): _worded(refusal, t)}
            else:
                return RedirectResponse(
                    f"/app/recalls/{view.recall_id}?after={position}&done=reported",
                    status_code=303,
                )
        return self._render(
            request, person, "recalls/report_lot.html", 422,
            view=view, lot=lot, left=_left(lot), values=typed, errors=errors,
        )  # fmt: skip


def _amount_field(refusal: DomainError) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    field = error.params.get("field", "withdrawn")
    return field if field in ("withdrawn", "destroyed") else "withdrawn"


def _lot_of(found: Mine | None, batch_id: str) -> tuple[RecallView, AffectedLot] | None:
    """One of the organisation's own affected lots (a lot another holds is not its to report)."""
    if found is None or found[1] is None or found[0].state != "open":
        return None
    lot = next((lot for lot in found[1].lots if lot.batch_id == batch_id), None)
    return (found[0], lot) if lot is not None else None


def _amounts(
    typed: dict[str, str], lot: AffectedLot, t: Translator
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """The two amounts as typed: each empty or a number ≥ 0, together at most what is left."""
    amounts: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for name in ("withdrawn", "destroyed"):
        raw = typed.get(name, "").replace(",", ".")
        if not raw:
            amounts[name] = None
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors[name] = t("recall_error_not_a_number", field=t(f"recall_field_{name}"))
            continue
        if not value.is_finite() or value < 0:
            errors[name] = t("recall_error_not_a_number", field=t(f"recall_field_{name}"))
            continue
        amounts[name] = value
    if not errors and amounts["withdrawn"] is None and amounts["destroyed"] is None:
        errors["withdrawn"] = t("recall_error_nothing_reported")
    left = _left(lot)
    if not errors and left is not None:
        total = (amounts["withdrawn"] or Decimal(0)) + (amounts["destroyed"] or Decimal(0))
        if total > left.amount:
            errors["withdrawn"] = t(
                "recall_error_more_than_left", left=t.number(left.amount), unit=left.unit
            )
    return amounts, errors


def _left(lot: AffectedLot) -> Amount | None:
    """What of the lot is still to be accounted for (reports add up); None if not published."""
    if lot.affected is None:
        return None
    done = sum(
        (a.amount for a in (lot.withdrawn, lot.destroyed) if a and a.unit == lot.affected.unit),
        Decimal(0),
    )
    return Amount(max(lot.affected.amount - done, Decimal(0)), lot.affected.unit)


def _worded(refusal: DomainError, t: Translator) -> str:
    error = refusal.error if isinstance(refusal, CommandRefused) else refusal
    return refusal_message(error.code, error.params, t.lang, error.message)
