"""The cooperative app's ``imports`` part: CSV import of harvests and of diary entries.

Upload → a preview table (each row numbered as in the file, with its refusal if the domain
would refuse it; nothing stored) → "import the N good rows": one atomic request under an
idempotency key drawn for that preview and scoped to the person, so a double tap, or the same
confirmation sent again, stores the rows once. The confirmation carries the file's text, not a
server-side draft, so nothing is kept between the two steps.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode
from uuid import UUID, uuid4

from fastapi import APIRouter
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.imports.columns import KINDS, Kind
from services.cooperative_app.imports.rows import (
    MAX_BYTES,
    MAX_ROWS,
    FileRefused,
    Row,
    checked,
    decode,
    plot_finder,
    read_rows,
)
from services.cooperative_app.imports.templates import template_csv
from services.cooperative_app.lot_changes.refusals import worded
from services.cooperative_app.people import NotAllowed, Worker, WorkerPosting
from shared.accounts.gate import Person
from shared.i18n.translator import Translator
from shared.pages.rendering import Chrome
from shared.readmodels.tracking import Connect, session
from shared.records.application import CommandRefused, IdempotencyKey, IdempotencyKeyReused

SCOPE = "app-import"


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    pages = context.pages

    def chrome(request: Request, person: Person) -> Chrome:
        return pages.chrome(request, person_name=person.display_name, csrf_token=person.csrf_token)

    @routes.get("/app/import", include_in_schema=False)
    def upload(request: Request, person: Worker) -> Response:
        return pages.response(
            "import_upload.html", chrome(request, person), **_limits(), error=None, kind="harvests"
        )

    @routes.get("/app/import/template/{key}.csv", include_in_schema=False)
    def template(person: Worker, key: str) -> Response:
        del person
        kind = _kind(key)
        headers = {"Content-Disposition": f'attachment; filename="nguon-{kind.key}.csv"'}
        return Response(template_csv(kind), media_type="text/csv; charset=utf-8", headers=headers)

    @routes.post("/app/import/preview", include_in_schema=False)
    async def preview(request: Request, person: WorkerPosting) -> Response:
        form = await request.form()
        kind = _kind(str(form.get("kind") or ""))
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        page = chrome(request, person)
        try:
            text = decode(data)
            rows = _rows(context, person, kind, text, page.t)
        except FileRefused as refused:
            error = page.t(refused.message_id, **refused.params)
            return pages.response(
                "import_upload.html", page, status_code=422, **_limits(), error=error, kind=kind.key
            )
        return _preview(context, request, person, kind, text, rows, key=str(uuid4()))

    @routes.post("/app/import/confirm", include_in_schema=False)
    async def confirm(request: Request, person: WorkerPosting) -> Response:
        form = await request.form()
        kind = _kind(str(form.get("kind") or ""))
        text = str(form.get("csv") or "")
        key = str(form.get("key") or "")
        page = chrome(request, person)
        try:
            rows = _rows(context, person, kind, text, page.t)
        except FileRefused as refused:
            error = page.t(refused.message_id, **refused.params)
            return pages.response(
                "import_upload.html", page, status_code=422, **_limits(), error=error, kind=kind.key
            )
        good = [row for row in rows if row.good]
        if not good or not key:
            return _preview(
                context, request, person, kind, text, rows, key=key or str(uuid4()), status_code=422
            )
        idempotency = IdempotencyKey(
            scope=f"{SCOPE}:{person.actor.actor_id}",
            key=key,
            request={"kind": kind.key, "csv": hashlib.sha256(text.encode()).hexdigest()},
        )
        commands = [row.command for row in good if row.command is not None]
        try:
            outcome = context.records.execute(person.actor, commands, idempotency)
        except CommandRefused as refused:
            failed = good[refused.index]
            rows = [
                Row(r.line, r.cells, r.command, worded(refused.error, page.t)) if r is failed else r
                for r in rows
            ]
            return _preview(
                context, request, person, kind, text, rows, key=str(uuid4()), status_code=422
            )
        except IdempotencyKeyReused:
            return _preview(
                context, request, person, kind, text, rows, key=str(uuid4()), status_code=409
            )
        query = {"kind": kind.key, "count": len(commands), "after": outcome.position}
        return RedirectResponse(f"/app/import/done?{urlencode(query)}", status_code=303)

    @routes.get("/app/import/done", include_in_schema=False)
    def done(request: Request, person: Worker) -> Response:
        query = request.query_params
        kind = _kind(query.get("kind", ""))
        return pages.response(
            "import_done.html",
            chrome(request, person),
            kind=kind.key,
            count=query.get("count", "0"),
        )

    return routes


def _kind(key: str) -> Kind:
    found = KINDS.get(key)
    if found is None:
        raise NotAllowed("import_kind_unknown")
    return found


def _limits() -> dict[str, int]:
    return {"max_kb": MAX_BYTES // 1024, "max_rows": MAX_ROWS}


def _rows(context: AppContext, person: Person, kind: Kind, text: str, t: Translator) -> list[Row]:
    organisation = person.actor.organisation_id
    assert organisation is not None  # Worker: only people of an organisation reach the app
    finder = plot_finder(_plots(context.connect, organisation))
    rows = read_rows(text, kind, finder, t)
    return checked(context.records, person.actor, rows, t)


def _plots(connect: Connect, cooperative_id: UUID) -> dict[str, UUID]:
    """My cooperative's plots by planting area code (as typed, and lower-cased) and by id."""
    with session(connect) as conn:
        rows = conn.execute(
            "SELECT id, planting_area_code FROM rm_plots WHERE cooperative_id = %s",
            (cooperative_id,),
        ).fetchall()
    found: dict[str, UUID] = {}
    for plot_id, code in rows:
        found[str(plot_id)] = plot_id
        if code:
            found[code] = plot_id
            found[code.lower()] = plot_id
    return found


def _preview(
    context: AppContext,
    request: Request,
    person: Person,
    kind: Kind,
    text: str,
    rows: list[Row],
    *,
    key: str,
    status_code: int = 200,
) -> Response:
    pages = context.pages
    page = pages.chrome(request, person_name=person.display_name, csrf_token=person.csrf_token)
    return pages.response(
        "import_preview.html",
        page,
        status_code=status_code,
        kind=kind,
        rows=rows,
        good=sum(1 for row in rows if row.good),
        text=text,
        key=key,
    )
